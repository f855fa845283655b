"""Progress and the review queue (student): the "My progress" page, practice on a weak
topic, and starting a spaced-repetition review session."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.db import transaction
from django.http import HttpResponseBadRequest, HttpResponseNotFound
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from .. import progress as domain
from ..attempts import create_attempt
from ..charts import trend_svg
from ..models import Attempt


def _attempt_url(attempt):
    return reverse("quiz:attempt", args=[attempt.pk])


def _unstarted_attempt_with(student, mode, questions):
    """An attempt of this mode the student has not answered yet, on exactly these questions.

    A double-submitted form then lands on the same attempt instead of creating a second one.
    """
    latest = (
        Attempt.objects.filter(student=student, mode=mode, finished_at__isnull=True, answered_count=0)
        .order_by("-started_at", "-id")
        .first()
    )
    if latest is None:
        return None
    wanted = [question.pk for question in questions]
    have = list(latest.items.order_by("position").values_list("question_id", flat=True))
    return latest if sorted(have) == sorted(wanted) else None


def _start(student, questions, *, mode, title):
    """Create the attempt, or return the identical one a double-submitted form already made.

    The student's row is locked so two concurrent posts cannot both create one.
    """
    with transaction.atomic():
        list(get_user_model().objects.select_for_update().filter(pk=student.pk).values_list("pk"))
        existing = _unstarted_attempt_with(student, mode, questions)
        # Options shuffled: teacher-written questions list their key first.
        return existing or create_attempt(student, questions, mode=mode, title=title, shuffle_options=True)


def _review_context(request, now):
    return {"review": domain.review_summary(request.user, now), "now": now}


@require_GET
@login_required
def progress(request):
    now = timezone.now()
    attempts, attempt_total = domain.attempt_history(request.user)
    points = domain.score_trend(request.user)
    rows = domain.mastery(request.user)
    context = {
        "attempts": attempts,
        "attempt_total": attempt_total,
        "points": points,
        "chart": trend_svg(points),
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
def practice_topic(request):
    """Start a practice attempt on one figure or event (form field `figure` or `event`)."""
    named = [(kind, request.POST[kind].strip()) for kind in ("figure", "event") if request.POST.get(kind, "").strip()]
    if len(named) != 1:
        return HttpResponseBadRequest("Choose exactly one figure or one event to practise.")
    kind, key = named[0]
    topic = domain.topic_for(kind, key)
    if topic is None:
        return HttpResponseNotFound(f"There is no {kind} called “{key}”.")
    questions = domain.practice_questions(request.user, topic)
    if not questions:
        messages.warning(request, f"There are no questions on {domain.topic_name(topic)} to practise yet.")
        return redirect(reverse("quiz:progress") + "#mastery")
    attempt = _start(
        request.user, questions, mode=Attempt.Mode.PRACTICE, title=f"Practice: {domain.topic_name(topic)}"
    )
    return redirect(_attempt_url(attempt))


@require_POST
@login_required
def review_start(request):
    """Start a review session of the due cards, or say when the next one falls due."""
    now = timezone.now()
    questions = domain.review_questions(request.user, now)
    if not questions:
        if request.htmx:
            return render(request, "quiz/progress.html#review", {**_review_context(request, now), "focus": True})
        summary = domain.review_summary(request.user, now)
        messages.info(request, _nothing_due_message(summary, now))
        return redirect(reverse("quiz:progress") + "#review")
    attempt = _start(request.user, questions, mode=Attempt.Mode.REVIEW, title="Review session")
    url = _attempt_url(attempt)
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _nothing_due_message(summary, now):
    if summary.next_due is None:
        return "Nothing to review yet: answer some questions first, and they will come back here when due."
    return f"Nothing is due for review. Your next card is due {naturaltime(summary.next_due)}."


urlpatterns = [
    path("progress/", progress, name="progress"),
    path("progress/practice/", practice_topic, name="practice_topic"),
    path("review/start/", review_start, name="review_start"),
]
