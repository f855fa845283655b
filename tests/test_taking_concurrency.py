"""Parallel posts of the same answer score once (PostgreSQL: real row locks and concurrency)."""

import pytest

from quiz.attempts import create_attempt
from quiz.models import Answer, Attempt, ReviewLog
from tests import factories as f
from tests.concurrency_support import race
from tests.taking_support import HTMX, answer_data, answer_url

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres_only")]

THREADS = 8


def _race(student, attempt, datas, positions=None):
    positions = positions or [1] * len(datas)
    requests = [
        lambda client, data=data, position=position: client.post(answer_url(attempt, position), data, **HTMX)
        for data, position in zip(datas, positions)
    ]
    return race(requests, prepare=lambda client: client.force_login(student), join_timeout=30)


def test_parallel_identical_posts_score_once(student):
    attempt = create_attempt(student, [f.single_choice(), f.single_choice()], mode="set", title="race")
    data = answer_data(attempt.items.get(position=1))
    statuses = _race(student, attempt, [data] * THREADS)
    assert statuses == [200] * THREADS
    assert Answer.objects.count() == 1 and ReviewLog.objects.count() == 1
    attempt = Attempt.objects.get(pk=attempt.pk)
    assert (attempt.answered_count, attempt.correct_count, attempt.score) == (1, 1, 1.0)


def test_parallel_conflicting_posts_keep_exactly_one_answer(student):
    attempt = create_attempt(student, [f.single_choice(), f.single_choice()], mode="set", title="race")
    first = attempt.items.get(position=1)
    datas = [answer_data(first, correct=i % 2 == 0) for i in range(THREADS)]
    _race(student, attempt, datas)
    answer = Answer.objects.get()
    attempt = Attempt.objects.get(pk=attempt.pk)
    assert attempt.answered_count == 1
    assert attempt.correct_count == int(answer.is_correct) and attempt.score == answer.score


def test_parallel_answers_to_different_questions_all_count(student):
    """The attempt row lock keeps the tallies right when answers to different questions race."""
    attempt = create_attempt(student, [f.single_choice() for _ in range(THREADS + 1)], mode="set", title="race")
    items = list(attempt.items.order_by("position"))[:THREADS]
    statuses = _race(student, attempt, [answer_data(i) for i in items], [i.position for i in items])
    assert statuses == [200] * THREADS
    attempt = Attempt.objects.get(pk=attempt.pk)
    assert (attempt.answered_count, attempt.correct_count, attempt.score) == (THREADS, THREADS, float(THREADS))
    assert Answer.objects.count() == THREADS
