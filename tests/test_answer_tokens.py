"""An answer names its options by tokens bound to the attempt, and is taken only to a
question the student has been shown.

The findings: an option's token learned in practice or in a teacher's preview worked in the
real assignment; and an item could be answered without ever having been shown (no time
measured).
"""

import html as html_lib
import re

import pytest
from django.urls import reverse

from quiz.models import Answer, Attempt, AttemptItem
from tests import factories as f
from tests.taking_support import HTMX, answer_data, answer_url

pytestmark = pytest.mark.django_db


def text(response):
    return html_lib.unescape(response.content.decode())


def choice_tokens(html):
    """{option text: token} as the question page offers them."""
    return {
        label: token
        for token, label in re.findall(
            r'name="(?:p\d+-)?choice" value="([0-9a-f]+)"[^>]*>\s*<span>([^<]+)</span>', html
        )
    }


def first_question_page(client, attempt):
    response = client.get(f"/attempts/{attempt.pk}/")
    assert response.status_code == 200
    return text(response)


def test_a_token_from_a_practice_attempt_means_nothing_in_the_assignment(student_client, student, teacher):
    kirov = f.figure("Kirov")
    question = f.single_choice("Who led the Leningrad party?", figures=[kirov])
    homework = f.question_set(teacher, [question], title="Homework")

    student_client.post(reverse("quiz:practice"), {"figure": kirov.key})
    practice = Attempt.objects.get(mode="practice")
    learned = choice_tokens(first_question_page(student_client, practice))["Kirov"]

    student_client.post(f"/quizzes/{homework.pk}/start/")
    real = Attempt.objects.get(mode="set")
    offered = choice_tokens(first_question_page(student_client, real))
    assert offered["Kirov"] != learned  # same question, same option, another attempt

    response = student_client.post(answer_url(real, 1), {"choice": learned}, **HTMX)
    assert response.status_code == 400
    assert "That answer is not one of this question's options." in text(response)
    assert not Answer.objects.filter(item__attempt=real).exists()
    # The token the attempt itself offered is taken.
    assert student_client.post(answer_url(real, 1), {"choice": offered["Kirov"]}, **HTMX).status_code == 200
    assert Answer.objects.get(item__attempt=real).is_correct


def test_a_token_from_the_teachers_preview_means_nothing_in_an_attempt(client, student, teacher):
    question = f.single_choice("Who led the Leningrad party?")
    question_set = f.question_set(teacher, [question], title="Homework")
    client.force_login(teacher)
    preview = text(client.get(reverse("quiz:set_preview", args=[question_set.pk])))
    previewed = choice_tokens(preview)["Kirov"]

    client.force_login(student)
    client.post(f"/quizzes/{question_set.pk}/start/")
    attempt = Attempt.objects.get()
    assert previewed not in first_question_page(client, attempt)
    response = client.post(answer_url(attempt, 1), {"choice": previewed})
    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_an_answer_to_a_question_never_shown_is_refused(student_client):
    question_set = f.question_set(None, [f.single_choice("First?"), f.single_choice("Second?")])
    student_client.post(f"/quizzes/{question_set.pk}/start/")
    attempt = Attempt.objects.get()
    second = AttemptItem.objects.select_related("question").get(attempt=attempt, position=2)
    data = answer_data(second, show=False)

    for extra in ({}, HTMX):
        response = student_client.post(answer_url(attempt, 2), data, **extra)
        assert response.status_code == 409
        assert "This question has not been shown to you yet" in text(response)
    assert not Answer.objects.exists()
    attempt.refresh_from_db()
    assert attempt.answered_count == 0

    # Shown in its turn, it is taken, with the time the student took measured from then.
    first = AttemptItem.objects.select_related("question").get(attempt=attempt, position=1)
    first_question_page(student_client, attempt)
    student_client.post(answer_url(attempt, 1), answer_data(first, show=False), **HTMX)
    first_question_page(student_client, attempt)  # now the second question
    assert student_client.post(answer_url(attempt, 2), data, **HTMX).status_code == 200
    assert Answer.objects.get(item=second).time_taken_ms is not None


def test_ids_too_large_for_any_database_column_are_not_found(student_client):
    huge = "9" * 30
    assert student_client.get(f"/attempts/{huge}/").status_code == 404
    assert student_client.post(f"/attempts/{huge}/items/1/answer/", {"choice": "x"}).status_code == 404
    assert student_client.get(f"/attempts/1/items/{huge}/").status_code == 404
