from django.urls import path

from .views import placeholders

app_name = "quiz"

urlpatterns = [
    # Student
    path("quizzes/", placeholders.sets, name="sets"),
    path("progress/", placeholders.progress, name="progress"),
    # Teacher
    path("teach/", placeholders.teacher_home, name="teacher_home"),
]
