"""Progress and the review queue (student): the "My progress" page (its Practise buttons post
to the quiz list's practice view) and starting a spaced-repetition review session."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from .. import progress as domain
from .. import review_options
from ..attempts import start_unique
from ..charts import trend_svg
from ..models import Attempt


def _attempt_url(attempt):
    return reverse("quiz:attempt", args=[attempt.pk])


def _review_context(request, now):
    return {"review": domain.review_summary(request.user, now), "now": now}


@require_GET
@login_required
def progress(request):
    now = timezone.now()
    review_options.sync_student(request.user, now=now)
    attempts, attempt_total = domain.attempt_history(request.user)
    points = domain.score_trend(request.user, limit=domain.TREND_LIMIT)
    rows = domain.mastery(request.user)
    context = {
        "attempts": attempts,
        "attempt_total": attempt_total,
        "points": points,
        "chart": trend_svg(points, limit=domain.TREND_LIMIT),
        "overall": domain.overall(request.user),
        "weakest": rows[:3],
        "figure_rows": [row for row in rows if row.kind == "figure"],
        "event_rows": [row for row in rows if row.kind == "event"],
        "recent": domain.RECENT_ANSWERS,
        **_review_context(request, now),
    }
    return render(request, "quiz/progress.html", context)


@require_POST
@login_required
def review_start(request):
    """Start a review session of the due cards, or say when the next one falls due."""
    now = timezone.now()
    review_options.sync_student(request.user, now=now)
    questions = domain.review_questions(request.user, now)
    if not questions:
        if request.htmx:
            return render(request, "quiz/progress.html#review", {**_review_context(request, now), "focus": True})
        summary = domain.review_summary(request.user, now)
        messages.info(request, _nothing_due_message(summary, now))
        return redirect(reverse("quiz:progress") + "#review")
    attempt = start_unique(request.user, questions, mode=Attempt.Mode.REVIEW, title="Review session")
    url = _attempt_url(attempt)
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _nothing_due_message(summary, now):
    if summary.next_due is None:
        return "Nothing to review yet: answer some questions first, and they will come back here when due."
    return f"Nothing is due for review. Your next card is due {naturaltime(summary.next_due)}."
