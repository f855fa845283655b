"""Taking quizzes (student): the quiz list, starting, one question at a time, feedback, summary.

Every page works as plain form posts with full-page responses (Post/Redirect/Get);
with htmx the answer form swaps in only the feedback fragment.
"""

import logging
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, InterfaceError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from config.errors import ApplicationError, NotFound
from history.models import Event, Figure

from .. import attempts as attempt_service
from .. import review_options
from ..feedback import review_answer
from ..models import Attempt, Question
from ..progress import PRACTICE_SIZE, topic_for
from ..scoring import BadAnswer, displayed_options, record_answer
from .refusals import status_for

REPEAT_NOTE = "You already answered this question; your first answer counts."
RETRY_NOTE = "Your answer was not saved because of a problem on our side; please try again."
logger = logging.getLogger(__name__)


def _own_attempt(request, attempt_id):
    # Another student's attempt is indistinguishable from one that does not exist.
    return get_object_or_404(Attempt.objects.select_related("question_set"), pk=attempt_id, student=request.user)


def _item_queryset(attempt):
    return attempt.items.select_related("question__passage", "question__claim").prefetch_related("question__options")


def _practice_topics(user):
    """Figures and events with questions the student may be served, for the quick-practice select."""
    servable = Q(questions__in=Question.objects.servable_to(user))
    figures = Figure.objects.annotate(n=Count("questions", filter=servable)).filter(n__gt=0).order_by("short_name")
    events = (
        Event.objects.annotate(n=Count("questions", filter=servable)).filter(n__gt=0).order_by("start_date", "name")
    )
    return figures, events


# --- The quiz list ---------------------------------------------------------------------


def _sets_context(user):
    sets = list(attempt_service.available_sets(user))
    due = {}
    for assignment in attempt_service.student_assignments(user).select_related("classroom").order_by("due_at", "id"):
        due.setdefault(assignment.question_set_id, assignment)
    for question_set in sets:
        question_set.assignment = due.get(question_set.pk)
        limit = question_set.max_attempts
        question_set.attempts_left = None if not limit else max(0, limit - question_set.used_attempts)
    figures, events = _practice_topics(user)
    return {
        "question_sets": sets,
        "unfinished": attempt_service.unfinished_attempts(user),
        "figures": figures,
        "events": events,
        "practice_count": PRACTICE_SIZE,
    }


@login_required
@require_GET
def sets(request):
    return render(request, "quiz/sets.html", _sets_context(request.user))


@login_required
@require_POST
def start_set(request, set_id):
    question_set = get_object_or_404(attempt_service.available_sets(request.user), pk=set_id)
    assignment = attempt_service.assignment_for(request.user, question_set, request.POST.get("assignment", ""))
    try:
        attempt = attempt_service.start_set(request.user, question_set, assignment)
    except attempt_service.CannotStart as exc:
        messages.error(request, exc.message)
        return redirect("quiz:sets")
    return redirect("quiz:attempt", attempt.pk)


def _topic_from_post(post):
    """The figure or event the form names: `topic=figure:<key>` / `topic=event:<key>` (the quiz
    list's select), or one of `figure=<key>` / `event=<key>` (Practise buttons on other pages).
    None when it names nothing, both, or a topic that does not exist."""
    if post.get("topic"):
        kind, _, key = post["topic"].partition(":")
    else:
        named = [(kind, post[kind].strip()) for kind in ("figure", "event") if post.get(kind, "").strip()]
        if len(named) != 1:
            return None
        kind, key = named[0]
    return topic_for(kind, key) if key else None


@login_required
@require_POST
def practice(request):
    """Quick practice on one figure or event, the student's weakest questions on it first."""
    topic = _topic_from_post(request.POST)
    review_options.sync_student(request.user, now=timezone.now())
    if topic is None:
        context = _sets_context(request.user)
        context["practice_error"] = "Choose a figure or an event from the list to practise."
        return render(request, "quiz/sets.html", context, status=400)
    try:
        attempt = attempt_service.start_practice(request.user, topic)
    except attempt_service.CannotStart as exc:
        messages.error(request, exc.message)
        return redirect("quiz:sets")
    return redirect("quiz:attempt", attempt.pk)


