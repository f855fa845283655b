"""The progress page costs the same number of queries with 5 answers as with 500 over many topics."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quiz.models import Answer
from tests import factories as f
from tests.factories import FAST_MS, ago, make_user, take

pytestmark = pytest.mark.django_db


def history(student, answers, *, topics):
    """`answers` answers in attempts of 10, spread over `topics` figures and `topics` events."""
    figures = [f.figure(f"Person{i}") for i in range(topics)]
    events = [f.event(f"Event {i}") for i in range(topics)]
    questions = [
        f.single_choice(prompt=f"Q{i}", figures=[figures[i % topics]], events=[events[(i * 7) % topics]])
        for i in range(min(answers, 100))
    ]
    done = 0
    while done < answers:
        size = min(10, answers - done)
        batch = [questions[(done + i) % len(questions)] for i in range(size)]
        results = [(q, (done + i) % 3 != 0, FAST_MS if i % 2 else 20_000) for i, q in enumerate(batch)]
        # A question appears once per attempt; later batches revisit the bank.
        take(student, results, title=f"Quiz {done // 10}", when=ago(days=40, hours=-done // 10))
        done += size
    # One unfinished attempt, too.
    take(student, [(questions[0], True), (questions[1], True)], title="Open", finished=False)


def count_queries(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/progress/")
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_progress_page_query_count_does_not_grow_with_answers(client, django_assert_num_queries):
    small, large = make_user("small"), make_user("large")
    history(small, 5, topics=3)
    history(large, 500, topics=40)
    assert Answer.objects.filter(student=large).count() == 501

    client.force_login(small)
    baseline, html = count_queries(client)
    assert "Review due:" in html and "<svg" in html and 'id="mastery-figures"' in html
    assert baseline <= 15

    with django_assert_num_queries(baseline):
        small_page = client.get("/progress/")
    client.force_login(large)
    with django_assert_num_queries(baseline):
        large_page = client.get("/progress/")
    # The large page really shows its many topics and attempts.
    html = large_page.content.decode()
    assert html.count('data-topic="') == 80
    assert html.count("<tr") > 50
    assert "Showing your latest 50 of 51 attempts." in html
    assert small_page.content.decode().count('data-topic="') == 6


def test_home_page_review_entry_is_constant_cost(client, django_assert_num_queries):
    small, large = make_user("small"), make_user("large")
    history(small, 5, topics=2)
    history(large, 200, topics=20)
    client.force_login(small)
    with CaptureQueriesContext(connection) as captured:
        client.get("/")
    client.force_login(large)
    with django_assert_num_queries(len(captured)):
        assert "Review due:" in client.get("/").content.decode()
