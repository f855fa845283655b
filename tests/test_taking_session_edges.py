"""When the session ends or changes under an open quiz page: the student is told, sent somewhere
sensible, and nothing is recorded from the stale page."""

import pytest
from django.test import Client

from quiz.attempts import create_attempt
from quiz.models import Answer
from tests import factories as f
from tests.taking_support import HTMX, answer_data, answer_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(student):
    return create_attempt(student, [f.single_choice(), f.single_choice()], mode="set", title="Open in a tab")


def _on_page(attempt):
    # What htmx sends: the request header, and the page the request comes from.
    return {**HTMX, "HTTP_HX_CURRENT_URL": f"http://testserver/attempts/{attempt.pk}/"}


def test_an_answer_after_the_session_ended_sends_the_whole_page_to_login_and_back(client, student, attempt):
    client.force_login(student)
    client.logout()
    data = answer_data(attempt.items.get(position=1))
    response = client.post(answer_url(attempt, 1), data, **_on_page(attempt))
    # Not a login page swapped into the quiz card: a full-page trip, back to the quiz afterwards.
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/accounts/login/?next=%2Fattempts%2F{attempt.pk}%2F"
    assert b"<form" not in response.content
    assert not Answer.objects.exists()

    next_question = client.get(f"/attempts/{attempt.pk}/", **_on_page(attempt))
    assert next_question["HX-Redirect"] == f"/accounts/login/?next=%2Fattempts%2F{attempt.pk}%2F"
    # Without htmx it is the usual redirect; a page from another site is never the way back.
    plain = client.get(f"/attempts/{attempt.pk}/")
    assert plain.status_code == 302 and plain["Location"].startswith("/accounts/login/?next=")
    foreign = client.get(f"/attempts/{attempt.pk}/", **{**HTMX, "HTTP_HX_CURRENT_URL": "https://evil.example/x"})
    assert foreign["HX-Redirect"] == "/accounts/login/?next=%2F"


def test_an_answer_from_a_page_with_a_stale_token_reloads_with_a_message_and_records_nothing(student, attempt):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(student)
    browser.get(f"/attempts/{attempt.pk}/")  # sets the CSRF cookie
    data = {**answer_data(attempt.items.get(position=1)), "csrfmiddlewaretoken": "x" * 64}
    response = browser.post(answer_url(attempt, 1), data, **{**_on_page(attempt), "HTTP_X_CSRFTOKEN": "y" * 64})
    assert response.status_code == 403 and response["HX-Refresh"] == "true"
    assert not Answer.objects.exists()
    reloaded = browser.get(f"/attempts/{attempt.pk}/").content.decode()
    assert "That page was out of date" in reloaded and "nothing was saved" in reloaded

    # Without htmx: a page that says so, in the site's layout, with a way back.
    page = browser.post(answer_url(attempt, 1), data)
    assert page.status_code == 403
    body = page.content.decode()
    assert "This page was out of date" in body and 'href="/"' in body and "<nav" in body
    assert not Answer.objects.exists()


def test_a_page_the_account_may_not_open_is_explained_in_the_site_layout(client, student):
    client.force_login(student)
    response = client.get("/teach/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "Not allowed" in body and "<nav" in body and 'href="/"' in body


def test_matching_feedback_lists_the_rows_in_the_order_the_question_showed_them(client, student):
    question = f.matching(
        pairs=[("Kirov", "Leningrad"), ("Yagoda", "NKVD"), ("Molotov", "Premier"), ("Enukidze", "Kremlin")]
    )
    attempt = create_attempt(student, [question], mode="set", title="Match")
    item = attempt.items.get()
    # Show the left-hand items in the reverse of their authored order.
    lefts = [pk for pk in item.option_order if question.options.get(pk=pk).side == "left"]
    rights = [pk for pk in item.option_order if pk not in lefts]
    item.option_order = rights + lefts[::-1]
    item.save(update_fields=["option_order"])
    client.force_login(student)
    asked = client.get(f"/attempts/{attempt.pk}/").content.decode()
    shown = [name for name in ("Enukidze", "Molotov", "Yagoda", "Kirov")]
    assert [asked.index(f">{n}</label>") for n in shown] == sorted(asked.index(f">{n}</label>") for n in shown)
    feedback = client.post(answer_url(attempt, 1), answer_data(item), **HTMX).content.decode()
    rows = [feedback.index(f'<th scope="row">{n}</th>') for n in shown]
    assert rows == sorted(rows)


@pytest.mark.parametrize("current_url", ["http://[::1", "http://testserver:99999999/x", "http://testserver:port/x"])
def test_a_malformed_current_url_header_sends_the_page_to_login_and_home(client, attempt, current_url):
    # A header no browser sends (it was a 500): the way back is the home page.
    response = client.get(f"/attempts/{attempt.pk}/", **{**HTMX, "HTTP_HX_CURRENT_URL": current_url})
    assert response.status_code == 200 and response["HX-Redirect"] == "/accounts/login/?next=%2F"
