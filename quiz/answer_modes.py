"""How a question is answered: one class per answer mode, reached from the question
(`question.mode`), as healthchecks picks a channel's transport by its kind.

A mode knows, for its questions:
- the order their options are shown in (`display_order`) and the roles they play there (`arrange`);
- how a submitted form is scored (`score`), and what the student is told about it (`review`);
- the key: the right order or pairs (`right_order`, `key`), in one line (`key_text`), and, for
  item analysis, which options are right (`correct_ids`);
- how a teacher writes it: the form's answer fields (`add_form_fields`, `form_rows`,
  `read_form`, `form_initial`) and the draft's options (`option_drafts`, `read_options`);
- the rules its options obey, for every audience (`rules`, built from quiz/question_rules.py),
  and what they say, by code, to a teacher and to an importer (`error_messages`);
- import and export hooks: a parsed question's options as drafts, for the rules
  (`parsed_options`, which reads its session form), making its options (`options_from_parsed`),
  and handing a question to an export format's writer method for its shape (`export_to`, see
  quiz/interop/common.py `FormatWriter`); `export_parts` gives the key as the formats write it.
Its template, `templates/quiz/answer_modes/<name>.html`, holds the named partials `controls`
(what the student answers with), `review` (their answer beside the key), `key` (the teacher's
preview) and `form` (the answer fields of the teacher's question form).

Adding an answer type is one class here, registered in MODES (and in KIND_MODES for the kinds
that use it), and its template. README "Adding an answer type" says how.

Forms never name options by database id: `quiz/scoring.py` gives each shown option a token.
Form fields, by mode:
  single    choice=<token>
  ordering  rank-<token>=<1..n> for every item
  matching  match-<left token>=<right token> for every left-hand item
"""

import random
from dataclasses import dataclass, field
from typing import Any

from django import forms

from config.errors import Invalid

from .models import Kind
from .question_rules import (
    MAX_ORDER_ITEMS,
    OPTION_MAX,
    Count,
    Distinct,
    NotBlank,
    OwnDataOnly,
    Pairing,
    not_stored_in_order,
    one_correct,
    ranks_are_a_permutation,
    rights_point_nowhere,
    sides_given,
)

# How many options a teacher may write (an ordering question takes at most MAX_ORDER_ITEMS).
MAX_OPTIONS = 6
LEFT, RIGHT = "left", "right"  # Option.Side


class BadAnswer(Invalid):
    """The submitted form is not a valid answer to this question; nothing was recorded."""


# --- What the modes hand back -------------------------------------------------------------------


@dataclass
class OptionDraft:
    """An option before it is saved (generated, written by a teacher): see save_options."""

    text: str
    is_correct: bool = False
    correct_position: int | None = None  # ordering: rank in the right order, 1..n
    side: str = ""  # matching: "left" or "right"
    match: int | None = None  # matching, left side: index (in `options`) of its right partner
    feedback: str = ""


@dataclass
class DisplayOptions:
    """A question's options in the order an attempt shows them, split by role."""

    all: list = field(default_factory=list)
    left: list = field(default_factory=list)
    right: list = field(default_factory=list)


@dataclass
class ScoredResponse:
    is_correct: bool
    score: float
    response: dict
    selected_option: object = None


@dataclass
class MatchLine:
    left: str
    chosen: str
    right: str
    ok: bool


@dataclass
class AnswerReview:
    """What a student is told about their answer (quiz/feedback.py builds it)."""

    mode: str
    answered: bool
    template: str = ""
    is_correct: bool = False
    score: float = 0.0
    your_answer: str = ""
    right_answer: str = ""
    your_order: list = field(default_factory=list)
    right_order: list = field(default_factory=list)
    matches: list = field(default_factory=list)
    option_feedback: str = ""

    @property
    def partly_right(self):
        return self.answered and not self.is_correct and self.score > 0

    @property
    def percent(self):
        return round(self.score * 100)

    @property
    def verdict(self):
        if not self.answered:
            return "Not answered"
        if self.is_correct:
            return "Correct"
        if self.partly_right:
            return f"Partly right ({self.percent}% credit)"
        return "Incorrect"


