"""Helpers for the quiz-taking tests: the form data a student's browser would post."""

from django.utils import timezone

from quiz.attempts import mark_shown
from quiz.models import Option
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
        ranked = sorted(options, key=lambda o: o.correct_position)
        if not correct:
            ranked = ranked[::-1]
        return {f"rank-{token(item, o.pk)}": str(i) for i, o in enumerate(ranked, start=1)}
    if mode == "matching":
        left = [o for o in options if o.side == "left"]
        right = [o for o in options if o.side != "left"]
        data = {}
        for i, o in enumerate(left):
            partner = o.match_id if correct else next(r.pk for r in right if r.pk != o.match_id)
            data[f"match-{token(item, o.pk)}"] = token(item, partner)
        return data
    chosen = next(o for o in options if o.is_correct == correct)
    return {"choice": token(item, chosen.pk)}


def answer_url(attempt, position):
    return f"/attempts/{attempt.pk}/items/{position}/answer/"


HTMX = {"HTTP_HX_REQUEST": "true"}
