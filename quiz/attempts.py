"""Starting, resuming and walking through quiz attempts.

An attempt freezes the questions and the order their options are shown in
(`AttemptItem.option_order`, a list of option ids) when it is created, so a
resumed attempt, or one continued after a server restart, looks exactly the same.

A practice or review session never holds two questions where one gives the other away
(quiz/independence.py); a set holds what its teacher put in it.
"""

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from config.errors import Conflict

from . import review_options
from .answer_modes import rng_for
from .independence import independent
from .models import Assignment, Attempt, AttemptItem, Question, QuestionSet, ReviewTime, SetItem
from .progress import PRACTICE_SIZE, practice_questions


class CannotStart(Conflict):
    """A quiz cannot be started as things stand; the message is shown to the student as is."""


class AttemptLimitReached(CannotStart):
    pass


class NoQuestions(CannotStart):
    pass


def option_order_for(question, *, shuffle, seed):
    """The display order of a question's options (a list of option ids), as its answer mode
    shows them (quiz/answer_modes.py: `display_order`)."""
    shown = question.mode.display_order(question, list(question.options.all()), shuffle=shuffle, seed=seed)
    return [o.pk for o in shown]


def create_attempt(
    student,
    questions,
    *,
    mode,
    title,
    question_set=None,
    assignment=None,
    shuffle_options=False,
    seed=None,
):
    """Create an attempt over `questions` (an iterable of Question, in order) with its items.

    An attempt at a set follows the set's shuffling and review options (quiz/review_options.py);
    any other is in the given order, `shuffle_options` as asked, everything shown at each question.
    """
    shuffle_questions, show_score, show_answers = False, ReviewTime.EACH_QUESTION, ReviewTime.EACH_QUESTION
    if question_set is not None:
        shuffle_questions, shuffle_options = question_set.shuffle_questions, question_set.shuffle_options
        show_score, show_answers = question_set.show_score, question_set.show_answers
    questions = list(questions)
    if not questions:
        raise NoQuestions("There are no questions to practise here yet.")
    if seed is None:
        seed = secrets.randbits(32)
    # The options are needed to fix their order; fetch them all at once.
    ids = [q.pk for q in questions]
    by_id = Question.objects.prefetch_related("options").in_bulk(ids)
    ordered = [by_id[pk] for pk in dict.fromkeys(ids) if pk in by_id]
    if shuffle_questions:
        rng_for(f"{seed}:questions").shuffle(ordered)
    with transaction.atomic():
        attempt = Attempt.objects.create(
            student=student,
            mode=mode,
            title=title[:200],
            question_set=question_set,
            assignment=assignment,
            show_score=show_score,
            show_answers=show_answers,
            results_shown_at=review_options.initial_results_shown_at(show_score, timezone.now()),
            question_count=len(ordered),
        )
        AttemptItem.objects.bulk_create(
            AttemptItem(
                attempt=attempt,
                question=question,
                position=index,
                option_order=option_order_for(question, shuffle=shuffle_options, seed=seed),
            )
            for index, question in enumerate(ordered, start=1)
        )
    return attempt


def unfinished_attempts(student):
    """The student's attempts that are started but not finished, newest first."""
    return Attempt.objects.filter(student=student, finished_at__isnull=True, question_count__gt=0).select_related(
        "question_set"
    )


def student_assignments(student):
    return Assignment.objects.filter(classroom__enrollments__student=student)


def _count_of(queryset):
    counted = queryset.order_by().values("question_set").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def available_sets(student):
    """Question sets the student may take (QuestionSet.objects.takeable_by), annotated with
    `live_count` (questions not retired), `used_attempts` (this student's attempts at it) and
    `has_unfinished`."""
    return (
        QuestionSet.objects.takeable_by(student)
        .annotate(
            # Subqueries rather than joins: counting items and attempts in one join multiplies rows.
            live_count=_count_of(SetItem.objects.live().filter(question_set=OuterRef("pk"))),
            used_attempts=_count_of(Attempt.objects.filter(question_set=OuterRef("pk"), student=student)),
            has_unfinished=Exists(
                Attempt.objects.filter(question_set=OuterRef("pk"), student=student, finished_at__isnull=True)
            ),
        )
        .order_by("title", "id")
    )


def assignment_for(student, question_set, chosen=""):
    """The student's assignment of the set that a new attempt counts for, so their teacher sees
    it: the one the home page's Start button names, else the open one due first (one still
    before its due date, or with none), else the latest past its due date. None if unassigned."""
    assignments = student_assignments(student).filter(question_set=question_set)
    if chosen.isdecimal() and len(chosen) < 19:
        named = assignments.filter(pk=chosen).first()
        if named is not None:
            return named
    still_open = Q(due_at__isnull=True) | Q(due_at__gte=timezone.now())
    return (
        assignments.filter(still_open).order_by(F("due_at").asc(nulls_last=True), "id").first()
        or assignments.order_by("-due_at", "-id").first()
    )


def _lock_student(student):
    # Serialises starts per student, so a double-clicked "Start" cannot create two attempts.
    get_user_model().objects.select_for_update().filter(pk=student.pk).first()


