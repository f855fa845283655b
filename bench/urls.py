"""The app's URLs plus the load run's two reference pages (see bench/settings.py)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns
from quiz.models import Answer
from quiz.views.taking import feedback_context

_answer_response = {}


@login_required
def signed_in(request):
    """The signed-in floor: the session and the user are read, nothing else."""
    return HttpResponse(request.user.username, content_type="text/plain")


@login_required
def answer_response(request):
    """The floor plus rendering an answer's feedback fragment from data already in memory: what the
    response to an answer costs even if scoring and recording it cost nothing."""
    if "context" not in _answer_response:  # loaded on each worker's first request only
        answer = (
            Answer.objects.select_related("item__attempt", "item__question__passage", "item__question__claim")
            .prefetch_related("item__question__options")
            .order_by("pk")
            .first()
        )
        _answer_response["context"] = feedback_context(answer.item.attempt, answer.item, answer)
    return render(request, "quiz/attempt.html#feedback", _answer_response["context"])


urlpatterns = [
    path("bench/signed-in", signed_in),
    path("bench/answer-response", answer_response),
    *app_urlpatterns,
]
