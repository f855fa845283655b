"""Teacher pages. Placeholder routes until they land."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.urls import path


@permission_required("quiz.teach", raise_exception=True)
def teacher_home(request):
    return render(request, "quiz/placeholder.html", {"title": "Teaching"})


urlpatterns = [path("teach/", teacher_home, name="teacher_home")]
