"""Database faults while an answer is saved: a failed save rolls back whole (answer, attempt
tallies, review card and log) and tells the student to try again, with htmx and without, in the
browser too; other database failures are not dressed up as that message."""

import re

import pytest
from django.db import OperationalError, connection

from quiz.models import Answer
from tests import factories as f
from tests.taking_support import HTMX, answer_data, answer_url, attempt_item, post_answer, recorded_state, start_set

RETRY_TEXT = "Your answer was not saved"


def _raise(*args, **kwargs):
    raise OperationalError("simulated: the database went away mid-save")


# The failure strikes at the first write, in the middle, and at the very last write of the answer.
FAILURE_POINTS = {
    "answer insert": ("quiz.models.Answer.save", _raise),
    "review scheduling": ("quiz.scoring.record_review", _raise),
    "review log insert": ("quiz.models.ReviewLog.save", _raise),
}


def check_retry_page(response, attempt, htmx):
    """The 503 that says nothing was saved, with the way to try again."""
    assert response.status_code == 503
    page = response.content.decode()
    assert RETRY_TEXT in page and "try again" in page
    if htmx:
        # Only the message is swapped in, above the answer form the student still has.
        assert response["HX-Retarget"] == "#answer-error"
        assert "<html" not in page
    else:
        # The whole question again, with its form, ready to resubmit.
        assert f'action="{answer_url(attempt, 2)}"' in page


@pytest.mark.django_db
@pytest.mark.parametrize("point", FAILURE_POINTS)
@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_a_database_error_while_saving_an_answer_records_nothing_and_the_retry_works(
    student_client, four_questions, monkeypatch, caplog, point, htmx
):
    attempt = start_set(student_client, four_questions)
    # Question 1 answered normally, so the student already has a review card to protect.
    assert post_answer(student_client, attempt, 1).status_code == 302
    before = recorded_state(attempt)
    assert len(before["cards"]) == 1 and before["logs"] == 1

    target, replacement = FAILURE_POINTS[point]
    monkeypatch.setattr(target, replacement)
    extra = HTMX if htmx else {}
    response = post_answer(student_client, attempt, 2, **extra)

    check_retry_page(response, attempt, htmx)
    assert recorded_state(attempt) == before, "a failed save left part of the answer behind"
    assert any("Recording an answer failed" in r.getMessage() for r in caplog.records)

    monkeypatch.undo()
    retry = post_answer(student_client, attempt, 2, **extra)
    assert retry.status_code == (200 if htmx else 302)
    after = recorded_state(attempt)
    assert len(after["answers"]) == 2
    assert after["tallies"][0] == 2
    assert after["logs"] == 2 and len(after["cards"]) == 2


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
@pytest.mark.parametrize("down_from", ["the first query (session, user)", "the item's lookup"])
def test_a_database_failure_before_the_answer_is_saved_is_the_retry_message(
    student_client, four_questions, monkeypatch, htmx, down_from
):
    # Every query fails from `down_from` on, rendering the response included: the page must
    # not need the database to say that nothing was saved.
    attempt = start_set(student_client, four_questions)
    data = answer_data(attempt_item(attempt, 1))
    before = recorded_state(attempt)
    student_client.raise_request_exception = False

    def refuse(execute, sql, params, many, context):
        raise OperationalError("simulated: the database is down")

    if down_from == "the item's lookup":
        import quiz.attempts

        real = quiz.attempts.answerable_item

        def lookup_with_the_database_down(*args, **kwargs):
            with connection.execute_wrapper(refuse):
                return real(*args, **kwargs)

        monkeypatch.setattr("quiz.attempts.answerable_item", lookup_with_the_database_down)
        response = student_client.post(answer_url(attempt, 1), data, **(HTMX if htmx else {}))
    else:
        with connection.execute_wrapper(refuse):
            response = student_client.post(answer_url(attempt, 1), data, **(HTMX if htmx else {}))

    assert response.status_code == 503
    page = response.content.decode()
    assert RETRY_TEXT in page
    if htmx:
        assert response["HX-Retarget"] == "#answer-error" and "<html" not in page
    else:
        assert "<html" in page and f'href="/attempts/{attempt.pk}/"' in page
    monkeypatch.undo()
    assert recorded_state(attempt) == before
    assert student_client.post(answer_url(attempt, 1), data).status_code == 302  # the retry is saved


@pytest.mark.django_db
def test_a_database_error_on_the_quiz_page_is_not_a_retry_message(student_client, four_questions, monkeypatch):
    # Only answer saving is caught: other failures still reach the 500 page (and the logs).
    attempt = start_set(student_client, four_questions)
    monkeypatch.setattr("quiz.attempts.next_item", _raise)
    student_client.raise_request_exception = False
    response = student_client.get(f"/attempts/{attempt.pk}/")
    assert response.status_code == 500
    assert RETRY_TEXT not in response.content.decode()


@pytest.mark.django_db
def test_a_lost_connection_while_saving_is_a_retry_message_too(student_client, four_questions, monkeypatch):
    # A connection the server dropped surfaces as InterfaceError, which is not a DatabaseError.
    from django.db import InterfaceError

    attempt = start_set(student_client, four_questions)
    before = recorded_state(attempt)

    def lost(*args, **kwargs):
        raise InterfaceError("simulated: connection already closed")

    monkeypatch.setattr("quiz.models.Answer.save", lost)
    response = post_answer(student_client, attempt, 1, **HTMX)
    assert response.status_code == 503
    assert RETRY_TEXT in response.content.decode()
    assert recorded_state(attempt) == before


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_the_browser_the_retry_message_appears_above_the_form_and_the_retry_saves(page, login, student, monkeypatch):
    f.question_set(None, [f.single_choice("Who led the Leningrad party?")], title="One question")
    login(page, student)
    page.goto("/quizzes/")
    page.get_by_role("button", name=re.compile("Start")).first.click()
    page.wait_for_url(re.compile(r"/attempts/\d+/$"))
    # The live server runs in this process, so the patch reaches it.
    monkeypatch.setattr("quiz.scoring.record_review", _raise)
    page.locator("input[name=choice]").first.check()
    page.locator("form.question-form button[type=submit]").click()
    page.locator("#answer-error").get_by_text(RETRY_TEXT).wait_for()
    assert page.locator("form.question-form").count() == 1  # the form is still there, answer kept
    assert Answer.objects.count() == 0

    monkeypatch.undo()
    page.locator("form.question-form button[type=submit]").click()
    page.locator("#feedback-heading").wait_for()
    assert Answer.objects.count() == 1
