"""Spaced repetition with FSRS: every question a student has answered is a card.

`record_review` is called in the same transaction that records an Answer, or, when the
answer's score is hidden from the student for now, in the one that shows it
(quiz/review_options.py); ReviewLog is one-to-one with Answer, so a card is reviewed exactly
once per answer.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from fsrs import Card, Rating, Scheduler

from .models import Answer, Question, ReviewCard, ReviewLog

# No fuzzing: the same answers always give the same schedule, which teachers and tests can rely on.
SCHEDULER = Scheduler(enable_fuzzing=False)

# A correct answer this fast was easy; this slow, it was hard work (milliseconds).
EASY_UNDER_MS = 8_000
HARD_OVER_MS = 45_000


def rating_for(answer: Answer) -> Rating:
    """Derive the FSRS rating from correctness and the time the student took."""
    if not answer.is_correct:
        # Half right (ordering, matching) still needs relearning, but less urgently.
        return Rating.Hard if answer.score >= 0.5 else Rating.Again
    taken = answer.time_taken_ms
    if taken is not None and taken < EASY_UNDER_MS:
        return Rating.Easy
    if taken is not None and taken > HARD_OVER_MS:
        return Rating.Hard
    return Rating.Good


def record_review(answer: Answer) -> ReviewCard:
    """Schedule the answer's question for its student; returns the updated card."""
    now = answer.answered_at or timezone.now()
    rating = rating_for(answer)
    card_row = (
        ReviewCard.objects.select_for_update()
        .filter(student_id=answer.student_id, question_id=answer.question_id)
        .first()
    )
    if card_row is None:
        # A first answer: insert the card already reviewed (one write, not an insert then an update).
        card, _log = SCHEDULER.review_card(Card(card_id=answer.question_id), rating, review_datetime=now)
        try:
            with transaction.atomic():
                card_row = ReviewCard.objects.create(
                    student_id=answer.student_id,
                    question_id=answer.question_id,
                    fsrs_state=card.to_dict(),
                    due=card.due,
                    last_review=now,
                    reviews=1,
                )
        except IntegrityError:
            # The same student answered this question in another attempt at the same moment.
            card_row = ReviewCard.objects.select_for_update().get(
                student_id=answer.student_id, question_id=answer.question_id
            )
            _review_existing(card_row, rating, now)
    else:
        _review_existing(card_row, rating, now)
    ReviewLog.objects.create(card=card_row, answer=answer, rating=int(rating), reviewed_at=card_row.last_review or now)
    return card_row


def _review_existing(card_row, rating, now):
    # An answer scheduled late (its score was hidden until the attempt ended or the due date)
    # may be older than the card's last review; the scheduler must never step back in time.
    if card_row.last_review is not None:
        now = max(now, card_row.last_review)
    card = Card.from_dict(card_row.fsrs_state) if card_row.fsrs_state else Card(card_id=card_row.question_id)
    card, _log = SCHEDULER.review_card(card, rating, review_datetime=now)
    card_row.fsrs_state = card.to_dict()
    card_row.due = card.due
    card_row.last_review = now
    card_row.reviews += 1
    card_row.save(update_fields=["fsrs_state", "due", "last_review", "reviews"])


def student_cards(student):
    """The student's cards of questions they may still be served (quiz.models.QuestionQuerySet.servable_to):
    a question retired, taken out of the sets open to them, or whose set keeps its answers back
    never comes back for review."""
    return ReviewCard.objects.filter(student=student, question__in=Question.objects.servable_to(student))


def due_cards(student, now=None):
    """The student's cards due for review, most overdue first."""
    now = now or timezone.now()
    return student_cards(student).filter(due__lte=now).order_by("due", "id")
