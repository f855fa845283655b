"""The load run's two reference pages (bench/urls.py): they must be what the report says they are,
or the ratios it prints beside the answer throughput mean nothing."""

import pytest

from bench import urls as bench_urls
from quiz.attempts import create_attempt
from tests import factories as f
from tests.taking_support import HTMX, answer_data, answer_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _bench_urls(settings):
    settings.ROOT_URLCONF = "bench.urls"
    bench_urls._answer_response.clear()
    yield
    bench_urls._answer_response.clear()


def test_reference_pages_need_a_signed_in_user(client):
    for url in ("/bench/signed-in", "/bench/answer-response"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_signed_in_floor_reads_only_the_session_and_the_user(client, student, django_assert_max_num_queries):
    client.force_login(student)
    with django_assert_max_num_queries(2):  # the session (in the database without Redis) and the user
        response = client.get("/bench/signed-in")
    assert response.content.decode() == student.username


def test_answer_response_floor_renders_real_feedback_and_then_queries_nothing_of_its_own(
    client, student, django_assert_max_num_queries
):
    attempt = create_attempt(student, [f.single_choice(), f.single_choice()], mode="set", title="reference")
    item = attempt.items.get(position=1)
    client.force_login(student)
    answered = client.post(answer_url(attempt, 1), answer_data(item, correct=False), **HTMX).content.decode()

    first = client.get("/bench/answer-response").content.decode()
    # The same fragment the student saw after answering: the verdict, the right answer, no page chrome.
    assert "Incorrect" in first and 'id="feedback-heading"' in first and "<html" not in first
    assert first.split('id="feedback-heading"')[1] == answered.split('id="feedback-heading"')[1]
    with django_assert_max_num_queries(2):  # only the floor's session and user: nothing scored or written
        again = client.get("/bench/answer-response")
    assert again.status_code == 200 and "Incorrect" in again.content.decode()