def rng_for(seed) -> random.Random:
    # Reproducible display orders from a server-side seed; not used for secrets.
    return random.Random(seed)  # nosec B311


def _display_rotation(count) -> list[int]:
    """Stored display positions that never equal the key's order (a rotation by one), so an
    ordering or matching question does not give its answer away when options are not shuffled."""
    return [(index + 1) % count + 1 for index in range(count)] if count > 1 else [1]


def _true_false_key(options):
    """(answer, feedback on True, feedback on False) when the options are exactly True and False."""
    texts = {o.text.strip().lower(): o for o in options}
    if len(options) != 2 or set(texts) != {"true", "false"}:
        return None
    return texts["true"].is_correct, texts["true"].feedback, texts["false"].feedback


def _unknown_keys(post_data, prefix, tokens):
    return [k for k in post_data if k.startswith(prefix) and k[len(prefix) :] not in tokens]


# --- The modes ----------------------------------------------------------------------------------


class AnswerMode:
    """The interface every mode implements (see the module docstring)."""

    name = ""
    form_row_count = MAX_OPTIONS
    # Item analysis looks at which wrong options were chosen: only where one option is chosen.
    analyses_options = False
    # What the mode's rules say, by code, to the audiences (quiz/question_rules.py) that do not
    # read their own terse words: {"teacher": {code: message}, "importer": {...}}.
    error_messages: dict = {}

    @property
    def partials(self) -> dict[str, str]:
        """The named partials of templates/quiz/answer_modes/<name>.html, by part: `controls`
        (answering), `review` (after an answer), `key` (the teacher's preview), `form` (authoring)."""
        template = f"quiz/answer_modes/{self.name}.html"
        return {part: f"{template}#{part}" for part in ("controls", "review", "key", "form")}

    def __str__(self):
        return self.name

    # What every mode must write (a new mode that forgets one fails loudly, not quietly).

    def display_order(self, question, options, *, shuffle: bool, seed) -> list:
        """The options in the order this attempt shows them (never giving the key away)."""
        raise NotImplementedError

    def score(self, shown: DisplayOptions, post_data) -> ScoredResponse:
        """Score the submitted form; raise BadAnswer if it is no answer to this question."""
        raise NotImplementedError

    def review(self, review: AnswerReview, options, by_id, response) -> None:
        """Fill in `review` with the student's answer beside the key, for the review partial."""
        raise NotImplementedError

    def key(self, options):
        """The key, as the key partial shows it to a teacher."""
        raise NotImplementedError

    def key_text(self, options) -> str:
        """The key in one line (item analysis, previews)."""
        raise NotImplementedError

    def rules(self, audience, kind) -> list:
        """The mode's own rules (quiz/question_rules.py) for `audience` and `kind`."""
        raise NotImplementedError

    def option_drafts(self, draft) -> list[OptionDraft]:
        """A teacher's draft's options, as they would be saved."""
        raise NotImplementedError

    def read_options(self, draft, options) -> None:
        """Fill a teacher's draft from a saved question's options (editing it)."""
        raise NotImplementedError

    def add_form_fields(self, form) -> None:
        """Add the answer fields of the teacher's question form."""
        raise NotImplementedError

    def form_rows(self, form):
        """The answer fields, row by row, for the form partial."""
        raise NotImplementedError

    def read_form(self, data, draft) -> None:
        """Fill a teacher's draft from the form's cleaned data."""
        raise NotImplementedError

    def form_initial(self, draft) -> dict:
        """The form's initial answer fields for a draft."""
        raise NotImplementedError

    def parsed_options(self, q) -> list[OptionDraft]:
        """Import hook: an imported question's options, to check with the rules."""
        raise NotImplementedError

    def options_from_parsed(self, question, parsed, option_class):
        """Import hook: the saved options of an imported question."""
        raise NotImplementedError

    def export_parts(self, question):
        """Export hook: the key as the formats write it."""
        raise NotImplementedError

    # What a mode may leave as it is.

    def arrange(self, shown: DisplayOptions) -> None:
        """Split the shown options by role (only matching has roles)."""

    def correct_ids(self, options) -> list | None:
        return None

    def export_to(self, writer, question, number):
        """Export hook: the writer's result for this question (quiz/interop/common.py,
        FormatWriter). A mode no format writes yet leaves its questions out, saying why."""
        return writer.cannot_express(question)

    def form_errors(self, form, cleaned) -> None:
        """Errors of the teacher's form that the draft cannot see (added to `form`)."""


