"""The rules every question obeys, whoever made it, and the one runner that checks them.

A question is checked as a QuestionDraft (quiz/generation/base.py): its kind, texts, citation,
difficulty and options (OptionDrafts, as they would be saved). Each rule is a small callable that
raises `ValidationError(message, code=..., params=...)` and returns nothing otherwise; `run`
calls a list of them and collects what they raise, as Django's `validate_password` runs its
validators. The rules that depend on how a question is answered are listed by its answer mode
(`AnswerMode.rules` in quiz/answer_modes.py, built from the rule classes here), which also words
their codes (`AnswerMode.error_messages`), so a new answer type brings its own.

Three audiences run the rules, each through an `Audience`: its thresholds, and its wording keyed
by code (as `AuthenticationForm.error_messages` is). A code an audience does not word reads as
the rule's own terse message.

- GENERATOR, quiz/generation (`base.validate`): every draft a generator yields. A draft that
  fails is skipped, and the generation summary gives the rules' own terse words
  ("invalid: empty explanation; no citation (passage and quote)").
- TEACHER, quiz/teaching/authoring.py (`check`, `validate`): a teacher's own question, in the
  question form's words. The generator's thresholds exactly, so a teacher's question is never
  one that generation would refuse; only generated questions have a slot (generator_key).
- IMPORTER, quiz/interop/common.py (`check_question`): a question read from a GIFT or Moodle XML
  file, after the file's caps (quiz/interop/limits.py); the first error refuses the file, named
  by its line or element.

What every audience checks alike: a known kind, a prompt, a difficulty in 0..1, a citation whose
words occur in its passage, a claim assessment keyed to the historians' verdict, options that are
not blank, not repeated (ignoring case and spacing: `option_key`) among those a student tells
apart, exactly one right choice, ordering ranks 1..n, matching prompts each paired.

Where the importer's thresholds differ, it is on purpose (the parameters of Audience):
- no explanation is needed (`needs_explanation`): Moodle's general feedback is optional, and an
  imported question is the teacher's own;
- no citation (`needs_citation`): imported questions are not on the interview's words and a file
  has no passage to cite, so a cloze from Moodle quotes nothing;
- two choices, two items to order and two pairs to match are enough (`fewest_choices`,
  `order_items`, `fewest_pairs`): Moodle's own minimums; the file's answer cap bounds the most;
- matching prompts may share an answer, and extra wrong answers may be offered (`one_to_one`), as
  Moodle's matching questions do;
- ordering items are kept in the file's order, which is the right one (`hides_key_order`):
  `Ordering.display_order` never shows items in the right order, whatever the stored one;
- answers and their feedback are measured as the file's caps (`option_width`): limits.py refuses
  a long one in the same words as every other cap of the file.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from .models import Kind, Option

# The thresholds the bank holds its questions to: generated ones and teachers' own.
MIN_CHOICES = 3
MAX_ORDER_ITEMS = 5
OPTION_MAX = Option._meta.get_field("text").max_length  # Option.feedback is as wide
# Kinds that rest on the interview's words and so must quote them.
QUOTE_KINDS = {
    Kind.ATTRIBUTION,
    Kind.CLAIM_ASSESSMENT,
    Kind.CLOZE,
    Kind.FIND_EVIDENCE,
    Kind.SPOT_ERROR,
    Kind.EVIDENCE_KIND,
}
LEFT, RIGHT = Option.Side.LEFT, Option.Side.RIGHT


def option_key(text: str) -> str:
    """Two option texts count as duplicates when they differ only by case or spacing."""
    return " ".join((text or "").casefold().split())


def run(draft, rules) -> list[ValidationError]:
    """Every error the rules raise on the draft, in the rules' order; empty when it passes all."""
    errors = []
    for rule in rules:
        try:
            rule(draft)
        except ValidationError as error:
            errors.extend(error.error_list)
    return errors


# --- Rules on the question ----------------------------------------------------------------------


def known_kind(draft):
    if draft.kind not in Kind.values:
        raise ValidationError("unknown kind %(kind)r", code="unknown_kind", params={"kind": draft.kind})


def has_slot(draft):
    """A generated question is identified by its slot, so that re-generation finds it again."""
    if not draft.generator_key.strip():
        raise ValidationError("no generator key", code="no_slot")


def prompt_written(draft):
    if not (draft.prompt or "").strip():
        raise ValidationError("empty prompt", code="empty_prompt")


def explanation_written(draft):
    if not (draft.explanation or "").strip():
        raise ValidationError("empty explanation", code="empty_explanation")


def difficulty_in_range(draft):
    if not 0 <= draft.difficulty <= 1:
        raise ValidationError(
            "difficulty %(difficulty)s is outside 0..1",
            code="difficulty_range",
            params={"difficulty": draft.difficulty},
        )


