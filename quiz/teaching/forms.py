"""Forms for the teacher pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.names import without_invisible
from history.models import Assessment, Claim, Event, Figure, Passage

from ..answer_modes import mode_for
from ..models import Classroom, Kind, QuestionSet, ReviewTime
from .authoring import Draft, check


def visible(text: str, refusal: str | None = None) -> str:
    """`text` as students will see it: without direction overrides, zero-width and other
    invisible characters (accounts/names.py), its ends trimmed. `refusal` if nothing is left of
    a text that had something in it."""
    cleaned = without_invisible(text).strip()
    if text and not cleaned and refusal:
        raise ValidationError(refusal, code="invisible")
    return cleaned


class SetForm(forms.ModelForm):
    class Meta:
        model = QuestionSet
        fields = [
            "title",
            "description",
            "visibility",
            "shuffle_questions",
            "shuffle_options",
            "max_attempts",
            "show_score",
            "show_answers",
        ]
        labels = {
            "shuffle_questions": "Shuffle the order of questions for each student",
            "shuffle_options": "Shuffle the options within each question",
            "max_attempts": "Attempts allowed",
            "show_score": "Students see whether they were right, and their score",
            "show_answers": "Students see the right answers and explanations",
        }
        help_texts = {
            "max_attempts": "0 means unlimited. With answers shown and unlimited attempts, a student can "
            "collect the right answers and retake the set for a perfect score.",
            "show_answers": "Never earlier than the score. A question a student did not answer shows its right "
            "answer only once they can no longer take the set. “After the due date” waits for every "
            "due date the set has, in every class you assign it to; with no due date it comes once a "
            "student has used all their attempts (never, with unlimited attempts). Questions from the "
            "generated bank are open practice for every student, so their answers are never secret: "
            "for a graded set whose answers you keep back, write your own questions.",
            "visibility": "Private sets are for you alone (and classes you assign them to); "
            "public sets can be taken by any student, and copied and exported, answers included, "
            "by other teachers.",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_title(self):
        return visible(self.cleaned_data["title"], "A title needs at least one visible character.")

    def clean_description(self):
        return visible(self.cleaned_data["description"])

    def clean(self):
        cleaned = super().clean()
        times = ReviewTime.values
        score, answers = cleaned.get("show_score"), cleaned.get("show_answers")
        if score in times and answers in times and times.index(answers) < times.index(score):
            self.add_error(
                "show_answers",
                "The right answers tell students whether they were right, so they cannot be shown before the score.",
            )
        return cleaned


class IdsMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Ids beyond the database's integer range are invalid choices, not a crash (SQLite's
    `IN` lookup raises OverflowError on them; a tampered form can send any number)."""

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(str(pk).strip())
            except ValueError:
                continue  # the parent reports it as an invalid choice
            if not -(2**63) <= number < 2**63:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": str(pk)}
                )
        return super()._check_values(value)


DIFFICULTY_CHOICES = [("", "Any difficulty"), ("easy", "Easy"), ("medium", "Medium"), ("hard", "Hard")]


class BankFilterForm(forms.Form):
    text = forms.CharField(required=False, max_length=100, label="Words in the prompt")
    kind = forms.ChoiceField(required=False, choices=[("", "Any kind"), *Kind.choices])
    figure = forms.ModelChoiceField(
        required=False, queryset=Figure.objects.all(), empty_label="Any figure", to_field_name="key"
    )
    event = forms.ModelChoiceField(
        required=False, queryset=Event.objects.all(), empty_label="Any event", to_field_name="key"
    )
    assessment = forms.ChoiceField(
        required=False, choices=[("", "Any assessment"), *Assessment.choices], label="Claim assessment"
    )
    difficulty = forms.ChoiceField(required=False, choices=DIFFICULTY_CHOICES)
    mine = forms.BooleanField(required=False, label="Only questions I wrote")

    # With htmx these apply as soon as they change; the text filter waits for Enter (set_edit.html).
    APPLY_ON_CHANGE = "bank-apply-on-change"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "text":
                field.widget.attrs["class"] = self.APPLY_ON_CHANGE

    def filters(self) -> dict:
        """Cleaned filters; invalid ones (tampered values) are dropped rather than failing the page."""
        self.is_valid()
        return {name: value for name, value in getattr(self, "cleaned_data", {}).items() if value}


def optional_text(label, *, rows, help_text):
    """A few lines of optional prose."""
    return forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": rows}), label=label, help_text=help_text
    )


