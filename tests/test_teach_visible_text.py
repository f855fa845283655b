"""What teachers write for students to read (set titles and descriptions, class names) loses
direction overrides and other invisible characters, as names do (accounts/names.py), so a title
cannot display as something else on a student's list."""

import pytest
from django.urls import reverse

from quiz.models import Classroom, QuestionSet

pytestmark = pytest.mark.django_db

SETTINGS = {"visibility": "public", "max_attempts": 0, "show_score": "after_attempt", "show_answers": "after_attempt"}


def test_a_set_title_and_description_lose_their_invisible_characters(teacher_client):
    response = teacher_client.post(
        reverse("quiz:set_create"),
        {**SETTINGS, "title": "Kirov\u202e tset\u200b", "description": "Week 3\u2066\n\u202eSecond line\ufe0f"},
    )
    assert response.status_code == 302
    question_set = QuestionSet.objects.get()
    assert question_set.title == "Kirov tset"
    assert question_set.description == "Week 3\nSecond line", "line breaks are kept"
    page = teacher_client.get(response["Location"]).content.decode()
    assert "\u202e" not in page and "Kirov tset" in page


def test_a_title_with_nothing_visible_is_refused(teacher_client):
    response = teacher_client.post(reverse("quiz:set_create"), {**SETTINGS, "title": "\u202e\u200b\u2066"})
    assert response.status_code == 200
    assert "A title needs at least one visible character." in response.content.decode()
    assert not QuestionSet.objects.exists()


def test_changing_a_sets_settings_cleans_the_title_too(teacher_client, teacher):
    question_set = QuestionSet.objects.create(owner=teacher, title="Purges")
    response = teacher_client.post(
        reverse("quiz:set_settings", args=[question_set.pk]), {**SETTINGS, "title": "\u202eseguP", "description": ""}
    )
    assert response.status_code == 302
    question_set.refresh_from_db()
    assert question_set.title == "seguP"


def test_a_class_name_loses_its_invisible_characters(teacher_client):
    response = teacher_client.post(reverse("quiz:class_create"), {"name": "10B\u202e\u2069 History"})
    assert response.status_code == 302
    assert Classroom.objects.get().name == "10B History"


def test_a_class_name_with_nothing_visible_is_refused(teacher_client):
    response = teacher_client.post(reverse("quiz:class_create"), {"name": "\u202e\u3164"})
    assert response.status_code == 200
    assert "A class name needs at least one visible character." in response.content.decode()
    assert not Classroom.objects.exists()
