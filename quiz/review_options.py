"""What a student may see of their own attempt, and when: Moodle's review options.

A question set says when its students see two things (`ReviewTime`, earliest first):
- `show_score`: whether each answer was right, and the score;
- `show_answers`: the right answers, with the explanation, the cited passage and what
  historians say. Never before the score (a database constraint): the right answer
  tells a student whether they were right.

"After each question" applies to a question as soon as it is answered; "when the attempt
is finished" once it is; "after the due date" once the set is *closed* to the student: no
attempt of theirs at it is open and every due date the set has been given is past (for every
class it is assigned to, the student's or not: answers shared between classes, or seen from
an account outside them, would otherwise reach a class still working), or, when the set has
no due date at all, once they have used every attempt allowed. A due date wins over the
attempt limit: a pupil who has used their one attempt, or a second account, sees nothing
before the last due date. A question the student did not answer shows its right answer only once the
set is closed to them, so stopping early never hands over the key. Once a set's answers have
been shown to a student because it closed (`Attempt.answers_shown_at`, never cleared), they
cannot take it again, even if a later due date (another class, an extension) would reopen it.
A deleted set never closes: its questions may sit in sets the student is still taking.
Practice and review sessions show everything after each question.

Whether the score is shown is also kept in the database, as `Attempt.results_shown_at`,
because progress, mastery and the home page add answers up in SQL. `sync` sets or clears
it (and sets answers_shown_at) whenever something it depends on changes (an attempt
finishing, the set's options or attempt limit, a due date), and
`sync_student` catches up lazily when a student opens a page that counts (a due date passes
without any request). An answer whose score is still hidden is scheduled for spaced review
only once it is shown, so the review queue cannot tell either.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.db import transaction
from django.db.models import Count, Max, Q

from .models import Answer, Assignment, Attempt, ReviewTime
from .review import record_review

EACH, AFTER_ATTEMPT, AFTER_CLOSE, NEVER = (
    ReviewTime.EACH_QUESTION,
    ReviewTime.AFTER_ATTEMPT,
    ReviewTime.AFTER_CLOSE,
    ReviewTime.NEVER,
)

# When something hidden will be shown, as the end of a sentence ("... are shown <when>").
_LATER = {
    AFTER_ATTEMPT: "when you finish the quiz",
    AFTER_CLOSE: "after the due date (or, if there is none, once you have used all your attempts)",
    NEVER: "",
}


class Shown:
    """What the student may see of one attempt now. `closed` tells whether its set is closed
    to them (a bool, or a function asked only when the answer depends on it, so the answer
    path does not pay for it)."""

    def __init__(self, attempt, closed):
        self.is_set = attempt.mode == Attempt.Mode.SET
        self.show_score = attempt.show_score
        self.show_answers = attempt.show_answers
        self._finished = attempt.finished_at is not None
        self._closed = closed

    @cached_property
    def closed(self) -> bool:
        return self._closed() if callable(self._closed) else bool(self._closed)

    def _reached(self, when) -> bool:
        if when == EACH:
            return True
        # Nothing later than "after each question" while the attempt can still take answers.
        return self._finished and (when == AFTER_ATTEMPT or (when == AFTER_CLOSE and self.closed))

    @cached_property
    def score(self) -> bool:
        """Whether each answered question was right, and the score."""
        return self._reached(self.show_score)

    @cached_property
    def answers(self) -> bool:
        """The right answers and explanations of the questions the student answered."""
        return self._reached(self.show_answers)

    @cached_property
    def unanswered(self) -> bool:
        """The right answers of the questions the student did not answer."""
        return self.answers and self._finished and self.closed

    @property
    def score_later(self) -> str:
        """When the score will be shown, to end a sentence; "" when it never will be."""
        return _LATER.get(self.show_score, "")

    @property
    def answers_later(self) -> str:
        return _LATER.get(self.show_answers, "")

    @property
    def answers_note(self) -> str:
        """Said in place of an answered question's right answer while it is hidden."""
        if self.answers_later:
            return f"The right answer and the explanation are shown {self.answers_later}."
        return "The right answers are not shown for this quiz."

    @property
    def unanswered_note(self) -> str:
        """Said in place of a question's right answer when the student did not answer it."""
        if self.is_set and self.show_answers != NEVER:
            return "You did not answer this question: its right answer is shown once you can no longer take this quiz."
        if self.is_set:
            return self.answers_note
        return "You did not answer this question, so its right answer stays hidden: practise it to find out."


def attempt_shown(attempt, *, now) -> Shown:
    return Shown(attempt, closed=lambda: closed_for(attempt, now=now))


# --- Is the set closed to the student? ----------------------------------------------------------


def closed_for(attempt, *, now) -> bool:
    """Whether `attempt`'s student can take its set no more (see the module docstring).
    Practice and review sessions never close, nor does an attempt whose set was deleted."""
    if attempt.mode != Attempt.Mode.SET or attempt.question_set_id is None:
        return False
    pair = (attempt.student_id, attempt.question_set_id)
    return pair in _closed_pairs([pair], now=now)


def _latest_dues(question_sets) -> dict:
    """{set id: its latest due date} over every dated assignment of the sets (any class)."""
    dated = Assignment.objects.filter(question_set__in=question_sets, due_at__isnull=False)
    return {row["question_set"]: row["latest"] for row in dated.values("question_set").annotate(latest=Max("due_at"))}


