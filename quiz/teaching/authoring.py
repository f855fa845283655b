"""Teachers writing their own questions, held to the same rules as generated ones:
one correct answer, no duplicate options (ignoring case), nothing blank, ordering items
distinct, matching pairs a one-to-one correspondence, and a citation for the kinds that
rest on the interview's words.

`check` runs the rules every question obeys (quiz/question_rules.py) with the generator's
thresholds, on the question as it would be saved, in a teacher's words (the TEACHER
audience), so a teacher's question can never be something generation would refuse.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from history.models import Claim, Passage

from ..answer_modes import mode_for, save_options
from ..generation.base import QUESTION_FIELDS, QuestionDraft
from ..models import Origin, Question
from ..question_rules import TEACHER

AUTHORED_KEY = "teacher"


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
    passage: Passage | None = None
    quote: str = ""
    claim: Claim | None = None
    difficulty: float = 0.5


def check(draft: Draft) -> list[ValidationError]:
    """Every reason the draft cannot be saved, each with its code; empty when it is valid."""
    return TEACHER.check(generation_draft(draft))


def validate(draft: Draft) -> list[str]:
    """Every reason the draft cannot be saved, as the form shows it; empty when it is valid."""
    return TEACHER.messages(generation_draft(draft))


def option_drafts(draft: Draft) -> list:
    """The options in display order, as the generator describes them."""
    return mode_for(draft.kind).option_drafts(draft)


def generation_draft(draft: Draft):
    return QuestionDraft(
        kind=draft.kind,
        generator_key=AUTHORED_KEY,
        prompt=(draft.prompt or "").strip(),
        options=option_drafts(draft),
        explanation=(draft.explanation or "").strip(),
        passage=draft.passage,
        quote=(draft.quote or "").strip(),
        claim=draft.claim,
        difficulty=draft.difficulty,
    )


@transaction.atomic
def save_question(draft: Draft, author, *, question=None, figures=(), events=()):
    """Create (or rewrite an unanswered) teacher question. Callers validate first."""
    checked = generation_draft(draft)
    errors = TEACHER.messages(checked)
    if errors:
        raise ValueError(errors)
    if question is None:
        question = Question(origin=Origin.TEACHER, author=author)
    # What was checked is what is saved (stripped; the rules refuse a quote without a passage).
    for name, value in checked.question_fields().items():
        setattr(question, name, value)
    question.save()
    question.options.all().delete()
    save_options(question, checked.options)
    question.figures.set(figures)
    question.events.set(events)
    return question


def draft_from_question(question) -> Draft:
    options = list(question.options.all())
    draft = Draft(**{name: getattr(question, name) for name in QUESTION_FIELDS})
    mode_for(question.kind).read_options(draft, options)
    return draft


def can_edit(question, user) -> bool:
    """Only the author edits, and only before anyone has answered: past answers keep their meaning."""
    return question.author_id == user.pk and question.origin == Origin.TEACHER and not question.answers.exists()
