import logging

from django.contrib import messages
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from history.models import Claim, Event, Figure, Source
from quiz import review_options
from quiz.attempts import unfinished_attempts
from quiz.progress import review_due_count
from quiz.roles import is_teacher
from quiz.teaching.classes import home_rows

logger = logging.getLogger(__name__)


def home(request):
    # Counts are cheap aggregate queries; the page stays constant-cost.
    context = {
        "source": Source.objects.first(),
        "figure_count": Figure.objects.filter(is_participant=False).count(),
        "event_count": Event.objects.count(),
        "claim_count": Claim.objects.count(),
    }
    if request.user.is_authenticated and not is_teacher(request.user):
        review_options.sync_student(request.user, now=timezone.now())
        context["review_due"] = review_due_count(request.user)
    if request.user.is_authenticated:
        context["unfinished_attempts"] = unfinished_attempts(request.user)[:5]
        # Work set by the student's teachers, with where they are on each (one query).
        context["assignments"] = home_rows(request.user, now=timezone.now())
    return render(request, "home.html", context)


@never_cache
@require_GET
def healthz(request):
    """Load balancers poll this: 200 when the database answers, 503 when it does not.

    Anyone can call it, so a failure says only that: what failed goes to the log.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means unhealthy
        logger.exception("The health check failed: the database did not answer")
        return JsonResponse({"status": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def permission_denied(request, exception):
    return render(request, "403.html", status=403)


STALE_PAGE = (
    "That page was out of date (you may have signed in again, perhaps in another tab), so nothing "
    "was saved. Please try again."
)


def csrf_failure(request, reason=""):
    """A form posted from an out-of-date page: its security token no longer matches the session.
    Nothing was saved. With htmx the page reloads (with a fresh token) and says so at the top;
    otherwise a page says so, with a way back."""
    if getattr(request, "htmx", False):
        messages.warning(request, STALE_PAGE)
        response = HttpResponse(STALE_PAGE, status=403, content_type="text/plain; charset=utf-8")
        response["HX-Refresh"] = "true"
        return response
    return render(request, "403_csrf.html", {"message": STALE_PAGE}, status=403)