class SingleChoice(AnswerMode):
    """One option is right. Cloze and true/false questions are answered this way too."""

    name = "single"
    analyses_options = True

    def display_order(self, question, options, *, shuffle, seed):
        options = list(options)
        if shuffle:
            rng_for(f"{seed}:{question.pk}").shuffle(options)
        return options

    def score(self, shown, post_data):
        token = post_data.get("choice")
        if not token:
            raise BadAnswer("Choose one of the answers before submitting.")
        option = next((o for o in shown.all if o.token == token), None)
        if option is None:
            raise BadAnswer("That answer is not one of this question's options.")
        return ScoredResponse(
            is_correct=option.is_correct,
            score=1.0 if option.is_correct else 0.0,
            response={"option": option.pk},
            selected_option=option,
        )

    def review(self, review, options, by_id, response):
        review.right_answer = self.key_text(options)
        chosen = by_id.get(response.get("option"))
        if chosen is not None:
            review.your_answer = chosen.text
            review.option_feedback = chosen.feedback

    def key(self, options):
        return [o for o in options if o.is_correct]

    def key_text(self, options) -> str:
        return "; ".join(o.text for o in options if o.is_correct)

    def correct_ids(self, options):
        return [o.pk for o in options if o.is_correct]

    # The rules, and what they say.

    def rules(self, audience, kind) -> list:
        """A true/false question has its two choices, whoever writes it."""
        fewest = 2 if kind == Kind.TRUE_FALSE else audience.fewest_choices
        return [
            Count("too_few_choices", "only %(count)s choices (at least %(fewest)s needed)", fewest=fewest),
            one_correct,
            NotBlank("blank_option"),
            Distinct("duplicate_option"),
            OwnDataOnly({"is_correct"}, "a single-choice option carries ordering or matching data"),
        ]

    error_messages = {
        "teacher": {
            "too_few_choices": "Give at least %(fewest)s options.",
            "no_correct": "Mark exactly one option as the correct answer.",
            "several_correct": "Mark exactly one option as the correct answer.",
            "blank_option": "Options cannot be blank.",
            "duplicate_option": "The option “%(text)s” appears twice (options must differ, ignoring case).",
        },
        "importer": {
            "too_few_choices": "a choice question needs at least two answers.",
            "no_correct": "no answer is marked correct.",
            "several_correct": "%(count)s answers are marked correct; a single-choice question needs exactly one.",
            "blank_option": "an answer is empty.",
            "duplicate_option": "two answers have the same text.",
        },
    }

    # Teachers writing questions.

    def option_drafts(self, draft) -> list[OptionDraft]:
        return [OptionDraft(text=t.strip(), is_correct=(i == draft.correct)) for i, t in enumerate(draft.choices)]

    def read_options(self, draft, options) -> None:
        ordered = sorted(options, key=lambda o: (o.position, o.pk))
        draft.choices = [o.text for o in ordered]
        draft.correct = next((i for i, o in enumerate(ordered) if o.is_correct), None)

    def add_form_fields(self, form) -> None:
        for i in range(1, self.form_row_count + 1):
            form.fields[f"option_{i}"] = forms.CharField(required=False, max_length=OPTION_MAX, label=f"Option {i}")
        form.fields["correct"] = forms.TypedChoiceField(
            choices=[(str(i), f"Option {i}") for i in range(1, self.form_row_count + 1)],
            coerce=int,
            widget=forms.RadioSelect,
            label="Which option is correct?",
            error_messages={"required": "Mark exactly one option as the correct answer."},
        )

    def form_rows(self, form):
        for i in range(1, self.form_row_count + 1):
            yield i, [form[f"option_{i}"]]

    def read_form(self, data, draft) -> None:
        # Blank slots are skipped; the correct mark follows its option.
        filled = [(i, data.get(f"option_{i}", "")) for i in range(1, self.form_row_count + 1)]
        filled = [(i, text) for i, text in filled if text.strip()]
        draft.choices = [text for _, text in filled]
        draft.correct = next((n for n, (i, _) in enumerate(filled) if i == data.get("correct")), None)

    def form_initial(self, draft) -> dict:
        initial = {f"option_{i}": text for i, text in enumerate(draft.choices, 1)}
        if draft.correct is not None:
            initial["correct"] = str(draft.correct + 1)
        return initial

    def form_errors(self, form, cleaned) -> None:
        if cleaned.get("correct") and not (cleaned.get(f"option_{cleaned['correct']}") or "").strip():
            form.add_error("correct", "The option marked correct is blank.")

    # Import and export.

    def parsed_options(self, q) -> list[OptionDraft]:
        return [OptionDraft(text=o["text"], is_correct=o["is_correct"], feedback=o["feedback"]) for o in q["options"]]

    def options_from_parsed(self, question, parsed, option_class):
        """Unsaved options of a parsed question (interop's ParsedQuestion), and the ones to
        save after them (matching)."""
        return [
            option_class(question=question, text=o.text, position=i, is_correct=o.is_correct, feedback=o.feedback)
            for i, o in enumerate(parsed.options)
        ], []

    def export_parts(self, question):
        return list(question.options.all())

    def export_to(self, writer, question, number):
        """True/false (when its options are exactly True and False) and cloze have forms of
        their own in the formats; every other single-choice kind is a plain choice."""
        options = self.export_parts(question)
        key = _true_false_key(options) if question.kind == Kind.TRUE_FALSE else None
        if key:
            return writer.true_false(question, number, *key)
        if question.kind == Kind.CLOZE:
            return writer.cloze(question, number, options)
        return writer.choice(question, number, options)


