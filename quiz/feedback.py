"""What a student is told after answering: their answer beside the right one, the
explanation, the cited passage and, for claims, what historians have established.

Used by the feedback fragment and the end-of-quiz summary. Works from prefetched
options only, so it adds no queries per question. Each answer mode fills in its part
(quiz/answer_modes.py); its template's `review` partial shows it.
"""

from .answer_modes import AnswerReview


def review_answer(question, answer, shown_order=()) -> AnswerReview:
    """Describe `answer` (or None if unanswered) to `question` for the student. `shown_order`:
    the option ids in the order the attempt showed them, so matches are listed as asked."""
    options = list(question.options.all())
    if shown_order:
        place = {pk: i for i, pk in enumerate(shown_order)}
        options.sort(key=lambda o: place.get(o.pk, len(place)))
    mode = question.mode
    review = AnswerReview(mode=mode.name, answered=answer is not None, template=mode.partials["review"])
    if answer is not None:
        review.is_correct = answer.is_correct
        review.score = answer.score
    mode.review(review, options, {o.pk: o for o in options}, answer.response if answer is not None else {})
    return review