# --- One question at a time ------------------------------------------------------------


def _question_context(attempt, item, error=None, posted=None):
    shown = displayed_options(item.question, item.option_order, scope=attempt.pk)
    if posted:
        # A refused answer comes back with what the student entered, to correct rather than redo.
        for option in shown.all:
            option.checked = posted.get("choice") == option.token
            option.posted_rank = posted.get(f"rank-{option.token}", "")
            option.posted_match = posted.get(f"match-{option.token}", "")
    return {
        "attempt": attempt,
        "item": item,
        "question": item.question,
        "shown": shown,
        "state": "question",
        "error": error,
        "review_shown": review_options.Shown(attempt, closed=False),
    }


def feedback_context(attempt, item, answer, repeat=False):
    return {
        "attempt": attempt,
        "item": item,
        "question": item.question,
        "answer": answer,
        "review": review_answer(item.question, answer, item.option_order),
        "review_shown": review_options.attempt_shown(attempt, now=timezone.now()),
        "state": "feedback",
        "repeat": repeat,
    }


def _to_summary(request, attempt):
    url = reverse("quiz:summary", args=[attempt.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@login_required
@require_GET
def attempt_view(request, attempt_id):
    """The current question: the first one not yet answered (so resuming lands here)."""
    # Every answer is followed by this request, so the common case is one query (and the
    # options'); the rest (not theirs, finished, all answered) is sorted out after.
    item = attempt_service.next_item(request.user, attempt_id)
    if item is None:
        attempt = _own_attempt(request, attempt_id)
        attempt_service.finish(attempt, timezone.now())
        return _to_summary(request, attempt)
    attempt_service.mark_shown(item, timezone.now())
    context = _question_context(item.attempt, item)
    template = "quiz/attempt.html#question" if request.htmx else "quiz/attempt.html"
    return render(request, template, context)


@login_required
@require_GET
def item_view(request, attempt_id, position):
    """One question's feedback once answered (where a plain form post lands)."""
    attempt = _own_attempt(request, attempt_id)
    item = _item_queryset(attempt).select_related("answer").filter(position=position).first()
    if item is None:
        return _refused(request, attempt, NotFound(f"This quiz has no question {position}."))
    answer = getattr(item, "answer", None)
    if answer is None:
        return redirect("quiz:attempt", attempt.pk)
    context = feedback_context(attempt, item, answer)
    template = "quiz/attempt.html#feedback" if request.htmx else "quiz/attempt.html"
    return render(request, template, context)


def _refused(request, attempt, error, item=None):
    """A refused request about `attempt`, at its kind's status. An answer that is not valid
    comes back in its form (with `item`), saying that nothing was kept."""
    message = f"{error.message} Nothing was recorded." if isinstance(error, BadAnswer) else error.message
    return _error(request, attempt, message, status_for(error), item)


def _error(request, attempt, message, status, item=None):
    """A readable refusal. With htmx, only the message is swapped in above the answer form."""
    if request.htmx:
        response = render(request, "quiz/attempt.html#error", {"attempt": attempt, "error": message}, status=status)
        return reswap(retarget(response, "#answer-error"), "innerHTML")
    if item is not None and status in (400, 503):
        context = _question_context(attempt, item, error=message, posted=request.POST)
    else:
        context = {"attempt": attempt, "state": "error", "error": message}
    return render(request, "quiz/attempt.html", context, status=status)


def _nothing_saved_when_the_database_fails(view):
    """Every database failure on the answer path before the answer is saved (the session, the
    user, the item's lookup) gives the 503 "nothing was saved, try again", never the generic 500.
    Rendered without the database: the page must not fail in turn."""

    @wraps(view)
    def wrapper(request, attempt_id, position):
        try:
            return view(request, attempt_id, position)
        except (DatabaseError, InterfaceError):
            logger.exception("Answer path failed before saving: attempt=%s position=%s", attempt_id, position)
            if getattr(request, "htmx", False):
                response = HttpResponse(RETRY_NOTE, status=503, content_type="text/plain; charset=utf-8")
                return reswap(retarget(response, "#answer-error"), "innerHTML")
            back = reverse("quiz:attempt", args=[attempt_id])
            return render(request, "quiz/answer_not_saved.html", {"message": RETRY_NOTE, "back": back}, status=503)

    return wrapper


@_nothing_saved_when_the_database_fails
@login_required
@require_POST
def answer_view(request, attempt_id, position):
    item = attempt_service.answerable_item(request.user, attempt_id, position)
    if item is None:
        attempt = _own_attempt(request, attempt_id)
        return _refused(request, attempt, NotFound(f"This quiz has no question {position}; nothing was recorded."))
    attempt = item.attempt
    try:
        result = record_answer(attempt, item, request.POST, timezone.now())
    except ApplicationError as exc:
        return _refused(request, attempt, exc, item=item)
    except (DatabaseError, InterfaceError):
        # The answer's transaction rolled back whole (answer, tallies, review card): safe to retry.
        # A connection the server dropped raises InterfaceError, not a DatabaseError.
        logger.exception("Recording an answer failed: attempt=%s position=%s", attempt.pk, position)
        return _error(request, attempt, RETRY_NOTE, 503, item=item)
    if not request.htmx:
        if not result.created:
            messages.info(request, REPEAT_NOTE)
        return redirect("quiz:item", attempt.pk, position)
    try:
        context = feedback_context(result.attempt, item, result.answer, repeat=not result.created)
        return render(request, "quiz/attempt.html#feedback", context)
    except (DatabaseError, InterfaceError):
        # Saved already: never say it was not. Its feedback page shows it once the database answers.
        logger.exception("Showing feedback failed after saving: attempt=%s position=%s", attempt.pk, position)
        return HttpResponseClientRedirect(reverse("quiz:item", args=[attempt.pk, position]))


@login_required
@require_POST
def finish_view(request, attempt_id):
    """Stop early: unanswered questions count as not answered."""
    attempt = _own_attempt(request, attempt_id)
    attempt_service.finish(attempt, timezone.now())
    return _to_summary(request, attempt)


# --- The summary -------------------------------------------------------------------------


def _duration(ms):
    seconds = round(ms / 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {seconds} s"
    return f"{seconds} s"


@login_required
@require_GET
def summary_view(request, attempt_id):
    attempt = _own_attempt(request, attempt_id)
    if not attempt.is_finished:
        messages.info(request, "This quiz is not finished yet: here is where you left off.")
        return redirect("quiz:attempt", attempt.pk)
    items = list(
        _item_queryset(attempt)
        .select_related("answer")
        .prefetch_related("question__figures", "question__events")
        .order_by("position")
    )
    now = timezone.now()
    # A due date that passed since the student last looked: record what it shows, so a set
    # whose answers are out stays closed to them.
    review_options.sync_student(request.user, now=now)
    shown = review_options.attempt_shown(attempt, now=now)
    rows, figures, events, total_ms = [], {}, {}, 0
    for item in items:
        answer = getattr(item, "answer", None)
        if answer is not None and answer.time_taken_ms:
            total_ms += answer.time_taken_ms
        review = review_answer(item.question, answer, item.option_order)
        rows.append({"item": item, "question": item.question, "answer": answer, "review": review})
        # What to review next says which questions went wrong: only once the score is shown.
        if shown.score and (answer is None or not answer.is_correct):
            for figure in item.question.figures.all():
                figures.setdefault(figure.pk, figure)
            for event in item.question.events.all():
                events.setdefault(event.pk, event)
    context = {
        "attempt": attempt,
        "review_shown": shown,
        "can_retake": _can_retake(request.user, attempt),
        "rows": rows,
        "total_time": _duration(total_ms) if total_ms else "",
        "review_figures": sorted(figures.values(), key=lambda f: f.short_name),
        "review_events": sorted(events.values(), key=lambda e: (e.start_date, e.name)),
        "unanswered": attempt.question_count - attempt.answered_count,
    }
    return render(request, "quiz/summary.html", context)


def _can_retake(student, attempt):
    """Whether the summary offers "Take again": the student may still start the set."""
    question_set = attempt.question_set
    if question_set is None or not attempt_service.available_sets(student).filter(pk=question_set.pk).exists():
        return False
    return attempt_service.new_attempt_refusal(student, question_set) is None
