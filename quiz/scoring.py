"""Checking and recording answers. Scoring happens here, on the server, and is final.

Forms never name options by database id (ids are created in authored order, so for an
ordering question they would spell out the answer). Each option is named by an opaque
token, an HMAC of the attempt, the question and the option, which says nothing about its
place or correctness, cannot be guessed for another question's options, and means nothing
in any other attempt (a token learned in practice or a teacher's preview is no use in an
assignment). An answer is taken only to a question the student has been shown.

How each answer mode reads and scores its form is in quiz/answer_modes.py.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac

from config.errors import ApplicationError, Conflict

from . import attempts, review_options
from .answer_modes import BadAnswer, DisplayOptions, ScoredResponse
from .models import Answer, Attempt, ReviewTime
from .review import record_review

_MAX_MS = 2**31 - 1


class AttemptClosed(Conflict):
    """The attempt is finished; it takes no more answers."""


class NotShown(Conflict):
    """The question has not been shown to the student yet (its time could not be measured)."""


class Withheld(Conflict):
    """A practice or review question the student may no longer be served (attempts.withheld)."""


WITHHELD = (
    "This question is no longer open to practice: a set you are taking keeps its answer for now. "
    "Nothing was recorded; go on to the next question."
)

NOT_SHOWN = (
    "This question has not been shown to you yet, so an answer to it cannot be taken. "
    "Go to your current question and answer it there."
)


def option_token(scope, question_id, option_id) -> str:
    """The form name of an option. `scope`: the attempt's id, or a one-off value for a page
    that is no attempt (a teacher's preview), so its tokens are no use anywhere else."""
    value = f"{scope}:{question_id}:{option_id}"
    return salted_hmac("quiz.scoring.option", value, algorithm="sha256").hexdigest()[:16]


@dataclass
class RecordResult:
    answer: Answer
    created: bool
    attempt: Attempt
    finished: bool = False


def displayed_options(question, option_order, scope):
    """Options in display order; each gets `.token` (see option_token for `scope`). Options
    added after the attempt was created are not shown (the attempt is frozen), ones deleted
    since are skipped."""
    by_id = {o.pk: o for o in question.options.all()}
    shown = DisplayOptions()
    for pk in option_order:
        option = by_id.get(pk)
        if option is None:
            continue
        option.token = option_token(scope, question.pk, pk)
        shown.all.append(option)
    question.mode.arrange(shown)
    return shown


def score_response(question, option_order, post_data, scope) -> ScoredResponse:
    """Parse and check a submitted answer. Raises BadAnswer for anything malformed or tampered."""
    shown = displayed_options(question, option_order, scope)
    if not shown.all:
        raise BadAnswer("This question has no options to answer.")
    return question.mode.score(shown, post_data)


def _elapsed_ms(item, now):
    if item.shown_at is None:
        return None
    return max(0, min(_MAX_MS, int((now - item.shown_at).total_seconds() * 1000)))


def answer_row(item, student_id, scored, time_taken_ms) -> Answer:
    """The Answer that records `scored` as the student's answer to `item`, not saved yet
    (record_answer saves it; the benchmark data writes such rows in bulk)."""
    # A ScoredResponse's fields are the Answer's result columns, name for name.
    return Answer(
        item=item, student_id=student_id, question_id=item.question_id, time_taken_ms=time_taken_ms, **vars(scored)
    )


def count_answer(attempt, scored, now) -> list[str]:
    """Add a recorded answer to its attempt's tallies, finishing the attempt at its last
    question; returns the fields changed (for `save(update_fields=...)`)."""
    attempt.answered_count += 1
    attempt.correct_count += int(scored.is_correct)
    attempt.score += scored.score
    fields = ["answered_count", "correct_count", "score"]
    if attempt.answers_shown_at is None and attempt.show_answers == ReviewTime.EACH_QUESTION:
        # This answer's feedback shows its right answer: the set's answers are out to them.
        attempt.answers_shown_at = now
        fields.append("answers_shown_at")
    if attempt.answered_count >= attempt.question_count:
        attempt.finished_at = now
        fields.append("finished_at")
    return fields


def record_answer(attempt, item, post_data, now) -> RecordResult:
    """Record the student's answer to `item` exactly once.

    The attempt row is locked for the whole insert, so concurrent or replayed posts queue up
    and then hit the one-to-one constraint on Answer.item; that rolls the whole transaction
    back (nothing of theirs is written) and the first answer is returned with created=False.
    Checking for the answer before inserting would cost every first answer a query, and a
    savepoint around the insert two more; repeats are rare, first answers are the load.
    Raises AttemptClosed for a finished attempt, NotShown for a question never shown,
    BadAnswer for bad input. The answer is scheduled for spaced review at once when the
    attempt shows its score as it goes, otherwise when the score is shown (review_options).
    """
    try:
        with transaction.atomic():
            locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
            if locked.finished_at is not None:
                existing = Answer.objects.filter(item_id=item.pk).first()
                if existing is not None:
                    return RecordResult(answer=existing, created=False, attempt=locked)
                raise AttemptClosed("This quiz is finished, so it takes no more answers.")
            try:
                if item.shown_at is None:
                    raise NotShown(NOT_SHOWN)
                if locked.mode != Attempt.Mode.SET and attempts.withheld(item):
                    raise Withheld(WITHHELD)
                scored = score_response(item.question, item.option_order, post_data, scope=locked.pk)
            except ApplicationError:
                # A replayed post is a repeat however its data looks, or whatever has changed
                # since (nothing written yet).
                existing = Answer.objects.filter(item_id=item.pk).first()
                if existing is not None:
                    return RecordResult(answer=existing, created=False, attempt=locked)
                raise
            answer = answer_row(item, locked.student_id, scored, _elapsed_ms(item, now))
            answer.save(force_insert=True)
            locked.save(update_fields=count_answer(locked, scored, now))
            if locked.results_shown_at is not None:
                record_review(answer)
            if locked.finished_at is not None:
                review_options.attempt_finished(locked, now=now)
    except IntegrityError:
        # Rolled back whole. A repeat of an answered item (the unique item) is not an error;
        # any other constraint failure is, and goes on to the caller.
        existing = Answer.objects.filter(item_id=item.pk).first()
        if existing is None:
            raise
        return RecordResult(answer=existing, created=False, attempt=Attempt.objects.get(pk=attempt.pk))
    return RecordResult(answer=answer, created=True, attempt=locked, finished=locked.finished_at is not None)
