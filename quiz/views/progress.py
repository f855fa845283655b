"""Progress and the review queue (student). Placeholder routes until they land."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path


@login_required
def progress(request):
    return render(request, "quiz/placeholder.html", {"title": "My progress"})


urlpatterns = [path("progress/", progress, name="progress")]
