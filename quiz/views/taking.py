"""Taking quizzes (student). Placeholder routes until the quiz flow lands."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path


@login_required
def sets(request):
    return render(request, "quiz/placeholder.html", {"title": "Quizzes"})


urlpatterns = [path("quizzes/", sets, name="sets")]
