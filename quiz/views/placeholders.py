"""Temporary pages while the student and teacher areas are built (replaced by their own modules)."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render


@login_required
def sets(request):
    return render(request, "quiz/placeholder.html", {"title": "Quizzes"})


@login_required
def progress(request):
    return render(request, "quiz/placeholder.html", {"title": "My progress"})


@permission_required("quiz.teach", raise_exception=True)
def teacher_home(request):
    return render(request, "quiz/placeholder.html", {"title": "Teaching"})