class Citation:
    """A question on the interview's words cites them (when `required`); a citation is a passage
    and words quoted from it, both or neither, and the words occur in that passage. The first
    problem only: the later ones restate it."""

    def __init__(self, required=True):
        self.required = required

    def __call__(self, draft):
        passage, quote = draft.passage, draft.quote
        if self.required and draft.kind in QUOTE_KINDS and (passage is None or not quote):
            raise ValidationError("no citation (passage and quote)", code="no_citation")
        if (passage is None) != (not quote):
            raise ValidationError("a passage without a quote or a quote without a passage", code="half_citation")
        if passage is not None and quote not in passage.text:
            raise ValidationError(
                "the quote does not occur in passage §%(position)s",
                code="quote_not_in_passage",
                params={"position": passage.position},
            )


def claim_assessed(draft):
    """A claim assessment names its claim, and its key is the historians' assessment of it: the
    app never teaches one of the interview's errors as fact."""
    if draft.kind != Kind.CLAIM_ASSESSMENT:
        return
    if draft.claim is None:
        raise ValidationError("a claim assessment without its claim", code="no_claim")
    keys = [o for o in draft.options if o.is_correct]
    label = draft.claim.get_assessment_display()
    if len(keys) == 1 and option_key(keys[0].text) not in {option_key(label), option_key(draft.claim.assessment)}:
        raise ValidationError(
            "the correct choice is not the historians' assessment (%(label)s)",
            code="not_the_assessment",
            params={"label": label},
        )


class OptionWidth:
    """Every option's text and feedback fit their columns."""

    def __init__(self, limit=OPTION_MAX):
        self.limit = limit

    def __call__(self, draft):
        if any(len(o.text) > self.limit or len(o.feedback) > self.limit for o in draft.options):
            raise ValidationError(
                "an option is longer than %(limit)s characters", code="option_too_long", params={"limit": self.limit}
            )


# --- Rules on the options, which the answer modes list (AnswerMode.rules) ----------------------


def _of_side(options, side):
    return [o for o in options if side is None or o.side == side]


class Count:
    """At least `fewest` options (of one `side`), at most `most`."""

    def __init__(self, code, message, *, fewest, most=None, side=None):
        self.code, self.message = code, message
        self.fewest, self.most, self.side = fewest, most, side

    def __call__(self, draft):
        count = len(_of_side(draft.options, self.side))
        if count < self.fewest or (self.most is not None and count > self.most):
            params = {"count": count, "fewest": self.fewest, "most": self.most}
            raise ValidationError(self.message, code=self.code, params=params)


class NotBlank:
    """No option is empty or only spaces."""

    def __init__(self, code, message="an option is empty"):
        self.code, self.message = code, message

    def __call__(self, draft):
        if any(not (o.text or "").strip() for o in draft.options):
            raise ValidationError(self.message, code=self.code)


class Distinct:
    """No two options (of one `side`: those a student tells apart) read the same, ignoring case
    and spacing; one error per repeated text, which it names. Blanks are NotBlank's to report."""

    def __init__(self, code, message="two options have the same text", *, side=None):
        self.code, self.message, self.side = code, message, side

    def __call__(self, draft):
        seen, repeated = set(), {}
        for option in _of_side(draft.options, self.side):
            key = option_key(option.text)
            if key in seen and key not in repeated:
                repeated[key] = option.text.strip()
            seen.add(key)
        repeated.pop("", None)
        if repeated:
            raise ValidationError(
                [ValidationError(self.message, code=self.code, params={"text": text}) for text in repeated.values()]
            )


def one_correct(draft):
    """Exactly one option is the right answer."""
    count = sum(bool(o.is_correct) for o in draft.options)
    if count == 0:
        raise ValidationError("not exactly one correct choice", code="no_correct", params={"count": count})
    if count > 1:
        raise ValidationError("not exactly one correct choice", code="several_correct", params={"count": count})


class OwnDataOnly:
    """Options carry only their own mode's data (of is_correct, correct_position, side, match), so
    no page reads a key that is not there."""

    def __init__(self, own, message):
        self.own, self.message = set(own), message

    def __call__(self, draft):
        if any(_carried(o) - self.own for o in draft.options):
            raise ValidationError(self.message, code="other_modes_data")


def _carried(option) -> set:
    values = {
        "is_correct": option.is_correct,
        "correct_position": option.correct_position,
        "side": option.side,
        "match": option.match is not None,
    }
    return {name for name, value in values.items() if value}


def ranks_are_a_permutation(draft):
    """Ordering: the right positions are 1..n, each once."""
    ranks = sorted(o.correct_position or 0 for o in draft.options)
    if ranks != list(range(1, len(ranks) + 1)):
        raise ValidationError("the correct positions are not a permutation of 1..n", code="ranks_not_permutation")


