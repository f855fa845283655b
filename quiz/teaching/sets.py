"""Building question sets: the bank browser, adding, removing, reordering and duplicating.

A refused change raises a kind of refusal (config/errors.py) and changes nothing."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch, Q
from django.utils import timezone

from config.errors import Conflict, Invalid, NotFound

from .. import review_options
from ..models import Question, QuestionSet, SetItem, Visibility
from .access import bank_questions, parse_id

BANK_PAGE_SIZE = 15

# Difficulty bands match Question.difficulty_label.
DIFFICULTY_BANDS = {"easy": (0.0, 0.34), "medium": (0.34, 0.67), "hard": (0.67, 1.01)}


@dataclass
class Outcome:
    message: str
    changed: bool
    question: Question | None = None


def filter_bank(user, filters: dict):
    """The teacher's bank narrowed by the cleaned filters of BankFilterForm."""
    questions = bank_questions(user)
    if filters.get("kind"):
        questions = questions.filter(kind=filters["kind"])
    if filters.get("figure"):
        questions = questions.filter(figures=filters["figure"])
    if filters.get("event"):
        questions = questions.filter(events=filters["event"])
    if filters.get("assessment"):
        questions = questions.filter(claim__assessment=filters["assessment"])
    if filters.get("difficulty") in DIFFICULTY_BANDS:
        low, high = DIFFICULTY_BANDS[filters["difficulty"]]
        questions = questions.filter(difficulty__gte=low, difficulty__lt=high)
    if filters.get("text"):
        questions = questions.filter(prompt__icontains=filters["text"])
    if filters.get("mine"):
        questions = questions.filter(author=user)
    # Joins through figures/events can repeat a question; distinct keeps one row each.
    return questions.distinct().select_related("claim").prefetch_related("figures", "options").order_by("kind", "id")


def bank_page(user, filters: dict, page_number):
    paginator = Paginator(filter_bank(user, filters), BANK_PAGE_SIZE)
    return paginator.get_page(page_number)


def set_items(question_set):
    """The set's items in order, with what the editor shows for each question."""
    return list(
        question_set.items.select_related("question", "question__claim")
        .prefetch_related(Prefetch("question__figures"), "question__options")
        .order_by("position", "id")
    )


def _renumber(question_set, items=None):
    items = items if items is not None else list(question_set.items.order_by("position", "id"))
    for index, item in enumerate(items, start=1):
        item.position = index
    SetItem.objects.bulk_update(items, ["position"])
    return items


def _bank_question(user, raw_id) -> Question:
    try:
        question_id = parse_id(raw_id)
    except (TypeError, ValueError):
        raise Invalid("Choose a question from the bank.") from None
    question = bank_questions(user).filter(pk=question_id).first()
    if question is not None:
        return question
    retired = Question.objects.filter(pk=question_id, is_retired=True)
    if retired.filter(Q(pk__in=Question.objects.open_bank()) | Q(author=user)).exists():
        raise Conflict("That question has been retired and can no longer be added.")
    raise NotFound("There is no such question in your bank.")


def add_question(question_set, user, raw_id) -> Outcome:
    question = _bank_question(user, raw_id)
    next_position = (question_set.items.aggregate(top=Max("position"))["top"] or 0) + 1
    try:
        # A savepoint, so a duplicate (double submit) leaves the outer transaction usable.
        with transaction.atomic():
            SetItem.objects.create(question_set=question_set, question=question, position=next_position)
    except IntegrityError:
        return Outcome("That question is already in the set.", changed=False, question=question)
    question_set.save(update_fields=["updated_at"])
    return Outcome("Question added to the set.", changed=True, question=question)


def _item(question_set, raw_id) -> SetItem:
    try:
        question_id = parse_id(raw_id)
    except (TypeError, ValueError):
        raise Invalid("Choose a question in the set.") from None
    item = question_set.items.filter(question_id=question_id).select_related("question").first()
    if item is None:
        raise NotFound("That question is not in this set.")
    return item


def remove_question(question_set, raw_id) -> Outcome:
    item = _item(question_set, raw_id)
    item.delete()
    _renumber(question_set)
    question_set.save(update_fields=["updated_at"])
    return Outcome("Question removed from the set.", changed=True, question=item.question)


def move_question(question_set, raw_id, direction) -> Outcome:
    if direction not in ("up", "down"):
        raise Invalid("Move a question up or down.")
    target = _item(question_set, raw_id)
    with transaction.atomic():
        items = _renumber(question_set)
        index = next(i for i, item in enumerate(items) if item.pk == target.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(items):
            edge = "first" if direction == "up" else "last"
            return Outcome(f"That question is already {edge}.", changed=False, question=target.question)
        items[index], items[other] = items[other], items[index]
        _renumber(question_set, items)
    question_set.save(update_fields=["updated_at"])
    return Outcome(f"Moved to position {other + 1}.", changed=True, question=target.question)


def save_settings(form) -> QuestionSet:
    """Save a SetForm for an existing set; its students' attempts follow the new review
    options and attempt limit (quiz/review_options.py)."""
    with transaction.atomic():
        question_set = form.save()
        review_options.set_changed(question_set, now=timezone.now())
    return question_set


SETTINGS_FIELDS = ["description", "shuffle_questions", "shuffle_options", "max_attempts", "show_score", "show_answers"]


@transaction.atomic
def duplicate_set(question_set, user) -> tuple[QuestionSet, int]:
    """Copy a set (own, or someone's public set) into a new private set owned by `user`.
    Retired questions are left out; returns the copy and how many were left out."""
    copy = QuestionSet.objects.create(
        owner=user,
        title=f"Copy of {question_set.title}"[:200],
        visibility=Visibility.PRIVATE,
        **{name: getattr(question_set, name) for name in SETTINGS_FIELDS},
    )
    items = question_set.items.select_related("question").order_by("position", "id")
    live = [item for item in items if not item.question.is_retired]
    SetItem.objects.bulk_create(
        SetItem(question_set=copy, question=item.question, position=index) for index, item in enumerate(live, 1)
    )
    return copy, len(items) - len(live)
