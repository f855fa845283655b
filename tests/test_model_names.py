"""Every model reads as something in the admin, its deletion pages and logs: no "Answer object (12)"."""

import datetime

import pytest
from django.apps import apps
from django.db import models

from quiz.attempts import create_attempt
from quiz.models import Answer, Classroom, Enrollment, ReviewCard, ReviewLog, SetItem
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_every_model_of_the_project_has_its_own_str():
    plain = [
        model.__name__
        for model in apps.get_models()
        if model._meta.app_label in ("quiz", "history", "accounts") and model.__str__ is models.Model.__str__
    ]
    assert plain == []


def test_the_rows_of_an_answered_attempt_read_as_what_they_are(student, teacher):
    question = f.single_choice()
    attempt = create_attempt(student, [question], mode="practice", title="Kirov")
    item = attempt.items.get()
    assert str(item) == f"Question {question.pk} at position 1 of attempt {attempt.pk}"
    Answer.objects.create(item=item, student=student, question=question, is_correct=False, score=0.5)
    answer = Answer.objects.get()
    assert str(answer) == f"Answer by student {student.pk} to question {question.pk}: partly right"
    card = ReviewCard.objects.create(
        student=student, question=question, due=datetime.datetime(2026, 12, 3, 9, 30, tzinfo=datetime.UTC)
    )
    assert str(card) == f"Review of question {question.pk} for student {student.pk}, due 2026-12-03 09:30"
    log = ReviewLog.objects.create(card=card, answer=answer, rating=1, reviewed_at=card.due)
    assert str(log) == f"Again for card {card.pk} at 2026-12-03 09:30"

    classroom = Classroom.objects.create(teacher=teacher, name="11A")
    enrollment = Enrollment.objects.create(classroom=classroom, student=student)
    assert str(enrollment) == f"Student {student.pk} in class {classroom.pk}"
    question_set = f.question_set(teacher, [question])
    assert str(SetItem.objects.get(question_set=question_set)).startswith(f"Question {question.pk} at position")