def not_stored_in_order(draft):
    """Ordering: the stored order is not the right one, so listing the options does not give the
    key away (a single item has no order to hide)."""
    positions = [o.correct_position for o in draft.options]
    if len(positions) > 1 and positions == list(range(1, len(positions) + 1)):
        raise ValidationError("the items are shown already in order", code="shown_in_order")


def sides_given(draft):
    """Matching: every option is a left-hand prompt or a right-hand choice."""
    if any(o.side not in (LEFT, RIGHT) for o in draft.options):
        raise ValidationError("a matching option has no side", code="no_side")


class Pairing:
    """Matching: every prompt points at a right-hand choice. With `one_to_one`, each choice is the
    partner of exactly one prompt (as many choices as prompts)."""

    def __init__(self, one_to_one=True):
        self.one_to_one = one_to_one

    def __call__(self, draft):
        rights = [i for i, o in enumerate(draft.options) if o.side == RIGHT]
        partners = [o.match for o in draft.options if o.side == LEFT]
        paired = None not in partners and set(partners) <= set(rights)
        if not paired or (self.one_to_one and sorted(partners) != rights):
            raise ValidationError("the left-to-right matches are not a one-to-one pairing", code="pairing")


def rights_point_nowhere(draft):
    """Matching: only prompts point at a partner."""
    if any(o.side == RIGHT and o.match is not None for o in draft.options):
        raise ValidationError("a right-hand choice points at a partner", code="right_has_partner")


# --- Audiences -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Audience:
    """Who runs the rules: the thresholds that differ between audiences (on purpose: see the
    module docstring) and the words it reads, by code."""

    name: str
    error_messages: dict = field(default_factory=dict)
    slots: bool = False
    needs_explanation: bool = True
    needs_citation: bool = True
    fewest_choices: int = MIN_CHOICES
    order_items: tuple = (MIN_CHOICES, MAX_ORDER_ITEMS)  # fewest, most (None: no most)
    fewest_pairs: int = MIN_CHOICES
    one_to_one: bool = True
    hides_key_order: bool = True
    option_width: int | None = OPTION_MAX

    def rules_for(self, draft) -> list:
        """The rules a draft of its kind must pass, in the order their errors are reported."""
        if draft.kind not in Kind.values:
            return [known_kind]  # nothing else can be judged without the kind
        rules = [has_slot] if self.slots else []
        rules += [prompt_written, explanation_written] if self.needs_explanation else [prompt_written]
        rules += [difficulty_in_range, Citation(required=self.needs_citation), claim_assessed]
        rules += draft.mode.rules(self, draft.kind)
        if self.option_width is not None:
            rules.append(OptionWidth(self.option_width))
        return rules

    def check(self, draft) -> list[ValidationError]:
        """Every error of the draft, in this audience's words (as Django's fields put their
        `error_messages` on their validators' errors); empty when the draft may be saved."""
        wording = self.error_messages | draft.mode.error_messages.get(self.name, {})
        errors = run(draft, self.rules_for(draft))
        for error in errors:
            if error.code in wording:
                error.message = wording[error.code]
        return errors

    def messages(self, draft) -> list[str]:
        """The errors as sentences, each once."""
        return list(dict.fromkeys(str(message) for error in self.check(draft) for message in error))


GENERATOR = Audience("generator", slots=True)

TEACHER = Audience(
    "teacher",
    error_messages={
        "unknown_kind": "Choose a question kind.",
        "empty_prompt": "Write the question's prompt.",
        "empty_explanation": "Write an explanation: students see it after answering.",
        "difficulty_range": "Difficulty %(difficulty)s is outside 0..1.",
        "no_citation": "This kind of question rests on the interview's words: "
        "choose the passage and copy the exact words it quotes.",
        "half_citation": "Give both the passage and the words quoted from it, or neither.",
        "quote_not_in_passage": "The quoted words do not occur in passage %(position)s; copy them exactly.",
        "no_claim": "Choose the claim this question asks students to assess.",
        "not_the_assessment": "Historians assess this claim as “%(label)s”: mark that option as the correct one.",
        "option_too_long": "An option is longer than %(limit)s characters.",
        "other_modes_data": "An option carries another answer type's data.",
    },
)

IMPORTER = Audience(
    "importer",
    error_messages={
        "unknown_kind": "the question's kind is not one this app has.",
        "empty_prompt": "the question has no text.",
        "difficulty_range": "the difficulty %(difficulty)s is outside 0..1.",
        "other_modes_data": "an answer carries another question type's data.",
    },
    needs_explanation=False,
    needs_citation=False,
    fewest_choices=2,
    order_items=(2, None),
    fewest_pairs=2,
    one_to_one=False,
    hides_key_order=False,
    option_width=None,
)
