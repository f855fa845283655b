"""Per-object access for teachers. Anything a teacher must not know exists is a 404."""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from ..models import Assignment, Classroom, Question, QuestionSet, Visibility


def parse_id(raw) -> int:
    """A posted id as an int; ValueError for anything that is not a database-sized integer
    (SQLite overflows on huge numbers, so a tampered form must not reach the query)."""
    text = "" if raw is None else str(raw).strip()
    # ASCII digits only: int() would also take "+5", "5_000" and other scripts' digits.
    if not (text.isascii() and text.isdigit()) or len(text) > 18 or int(text) == 0:
        raise ValueError(f"{raw!r} is not an id")
    return int(text)


def own_set(user, pk) -> QuestionSet:
    return get_object_or_404(QuestionSet, pk=pk, owner=user)


def viewable_sets(user):
    """Sets a teacher may open: their own, and anyone's public sets."""
    return QuestionSet.objects.filter(Q(owner=user) | Q(visibility=Visibility.PUBLIC))


def viewable_set(user, pk) -> QuestionSet:
    return get_object_or_404(viewable_sets(user).select_related("owner"), pk=pk)


def own_class(user, pk) -> Classroom:
    return get_object_or_404(Classroom, pk=pk, teacher=user)


def own_assignment(user, pk) -> Assignment:
    return get_object_or_404(
        Assignment.objects.select_related("classroom", "question_set"), pk=pk, classroom__teacher=user
    )


def bank_questions(user):
    """Questions a teacher may put in a set: the live open bank and their own. Another
    teacher's questions stay private, even once that teacher's account is gone."""
    return Question.objects.live().filter(Q(pk__in=Question.objects.open_bank()) | Q(author=user))


def previewable_question(user, pk) -> Question:
    """A question the teacher may preview: in their bank, or in a set they may view."""
    question = (
        Question.objects.filter(pk=pk)
        .filter(Q(pk__in=Question.objects.open_bank()) | Q(author=user) | Q(question_sets__in=viewable_sets(user)))
        .distinct()
        .first()
    )
    if question is None:
        raise Http404("No such question.")
    return question