class Ordering(AnswerMode):
    """Put the items in order; partial credit for neighbouring pairs the right way round."""

    name = "ordering"
    form_row_count = MAX_ORDER_ITEMS

    @staticmethod
    def rank(option) -> int:
        return option.correct_position if option.correct_position is not None else option.position

    def right_order(self, options) -> list:
        """The options in the right order: the one sort every page uses."""
        return sorted(options, key=lambda o: (self.rank(o), o.position, o.pk))

    def _in_right_order(self, options) -> bool:
        ranks = [self.rank(o) for o in options]
        return all(a <= b for a, b in zip(ranks, ranks[1:]))

    def display_order(self, question, options, *, shuffle, seed):
        """Always shuffled, and never already in the right order (that would give it away),
        except with two items: there the one wrong order would give the right one away, so
        they are shuffled freely."""
        rng = rng_for(f"{seed if shuffle else 'fixed'}:{question.pk}")
        shown = list(options)
        if len(shown) == 2:
            rng.shuffle(shown)
        elif len(shown) > 2:
            for _ in range(20):
                rng.shuffle(shown)
                if not self._in_right_order(shown):
                    break
            else:
                # All but impossible with distinct ranks; the reverse is then certainly not right.
                shown = self.right_order(options)[::-1]
        return shown

    def credit(self, ordered) -> float:
        """Share of neighbouring pairs the student put the right way round (1.0 when all are)."""
        pairs = list(zip(ordered, ordered[1:]))
        if not pairs:
            return 1.0
        return sum(self.rank(a) <= self.rank(b) for a, b in pairs) / len(pairs)

    def score(self, shown, post_data):
        n = len(shown.all)
        tokens = {o.token for o in shown.all}
        if _unknown_keys(post_data, "rank-", tokens):
            raise BadAnswer("The answer names an item that is not part of this question.")
        positions = {}
        for option in shown.all:
            raw = (post_data.get(f"rank-{option.token}") or "").strip()
            if not raw:
                raise BadAnswer("Give every item a position before submitting.")
            if not raw.isdecimal() or not 1 <= int(raw) <= n:
                raise BadAnswer(f"Positions must be whole numbers from 1 to {n}.")
            positions[option.pk] = int(raw)
        if len(set(positions.values())) != n:
            raise BadAnswer("Each position can be used only once: give every item a different number.")
        ordered = sorted(shown.all, key=lambda o: positions[o.pk])
        credit = self.credit(ordered)
        return ScoredResponse(is_correct=credit == 1.0, score=credit, response={"order": [o.pk for o in ordered]})

    def review(self, review, options, by_id, response):
        review.right_order = [o.text for o in self.right_order(options)]
        review.your_order = [by_id[pk].text for pk in response.get("order", []) if pk in by_id]

    def key(self, options):
        return self.right_order(options)

    def key_text(self, options) -> str:
        return " → ".join(o.text for o in self.right_order(options))

    def rules(self, audience, kind) -> list:
        fewest, most = audience.order_items
        rules = [
            Count("item_count", "%(count)s items to order (%(fewest)s to %(most)s needed)", fewest=fewest, most=most),
            NotBlank("blank_item"),
            Distinct("duplicate_item"),
            ranks_are_a_permutation,
            OwnDataOnly({"correct_position"}, "an ordering option carries single-choice or matching data"),
        ]
        if audience.hides_key_order:
            rules.append(not_stored_in_order)
        return rules

    error_messages = {
        "teacher": {
            "item_count": "Give %(fewest)s to %(most)s items to put in order.",
            "blank_item": "Items to order cannot be blank.",
            "duplicate_item": "The item “%(text)s” appears twice (items must be distinct).",
            "ranks_not_permutation": "The correct positions are not a permutation of 1..n.",
            "shown_in_order": "The items are shown already in order.",
        },
        "importer": {
            "item_count": "an ordering question needs at least two items.",
            "blank_item": "ordering items must be distinct and not empty.",
            "duplicate_item": "ordering items must be distinct and not empty.",
            "ranks_not_permutation": "the ordering items' positions are not 1 to n.",
        },
    }

    def option_drafts(self, draft) -> list[OptionDraft]:
        shown = _display_rotation(len(draft.order))
        by_place = sorted(range(len(draft.order)), key=lambda i: shown[i])
        return [OptionDraft(text=draft.order[i].strip(), correct_position=i + 1) for i in by_place]

    def read_options(self, draft, options) -> None:
        draft.order = [o.text for o in self.right_order(options)]

    def add_form_fields(self, form) -> None:
        for i in range(1, self.form_row_count + 1):
            form.fields[f"item_{i}"] = forms.CharField(required=False, max_length=OPTION_MAX, label=f"Position {i}")

    def form_rows(self, form):
        for i in range(1, self.form_row_count + 1):
            yield i, [form[f"item_{i}"]]

    def read_form(self, data, draft) -> None:
        items = (data.get(f"item_{i}", "") for i in range(1, self.form_row_count + 1))
        draft.order = [text for text in items if text.strip()]

    def form_initial(self, draft) -> dict:
        return {f"item_{i}": text for i, text in enumerate(draft.order, 1)}

    def parsed_options(self, q) -> list[OptionDraft]:
        return [OptionDraft(text=text, correct_position=i) for i, text in enumerate(q["order"], start=1)]

    def options_from_parsed(self, question, parsed, option_class):
        return [
            option_class(question=question, text=text, position=i, correct_position=i + 1)
            for i, text in enumerate(parsed.order)
        ], []

    def export_parts(self, question):
        """The items' texts in the right order."""
        return [o.text for o in self.right_order(question.options.all())]

    def export_to(self, writer, question, number):
        return writer.ordering(question, number, self.export_parts(question))


