"""Teachers writing their own questions, held to the same rules as generated ones:
one correct answer, no duplicate options (ignoring case), nothing blank, ordering items
distinct, matching pairs a one-to-one correspondence, and a citation for the kinds that
rest on the interview's words.

`validate` gives friendly messages for what a teacher typically gets wrong, then runs the
generator's own rule book (quiz.generation.base.validate) on the same question, so a
teacher's question can never be something generation would refuse.
"""

from dataclasses import dataclass, field

from django.db import transaction

from ..generation import base as generation_rules
from ..models import MATCHING_KINDS, ORDERING_KINDS, Kind, Option, Origin, Question

MAX_OPTIONS = 6
MAX_ORDER_ITEMS = 5
MIN_OPTIONS = generation_rules.MIN_CHOICES
AUTHORED_KEY = "teacher"

# The generator's terse rule names, as a teacher would want to read them.
RULE_MESSAGES = {
    "empty explanation": "Write an explanation: students see it after answering.",
    "no citation (passage and quote)": "This kind of question rests on the interview's words: "
    "choose the passage and copy the exact words it quotes.",
    "a claim assessment without its claim": "Choose the claim this question asks students to assess.",
    "a passage without a quote or a quote without a passage": "Give both the passage and the words quoted from it, or neither.",
}


def answer_mode(kind) -> str:
    if kind in ORDERING_KINDS:
        return "ordering"
    if kind in MATCHING_KINDS:
        return "matching"
    return "single"


@dataclass
class Draft:
    kind: str
    prompt: str
    explanation: str = ""
    # Single choice: the options and the index of the correct one.
    choices: list[str] = field(default_factory=list)
    correct: int | None = None
    # Ordering: the items in their correct order.
    order: list[str] = field(default_factory=list)
    # Matching: (left, right) pairs, each left matched to its right.
    pairs: list[tuple[str, str]] = field(default_factory=list)
    # The citation: a Passage and the exact words quoted from it; the claim it tests.
    passage: object = None
    quote: str = ""
    claim: object = None
    difficulty: float = 0.5


def _norm(text) -> str:
    return " ".join((text or "").split()).casefold()


def _duplicates(texts) -> list[str]:
    seen, dupes = set(), []
    for text in texts:
        key = _norm(text)
        if key in seen and text not in dupes:
            dupes.append(text)
        seen.add(key)
    return dupes


def validate(draft: Draft) -> list[str]:
    """Every reason the draft cannot be saved; empty when it is valid."""
    errors = _friendly_errors(draft)
    if errors:
        return errors
    for rule in generation_rules.validate(generation_draft(draft)):
        message = RULE_MESSAGES.get(rule) or (rule[:1].upper() + rule[1:] + ".")
        if message not in errors:
            errors.append(message)
    return errors


def _friendly_errors(draft: Draft) -> list[str]:
    errors = []
    if draft.kind not in Kind.values:
        return ["Choose a question kind."]
    if not (draft.prompt or "").strip():
        errors.append("Write the question's prompt.")
    if not (draft.explanation or "").strip():
        errors.append(RULE_MESSAGES["empty explanation"])
    quote = (draft.quote or "").strip()
    if draft.kind in generation_rules.QUOTE_KINDS and (draft.passage is None or not quote):
        errors.append(RULE_MESSAGES["no citation (passage and quote)"])
    elif (draft.passage is None) != (not quote):
        errors.append(RULE_MESSAGES["a passage without a quote or a quote without a passage"])
    elif draft.passage is not None and quote not in draft.passage.text:
        errors.append(f"The quoted words do not occur in passage {draft.passage.position}; copy them exactly.")
    if draft.kind == Kind.CLAIM_ASSESSMENT and draft.claim is None:
        errors.append(RULE_MESSAGES["a claim assessment without its claim"])
    elif draft.kind == Kind.CLAIM_ASSESSMENT and draft.correct is not None and draft.correct < len(draft.choices):
        # The key must be the historians' assessment: the app never teaches an error as fact.
        label = draft.claim.get_assessment_display()
        if _norm(draft.choices[draft.correct]) not in {_norm(label), _norm(draft.claim.assessment)}:
            errors.append(f"Historians assess this claim as “{label}”: mark that option as the correct one.")
    mode = answer_mode(draft.kind)
    if mode == "single":
        if any(not (c or "").strip() for c in draft.choices):
            errors.append("Options cannot be blank.")
        fewest = 2 if draft.kind == Kind.TRUE_FALSE else MIN_OPTIONS
        if len(draft.choices) < fewest:
            errors.append(f"Give at least {fewest} options.")
        if draft.correct is None or not 0 <= draft.correct < len(draft.choices):
            errors.append("Mark exactly one option as the correct answer.")
        for dupe in _duplicates(draft.choices):
            errors.append(f"The option “{dupe.strip()}” appears twice (options must differ, ignoring case).")
    elif mode == "ordering":
        if any(not (c or "").strip() for c in draft.order):
            errors.append("Items to order cannot be blank.")
        if not MIN_OPTIONS <= len(draft.order) <= MAX_ORDER_ITEMS:
            errors.append(f"Give {MIN_OPTIONS} to {MAX_ORDER_ITEMS} items to put in order.")
        for dupe in _duplicates(draft.order):
            errors.append(f"The item “{dupe.strip()}” appears twice (items must be distinct).")
    else:
        if any(not (left or "").strip() or not (right or "").strip() for left, right in draft.pairs):
            errors.append("Every pair needs both a left and a right side.")
        if len(draft.pairs) < MIN_OPTIONS:
            errors.append(f"Give at least {MIN_OPTIONS} pairs to match.")
        # One-to-one: no left repeats and no right repeats, so each side has exactly one partner.
        for dupe in _duplicates(left for left, _ in draft.pairs):
            errors.append(f"“{dupe.strip()}” appears twice on the left; each item must be matched once.")
        for dupe in _duplicates(right for _, right in draft.pairs):
            errors.append(f"“{dupe.strip()}” appears twice on the right; each answer must be used once.")
    return errors