class QuestionForm(forms.Form):
    """A teacher's question. The answer fields depend on the kind (chosen before the form)."""

    prompt = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Question")
    explanation = optional_text(
        "Explanation", rows=3, help_text="Shown after the student answers: why the right answer is right."
    )
    passage = forms.ModelChoiceField(
        required=False,
        queryset=Passage.objects.all(),
        empty_label="No passage",
        label="Passage of the interview it rests on",
    )
    quote = optional_text(
        "Words quoted from that passage",
        rows=2,
        help_text="Copy them exactly. Needed for attribution, cloze and claim assessment questions.",
    )
    difficulty = forms.TypedChoiceField(
        choices=[("0.2", "Easy"), ("0.5", "Medium"), ("0.8", "Hard")], coerce=float, initial="0.5"
    )
    figures = IdsMultipleChoiceField(
        required=False, queryset=Figure.objects.all(), widget=forms.CheckboxSelectMultiple, label="Figures it is about"
    )
    events = IdsMultipleChoiceField(
        required=False, queryset=Event.objects.all(), widget=forms.CheckboxSelectMultiple, label="Events it is about"
    )
    claim = forms.ModelChoiceField(
        required=False, queryset=Claim.objects.all(), empty_label="No particular claim", label="Claim it tests"
    )

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        # The answer fields are the answer mode's (quiz/answer_modes.py), as is their template partial.
        self.mode = mode_for(kind)
        self.fields["passage"].label_from_instance = lambda p: f"§{p.position} {p.speaker_label}: {p.text[:70]}…"
        self.mode.add_form_fields(self)

    @classmethod
    def initial_for_kind(cls, kind) -> dict:
        """Claim assessments answer with the historians' verdicts, true/false with True and False; offer them ready-made."""
        if kind == Kind.CLAIM_ASSESSMENT:
            return {f"option_{i}": label for i, (_, label) in enumerate(Assessment.choices, start=1)}
        if kind == Kind.TRUE_FALSE:
            return {"option_1": "True", "option_2": "False"}
        return {}

    def rows(self):
        """Bound answer fields grouped per row, for the mode's form partial."""
        return self.mode.form_rows(self)

    def draft(self) -> Draft:
        data = self.cleaned_data
        draft = Draft(
            kind=self.kind,
            prompt=data.get("prompt", ""),
            explanation=data.get("explanation", ""),
            passage=data.get("passage"),
            quote=data.get("quote", ""),
            claim=data.get("claim"),
            difficulty=data.get("difficulty") or 0.5,
        )
        if draft.claim is not None and draft.passage is None and not (draft.quote or "").strip():
            # A claim carries its own citation; use it unless the teacher gave another.
            draft.passage, draft.quote = draft.claim.passage, draft.claim.quote
        self.mode.read_form(data, draft)
        return draft

    def clean(self):
        cleaned = super().clean()
        self.mode.form_errors(self, cleaned)
        if not self.errors:
            # The rules every question obeys, in a teacher's words, each with its code.
            for error in check(self.draft()):
                self.add_error(None, error)
        return cleaned

    @classmethod
    def initial_from_draft(cls, draft: Draft, question) -> dict:
        initial = {
            "prompt": draft.prompt,
            "explanation": draft.explanation,
            "difficulty": "0.2" if question.difficulty < 0.34 else "0.5" if question.difficulty < 0.67 else "0.8",
            "figures": list(question.figures.all()),
            "events": list(question.events.all()),
            "claim": question.claim,
            "passage": question.passage,
            "quote": question.quote,
        }
        return initial | mode_for(draft.kind).form_initial(draft)


class ClassForm(forms.ModelForm):
    class Meta:
        model = Classroom
        fields = ["name"]
        labels = {"name": "Class name"}

    def clean_name(self):
        return visible(self.cleaned_data["name"], "A class name needs at least one visible character.")


class AssignForm(forms.Form):
    question_set = forms.ModelChoiceField(queryset=QuestionSet.objects.none(), label="Question set")
    due_at = forms.DateTimeField(
        required=False,
        label="Due (optional)",
        help_text="Left blank, a set that is already assigned keeps its due date.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    # Blank keeps an existing due date, so removing one needs its own, explicit choice.
    no_due = forms.BooleanField(required=False, label="No due date", label_suffix="")

    def __init__(self, *args, teacher, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question_set"].queryset = QuestionSet.objects.filter(owner=teacher)

    def clean_due_at(self):
        due = self.cleaned_data.get("due_at")
        if due and due < timezone.now():
            raise forms.ValidationError("The due date is in the past.")
        return due

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("due_at") and cleaned.get("no_due"):
            raise forms.ValidationError("Choose a due date or tick “No due date”, not both.")
        return cleaned


class JoinForm(forms.Form):
    code = forms.CharField(max_length=20, label="Class join code", help_text="Your teacher gives you this code.")

    def clean_code(self):
        # Codes are shown in capitals; accept spaces, dashes and lower case as typed.
        return "".join(ch for ch in self.cleaned_data["code"].upper() if ch.isalnum())
