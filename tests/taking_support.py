"""Helpers for the quiz-taking tests: the form data a student's browser would post, starting a
set and answering over HTTP, and everything an answer writes (to compare before and after)."""

from django.utils import timezone

from quiz.attempts import mark_shown
from quiz.models import Answer, Attempt, AttemptItem, Option, ReviewCard, ReviewLog
from quiz.scoring import option_token


def _options(item):
    by_id = Option.objects.in_bulk(item.option_order)
    return [by_id[pk] for pk in item.option_order if pk in by_id]


def show(item):
    """What GET /attempts/<id>/ does when it shows the item."""
    mark_shown(item, timezone.now())
    return item


def token(item, option_id):
    """The form name of an option as the item's attempt shows it."""
    return option_token(item.attempt_id, item.question_id, option_id)


def answer_data(item, *, correct=True, show=True):
    """Form data answering `item` right (or wrong). A browser posts an answer only to the
    question it was shown, so the item is marked shown first (as GET /attempts/<id>/ does),
    unless `show=False`."""
    if show:
        mark_shown(item, timezone.now())
    options = _options(item)
    mode = item.question.mode.name
    if mode == "ordering":
        return _ordering_data(item, options, correct)
    if mode == "matching":
        return _matching_data(item, options, correct)
    chosen = next(o for o in options if o.is_correct == correct)
    return {"choice": token(item, chosen.pk)}


def _ordering_data(item, options, correct):
    ranked = sorted(options, key=lambda o: o.correct_position)
    if not correct:
        ranked = ranked[::-1]
    return {f"rank-{token(item, o.pk)}": str(i) for i, o in enumerate(ranked, start=1)}


def _matching_data(item, options, correct):
    left = [o for o in options if o.side == "left"]
    right = [o for o in options if o.side != "left"]
    data = {}
    for o in left:
        partner = o.match_id if correct else next(r.pk for r in right if r.pk != o.match_id)
        data[f"match-{token(item, o.pk)}"] = token(item, partner)
    return data


def answer_url(attempt, position):
    return f"/attempts/{attempt.pk}/items/{position}/answer/"


HTMX = {"HTTP_HX_REQUEST": "true"}


def start_set(client, question_set):
    """Start the set as its Start button does; the attempt it redirects to."""
    response = client.post(f"/quizzes/{question_set.pk}/start/")
    assert response.status_code == 302, response
    return Attempt.objects.get(pk=int(response["Location"].strip("/").split("/")[-1]))


def attempt_item(attempt, position):
    return AttemptItem.objects.select_related("question").get(attempt=attempt, position=position)


def post_answer(client, attempt, position, **extra):
    """Post the right answer to the item at `position`, as the student's browser would."""
    return client.post(answer_url(attempt, position), answer_data(attempt_item(attempt, position)), **extra)


def recorded_state(attempt):
    """Everything an answer writes, to compare before and after a failed save."""
    attempt = Attempt.objects.get(pk=attempt.pk)
    cards = list(ReviewCard.objects.filter(student_id=attempt.student_id).order_by("pk").values())
    return {
        "answers": list(Answer.objects.filter(item__attempt=attempt).order_by("pk").values_list("pk", "item_id")),
        "tallies": (attempt.answered_count, attempt.correct_count, attempt.score, attempt.finished_at),
        "cards": cards,
        "logs": ReviewLog.objects.filter(card__student_id=attempt.student_id).count(),
    }