def _display_order(count) -> list[int]:
    """Stored display positions that never equal the key's order (a rotation by one), so an
    ordering or matching question does not give its answer away when options are not shuffled."""
    return [(index + 1) % count + 1 for index in range(count)] if count > 1 else [1]


def option_drafts(draft: Draft) -> list:
    """The options in display order, as the generator describes them."""
    OptionDraft = generation_rules.OptionDraft
    mode = answer_mode(draft.kind)
    if mode == "single":
        return [OptionDraft(text=t.strip(), is_correct=(i == draft.correct)) for i, t in enumerate(draft.choices)]
    if mode == "ordering":
        shown = _display_order(len(draft.order))
        by_place = sorted(range(len(draft.order)), key=lambda i: shown[i])
        return [OptionDraft(text=draft.order[i].strip(), correct_position=i + 1) for i in by_place]
    count = len(draft.pairs)
    shown = _display_order(count)
    # Lefts first in authored order, then the rights rotated; each left points at its right's index.
    right_index = {i: count + sorted(range(count), key=lambda j: shown[j]).index(i) for i in range(count)}
    lefts = [OptionDraft(text=left.strip(), side=Option.Side.LEFT, match=right_index[i]) for i, (left, _) in enumerate(draft.pairs)]
    rights = [
        OptionDraft(text=draft.pairs[i][1].strip(), side=Option.Side.RIGHT) for i in sorted(range(count), key=lambda j: shown[j])
    ]
    return lefts + rights


def generation_draft(draft: Draft):
    return generation_rules.QuestionDraft(
        kind=draft.kind,
        generator_key=AUTHORED_KEY,
        prompt=draft.prompt or "",
        options=option_drafts(draft),
        explanation=draft.explanation or "",
        passage=draft.passage,
        quote=(draft.quote or "").strip(),
        claim=draft.claim,
        difficulty=draft.difficulty,
    )


def _write_options(question, draft):
    options = option_drafts(draft)
    rows = Option.objects.bulk_create(
        Option(
            question=question,
            text=o.text,
            position=index,
            is_correct=o.is_correct,
            correct_position=o.correct_position,
            side=o.side,
        )
        for index, o in enumerate(options, start=1)
    )
    linked = []
    for row, o in zip(rows, options):
        if o.match is not None:
            row.match = rows[o.match]
            linked.append(row)
    Option.objects.bulk_update(linked, ["match"])


@transaction.atomic
def save_question(draft: Draft, author, *, question=None, figures=(), events=()):
    """Create (or rewrite an unanswered) teacher question. Callers validate first."""
    errors = validate(draft)
    if errors:
        raise ValueError(errors)
    if question is None:
        question = Question(origin=Origin.TEACHER, author=author)
    question.kind = draft.kind
    question.prompt = draft.prompt.strip()
    question.explanation = (draft.explanation or "").strip()
    question.difficulty = draft.difficulty
    question.claim = draft.claim
    question.passage = draft.passage
    question.quote = (draft.quote or "").strip() if draft.passage else ""
    question.save()
    question.options.all().delete()
    _write_options(question, draft)
    question.figures.set(figures)
    question.events.set(events)
    return question


def draft_from_question(question) -> Draft:
    options = list(question.options.all())
    draft = Draft(
        kind=question.kind,
        prompt=question.prompt,
        explanation=question.explanation,
        passage=question.passage,
        quote=question.quote,
        claim=question.claim,
        difficulty=question.difficulty,
    )
    mode = answer_mode(question.kind)
    if mode == "single":
        ordered = sorted(options, key=lambda o: (o.position, o.pk))
        draft.choices = [o.text for o in ordered]
        draft.correct = next((i for i, o in enumerate(ordered) if o.is_correct), None)
    elif mode == "ordering":
        draft.order = [o.text for o in sorted(options, key=lambda o: (o.correct_position or 0, o.pk))]
    else:
        by_id = {o.pk: o for o in options}
        lefts = sorted((o for o in options if o.side == Option.Side.LEFT), key=lambda o: (o.position, o.pk))
        draft.pairs = [(o.text, by_id[o.match_id].text if o.match_id in by_id else "") for o in lefts]
    return draft


def can_edit(question, user) -> bool:
    """Only the author edits, and only before anyone has answered: past answers keep their meaning."""
    return question.author_id == user.pk and question.origin == Origin.TEACHER and not question.answers.exists()
