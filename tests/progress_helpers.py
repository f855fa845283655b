"""Answer history for progress tests: attempts with answers recorded at a chosen time.

Answers are written the way the scoring code writes them (Answer row, attempt tallies,
then `record_review`), but with `answered_at` set in the past, so the FSRS schedule can be
observed without waiting.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from quiz.attempts import create_attempt
from quiz.models import Answer, Attempt
from quiz.review import record_review

SLOW_MS = 20_000  # a correct answer this slow rates Good
FAST_MS = 3_000  # ... and this fast, Easy


def take(student, results, *, title="Quiz", when=None, finished=True, mode=Attempt.Mode.SET, review=True):
    """Create an attempt over the questions in `results` and answer them.

    `results` is a list of (question, is_correct) or (question, is_correct, time_ms);
    answers are one second apart from `when` (default: now). With finished=False the last
    question stays unanswered.
    """
    when = when or timezone.now()
    results = [(r[0], r[1], r[2] if len(r) > 2 else SLOW_MS) for r in results]
    attempt = create_attempt(student, [r[0] for r in results], mode=mode, title=title)
    items = {item.question_id: item for item in attempt.items.all()}
    answered = results if finished else results[:-1]
    at = when
    for question, is_correct, time_ms in answered:
        at = at + datetime.timedelta(seconds=1)
        answer = Answer.objects.create(
            item=items[question.pk],
            student=student,
            question=question,
            is_correct=is_correct,
            score=1.0 if is_correct else 0.0,
            time_taken_ms=time_ms,
        )
        Answer.objects.filter(pk=answer.pk).update(answered_at=at)
        answer.answered_at = at
        if review:
            with transaction.atomic():  # as in scoring: the card row is locked for the update
                record_review(answer)
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=when,
        finished_at=at if finished else None,
        answered_count=len(answered),
        correct_count=sum(1 for r in answered if r[1]),
        score=float(sum(1 for r in answered if r[1])),
    )
    attempt.refresh_from_db()
    return attempt


def ago(**kwargs):
    return timezone.now() - datetime.timedelta(**kwargs)