def _closed_pairs(pairs, *, now) -> set:
    """Of (student id, set id) pairs, those whose set is closed to the student. Two
    queries whatever the number of pairs."""
    pairs = set(pairs)
    if not pairs:
        return set()
    students = {s for s, _ in pairs}
    sets = {q for _, q in pairs}
    attempts = {
        (row["student"], row["question_set"]): row
        for row in Attempt.objects.filter(student__in=students, question_set__in=sets)
        .values("student", "question_set", "question_set__max_attempts")
        .annotate(used=Count("pk"), open=Count("pk", filter=Q(finished_at__isnull=True)))
    }
    latest_due = _latest_dues(sets)
    closed = set()
    for pair in pairs:
        row = attempts.get(pair)
        if row is None or row["open"]:
            continue
        due = latest_due.get(pair[1])
        limit = row["question_set__max_attempts"]
        if due <= now if due is not None else bool(limit and row["used"] >= limit):
            closed.add(pair)
    return closed


def answers_out(student, question_set, *, now) -> bool:
    """True when closing has shown (or, its due date passed, now shows) the set's score or
    answers to the student: a new attempt would be taken with the key."""
    if not question_set.waits_for_close:
        return False
    seen = Attempt.objects.filter(student=student, question_set=question_set, answers_shown_at__isnull=False)
    if seen.exists():
        return True
    due = _latest_dues([question_set.pk]).get(question_set.pk)
    return due is not None and due <= now


# --- Keeping Attempt.results_shown_at in step ------------------------------------------------------


def initial_results_shown_at(show_score, now):
    """For a new attempt: its score is shown from the start when it is shown after each
    question. (Its answers are shown only once it has some: see scoring.record_answer.)"""
    return now if show_score == EACH else None


def sync(attempts, *, now) -> int:
    """Set or clear `results_shown_at` on `attempts` (a queryset) to match what their students
    may see now, and schedule for review the answers whose score has just been shown.
    Returns how many attempts changed."""
    with transaction.atomic():
        rows = list(
            attempts.select_for_update().only(
                "pk",
                "student_id",
                "question_set_id",
                "mode",
                "finished_at",
                "show_score",
                "show_answers",
                "results_shown_at",
                "answers_shown_at",
                "answered_count",
            )
        )
        changes = _changes(rows, now=now)
        if changes.answered:
            Attempt.objects.filter(pk__in=changes.answered).update(answers_shown_at=now)
        if changes.released:
            Attempt.objects.filter(pk__in=changes.released).update(results_shown_at=now)
            _schedule_reviews(changes.released, now)
        if changes.hidden:
            # Once seen is seen, but pages that count stop counting them (a teacher who
            # raises the attempt limit is taking the answers back until the set closes again).
            Attempt.objects.filter(pk__in=changes.hidden).update(results_shown_at=None)
    return len(changes.released) + len(changes.hidden)


@dataclass
class _Changes:
    """Attempt ids whose score is now shown (released) or no longer (hidden), and whose
    answers have now been shown (answered)."""

    released: list = field(default_factory=list)
    hidden: list = field(default_factory=list)
    answered: list = field(default_factory=list)


def _changes(rows, *, now) -> _Changes:
    pairs = [(a.student_id, a.question_set_id) for a in rows if a.mode == Attempt.Mode.SET and a.question_set_id]
    closed = _closed_pairs(pairs, now=now)
    changes = _Changes()
    for attempt in rows:
        shown = Shown(attempt, closed=(attempt.student_id, attempt.question_set_id) in closed)
        if shown.score != (attempt.results_shown_at is not None):
            (changes.released if shown.score else changes.hidden).append(attempt.pk)
        # "After each question" shows a right answer only once a question is answered.
        seen = shown.answers and (attempt.show_answers != EACH or attempt.answered_count)
        if seen and attempt.answers_shown_at is None:
            changes.answered.append(attempt.pk)
    return changes


def _schedule_reviews(attempt_ids, now):
    """Review cards for the answers of newly shown attempts, oldest first; each answer once
    (ReviewLog is one-to-one with Answer)."""
    pending = (
        Answer.objects.filter(item__attempt__in=attempt_ids, review_log__isnull=True)
        .select_related("item")
        .order_by("answered_at", "id")
    )
    for answer in pending:
        record_review(answer)


def attempt_finished(attempt, *, now):
    """An attempt has just finished: it may show its score now (when the attempt is finished),
    and it may have used the student's last attempt (closing the set to them)."""
    if attempt.show_score in (EACH, NEVER) and attempt.show_answers in (EACH, NEVER):
        return  # shown all along, or never will be: the common case on the answer path
    sync(_same_set(attempt), now=now)


def _same_set(attempt):
    if attempt.question_set_id is None:
        return Attempt.objects.filter(pk=attempt.pk)
    return Attempt.objects.filter(student_id=attempt.student_id, question_set_id=attempt.question_set_id)


def set_changed(question_set, *, now):
    """The teacher saved the set's settings (review times, attempt limit): its attempts follow."""
    Attempt.objects.filter(question_set=question_set).exclude(
        show_score=question_set.show_score, show_answers=question_set.show_answers
    ).update(show_score=question_set.show_score, show_answers=question_set.show_answers)
    sync(Attempt.objects.filter(question_set=question_set), now=now)


def due_dates_changed(question_set, *, now):
    """An assignment of the set was made, re-dated or removed."""
    sync(Attempt.objects.filter(question_set=question_set, finished_at__isnull=False), now=now)


def sync_student(student, *, now):
    """Catch up on due dates that passed since the student last looked (one query when, as
    usual, nothing is waiting)."""
    waiting = Attempt.objects.filter(student=student, finished_at__isnull=False).filter(
        Q(results_shown_at__isnull=True, show_score=AFTER_CLOSE)
        | Q(answers_shown_at__isnull=True, show_answers=AFTER_CLOSE)
    )
    if waiting.exists():
        sync(waiting, now=now)