class Matching(AnswerMode):
    """Match each left-hand item to one right-hand choice; partial credit per pair."""

    name = "matching"

    def display_order(self, question, options, *, shuffle, seed):
        """Left items as authored (or shuffled), then the right-hand choices shuffled, or
        alphabetical when the set does not shuffle, so their order never mirrors the key."""
        left = [o for o in options if o.side == LEFT]
        right = [o for o in options if o.side != LEFT]
        if shuffle:
            rng = rng_for(f"{seed}:{question.pk}")
            rng.shuffle(left)
            rng.shuffle(right)
        else:
            right.sort(key=lambda o: (o.text.casefold(), o.pk))
        return left + right

    def arrange(self, shown):
        for option in shown.all:
            (shown.left if option.side == LEFT else shown.right).append(option)

    def score(self, shown, post_data):
        left_tokens = {o.token for o in shown.left}
        right_by_token = {o.token: o for o in shown.right}
        if _unknown_keys(post_data, "match-", left_tokens):
            raise BadAnswer("The answer names an item that is not part of this question.")
        pairs, right_count = {}, 0
        for option in shown.left:
            token = post_data.get(f"match-{option.token}")
            if not token:
                raise BadAnswer("Choose a match for every item before submitting.")
            partner = right_by_token.get(token)
            if partner is None:
                raise BadAnswer("That match is not one of this question's options.")
            pairs[str(option.pk)] = partner.pk
            right_count += option.match_id == partner.pk
        total = len(shown.left)
        credit = right_count / total if total else 0.0
        return ScoredResponse(is_correct=total > 0 and right_count == total, score=credit, response={"pairs": pairs})

    def review(self, review, options, by_id, response):
        for left in (o for o in options if o.side == LEFT):
            chosen_id = response.get("pairs", {}).get(str(left.pk))
            chosen = by_id.get(chosen_id)
            right = by_id.get(left.match_id)
            review.matches.append(
                MatchLine(
                    left=left.text,
                    chosen=chosen.text if chosen else "—",
                    right=right.text if right else "—",
                    ok=chosen is not None and chosen_id == left.match_id,
                )
            )

    def key(self, options):
        """(left, its right partner or None) for each left-hand item, in authored order."""
        by_id = {o.pk: o for o in options}
        lefts = sorted((o for o in options if o.side == LEFT), key=lambda o: (o.position, o.pk))
        return [(o, by_id.get(o.match_id)) for o in lefts]

    def key_text(self, options) -> str:
        by_id = {o.pk: o for o in options}
        return "; ".join(
            f"{o.text} – {by_id[o.match_id].text}" for o in options if o.side == LEFT and o.match_id in by_id
        )

    def rules(self, audience, kind) -> list:
        """Each prompt matched once and each answer offered once: no left repeats and no right
        repeats. A prompt may read like an answer: students choose among the answers only."""
        return [
            sides_given,
            Count(
                "too_few_pairs",
                "only %(count)s prompts to match (at least %(fewest)s needed)",
                fewest=audience.fewest_pairs,
                side=LEFT,
            ),
            NotBlank("blank_pair"),
            Distinct("duplicate_left", side=LEFT),
            Distinct("duplicate_right", side=RIGHT),
            Pairing(one_to_one=audience.one_to_one),
            rights_point_nowhere,
            OwnDataOnly({"side", "match"}, "a matching option carries single-choice or ordering data"),
        ]

    error_messages = {
        "teacher": {
            "no_side": "A matching option has no side.",
            "too_few_pairs": "Give at least %(fewest)s pairs to match.",
            "blank_pair": "Every pair needs both a left and a right side.",
            "duplicate_left": "“%(text)s” appears twice on the left; each item must be matched once.",
            "duplicate_right": "“%(text)s” appears twice on the right; each answer must be used once.",
            "pairing": "The left-to-right matches are not a one-to-one pairing.",
            "right_has_partner": "A right-hand choice points at a partner.",
        },
        "importer": {
            "too_few_pairs": "a matching question needs at least two pairs (found %(count)s).",
            "blank_pair": "a matching pair is missing its left or right side.",
            "duplicate_left": "two matching items have the same text.",
            "duplicate_right": "two matching answers have the same text.",
            "pairing": "a matching item has no answer to match.",
        },
    }

    def option_drafts(self, draft) -> list[OptionDraft]:
        count = len(draft.pairs)
        shown = _display_rotation(count)
        rotated = sorted(range(count), key=lambda j: shown[j])
        # Lefts first in authored order, then the rights rotated; each left points at its right's index.
        right_index = {i: count + rotated.index(i) for i in range(count)}
        lefts = [
            OptionDraft(text=left.strip(), side=LEFT, match=right_index[i]) for i, (left, _) in enumerate(draft.pairs)
        ]
        rights = [OptionDraft(text=draft.pairs[i][1].strip(), side=RIGHT) for i in rotated]
        return lefts + rights

    def read_options(self, draft, options) -> None:
        draft.pairs = [(left.text, right.text if right else "") for left, right in self.key(options)]

    def add_form_fields(self, form) -> None:
        for i in range(1, self.form_row_count + 1):
            form.fields[f"left_{i}"] = forms.CharField(required=False, max_length=OPTION_MAX, label=f"Pair {i}: item")
            form.fields[f"right_{i}"] = forms.CharField(required=False, max_length=OPTION_MAX, label=f"Pair {i}: match")

    def form_rows(self, form):
        for i in range(1, self.form_row_count + 1):
            yield i, [form[f"left_{i}"], form[f"right_{i}"]]

    def read_form(self, data, draft) -> None:
        pairs = [(data.get(f"left_{i}", ""), data.get(f"right_{i}", "")) for i in range(1, self.form_row_count + 1)]
        draft.pairs = [(left, right) for left, right in pairs if left.strip() or right.strip()]

    def form_initial(self, draft) -> dict:
        initial = {}
        for i, (left, right) in enumerate(draft.pairs, 1):
            initial[f"left_{i}"], initial[f"right_{i}"] = left, right
        return initial

    def parsed_options(self, q) -> list[OptionDraft]:
        """One right-hand choice per distinct text, as options_from_parsed saves them, then the
        prompts, each pointing at its choice."""
        rights = list(dict.fromkeys([right for _, right in q["pairs"]] + q["distractors"]))
        lefts = [OptionDraft(text=left, side=LEFT, match=rights.index(right)) for left, right in q["pairs"]]
        return [OptionDraft(text=right, side=RIGHT) for right in rights] + lefts

    def options_from_parsed(self, question, parsed, option_class):
        """One right-hand choice per distinct text (several prompts may share a partner); the
        left-hand prompts come second, saved after the choices they point at."""
        rights = {}
        for right in [r for _, r in parsed.pairs] + parsed.distractors:
            if right not in rights:
                rights[right] = option_class(question=question, text=right, side=RIGHT, position=100 + len(rights))
        lefts = [
            option_class(question=question, text=left, side=LEFT, position=i, match=rights[right])
            for i, (left, right) in enumerate(parsed.pairs)
        ]
        return list(rights.values()), lefts

    def export_parts(self, question):
        """(pairs, distractors) as texts."""
        options = list(question.options.all())
        lefts = [o for o in options if o.side == LEFT]
        used = {o.match_id for o in lefts}
        by_id = {o.pk: o for o in options}
        pairs = [(o.text, by_id[o.match_id].text if o.match_id in by_id else "") for o in lefts]
        distractors = [o.text for o in options if o.side != LEFT and o.pk not in used]
        return pairs, distractors

    def export_to(self, writer, question, number):
        pairs, distractors = self.export_parts(question)
        return writer.matching(question, number, pairs, distractors)