def new_attempt_refusal(student, question_set) -> CannotStart | None:
    """Why the student may not start another attempt at the set (which they may take), or None."""
    if question_set.max_attempts:
        used = Attempt.objects.filter(student=student, question_set=question_set).count()
        if used >= question_set.max_attempts:
            return AttemptLimitReached(
                f"You have used all {question_set.max_attempts} "
                f"attempt{'s' if question_set.max_attempts != 1 else ''} allowed for “{question_set.title}”."
            )
    if review_options.answers_out(student, question_set, now=timezone.now()):
        return CannotStart(
            f"“{question_set.title}” is closed to you: its due date has passed or its answers have been "
            "shown to you, so it cannot be taken again."
        )
    return None


def start_set(student, question_set, assignment=None):
    """Resume the student's unfinished attempt at this set, or start a new one.

    Raises AttemptLimitReached when max_attempts is used up, NoQuestions for an empty set,
    CannotStart once the due date has passed and shown the set's answers.
    """
    if assignment is not None and assignment.question_set_id != question_set.pk:
        raise CannotStart("That assignment is for a different question set.")
    with transaction.atomic():
        _lock_student(student)
        existing = (
            Attempt.objects.filter(student=student, question_set=question_set, finished_at__isnull=True)
            .order_by("-started_at", "-id")
            .first()
        )
        if existing is not None:
            return existing
        refusal = new_attempt_refusal(student, question_set)
        if refusal is not None:
            raise refusal
        questions = [
            item.question for item in question_set.items.select_related("question").live().order_by("position", "id")
        ]
        if not questions:
            raise NoQuestions(f"“{question_set.title}” has no questions yet.")
        return create_attempt(
            student,
            questions,
            mode=Attempt.Mode.SET,
            title=question_set.title,
            question_set=question_set,
            assignment=assignment,
        )


def start_unique(student, questions, *, mode, title):
    """Create a practice or review attempt over `questions`, less each one that another
    before it gives away (independence.independent), or return the identical one a
    double-submitted form already made (unstarted, same mode, same questions).

    The student's row is locked so two concurrent posts cannot both create one.
    """
    questions = independent(questions)
    with transaction.atomic():
        _lock_student(student)
        latest = (
            Attempt.objects.filter(student=student, mode=mode, finished_at__isnull=True, answered_count=0)
            .order_by("-started_at", "-id")
            .first()
        )
        if latest is not None and sorted(latest.items.values_list("question_id", flat=True)) == sorted(
            q.pk for q in questions
        ):
            return latest
        # Options shuffled: teacher-written questions list their key first.
        return create_attempt(student, questions, mode=mode, title=title, shuffle_options=True)


def start_practice(student, topic):
    """A quick practice on one figure or event: the student's weakest questions on it first
    (see progress.practice_questions), as many as a practice holds once those another gives
    away are left out. A double-submitted form lands on the same attempt."""
    questions = independent(practice_questions(student, topic, limit=None), limit=PRACTICE_SIZE)
    if not questions:
        raise NoQuestions(f"There are no questions about {_topic_name(topic)} to practise yet.")
    return start_unique(student, questions, mode=Attempt.Mode.PRACTICE, title=f"Quick practice: {_topic_name(topic)}")


def _topic_name(topic):
    return getattr(topic, "short_name", None) or getattr(topic, "name", str(topic))


def next_item(student, attempt_id):
    """The first unanswered item of the student's unfinished attempt (resuming lands here), with
    the attempt and the question's options, in one query plus the options'; None when there is
    none (no such attempt of theirs, finished, or every item answered).

    A practice or review session skips the questions the student may no longer be served (a
    set that now keeps their answers was assigned since it started): it shows right answers."""
    items = (
        AttemptItem.objects.filter(
            attempt_id=attempt_id, attempt__student=student, attempt__finished_at__isnull=True, answer__isnull=True
        )
        .select_related("attempt", "question")
        .prefetch_related("question__options")
        .order_by("position")
    )
    item = items.first()
    if item is None or not withheld(item):
        return item
    return items.filter(question__in=Question.objects.servable_to(student)).first()


def withheld(item) -> bool:
    """Whether a practice or review item's question may no longer be served to its student
    (Question.objects.servable_to). A set's own attempt serves every question of the set."""
    if item.attempt.mode == Attempt.Mode.SET:
        return False
    return not Question.objects.servable_to(item.attempt.student_id).filter(pk=item.question_id).exists()


def answerable_item(student, attempt_id, position):
    """The item an answer is posted to, with its attempt and question (and the passage and
    claim its feedback cites) in one query plus the options'; None unless it is the student's.
    The hot path under load."""
    return (
        AttemptItem.objects.select_related("attempt", "question__passage", "question__claim")
        .prefetch_related("question__options")
        .filter(attempt_id=attempt_id, attempt__student=student, position=position)
        .first()
    )


def mark_shown(item, now):
    """The student is shown `item`: first sight only, recorded on the server; the answer's
    time taken is measured from here, and an item never shown takes no answer."""
    if item.shown_at is None:
        AttemptItem.objects.filter(pk=item.pk, shown_at__isnull=True).update(shown_at=now)
        item.shown_at = now


def finish(attempt, now):
    """End an unfinished attempt where it stands (questions not answered count as not
    answered); a finished one is left as it is."""
    with transaction.atomic():
        if Attempt.objects.filter(pk=attempt.pk, finished_at__isnull=True).update(finished_at=now):
            attempt.finished_at = now
            review_options.attempt_finished(attempt, now=now)
