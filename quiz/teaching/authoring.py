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

from ..answer_modes import mode_for, save_options
from ..generation import base as generation_rules
from ..models import Kind, Origin, Question

AUTHORED_KEY = "teacher"

# The generator's terse rule names, as a teacher would want to read them.
RULE_MESSAGES = {
    "empty explanation": "Write an explanation: students see it after answering.",
    "no citation (passage and quote)": "This kind of question rests on the interview's words: "
    "choose the passage and copy the exact words it quotes.",
    "a claim assessment without its claim": "Choose the claim this question asks students to assess.",
    "a passage without a quote or a quote without a passage": "Give both the passage and the words quoted from it, or neither.",
}


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
    errors += mode_for(draft.kind).draft_errors(draft)
    return errors


def option_drafts(draft: Draft) -> list:
    """The options in display order, as the generator describes them."""
    return mode_for(draft.kind).option_drafts(draft)


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
    save_options(question, option_drafts(draft))
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
    mode_for(question.kind).read_options(draft, options)
    return draft


def can_edit(question, user) -> bool:
    """Only the author edits, and only before anyone has answered: past answers keep their meaning."""
    return question.author_id == user.pk and question.origin == Origin.TEACHER and not question.answers.exists()