MODES = {mode.name: mode for mode in (SingleChoice(), Ordering(), Matching())}
# The kinds not answered by single choice.
KIND_MODES = {Kind.CHRONOLOGY: "ordering", Kind.MATCHING: "matching"}


def mode_for(kind) -> AnswerMode:
    return MODES[KIND_MODES.get(kind, "single")]


def kinds_of(name) -> set:
    """The kinds answered in the mode called `name`."""
    return {kind for kind in Kind.values if mode_for(kind).name == name}


# --- Saving options ---------------------------------------------------------------------------------


def save_options(question, drafts: list[OptionDraft]) -> list:
    """Create the question's options from drafts, in order (position = index + 1). Right-hand
    choices are saved first, so each left-hand one can point at its partner's row."""
    from .models import Option

    rows: list[Any] = [None] * len(drafts)  # each draft's saved Option, once saved
    for batch in (
        [i for i, o in enumerate(drafts) if o.side == RIGHT],
        [i for i, o in enumerate(drafts) if o.side != RIGHT],
    ):
        made = Option.objects.bulk_create(
            Option(
                question=question,
                text=drafts[i].text,
                position=i + 1,
                is_correct=drafts[i].is_correct,
                correct_position=drafts[i].correct_position,
                side=drafts[i].side,
                match=_saved_match(rows, drafts[i]),
                feedback=drafts[i].feedback,
            )
            for i in batch
        )
        for i, row in zip(batch, made):
            rows[i] = row
    return rows


def _saved_match(rows: list, draft: OptionDraft):
    # Right-hand options are saved first, so the one a left-hand option matches has its row.
    return None if draft.match is None else rows[draft.match]
