"""The progress page and the review flow in headless Chromium, under the strict CSP."""

import re

import pytest

from quiz.models import Attempt, ReviewCard
from tests import factories as f
from tests.browser_support import assert_accessible, assert_accessible_and_error_free, wait_until
from tests.factories import FAST_MS, ago, take

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def some_history(student):
    kirov, yagoda = f.figure("Kirov"), f.figure("Yagoda")
    murder = f.event("Kirov murder")
    a = f.single_choice(prompt="Who led Leningrad?", figures=[kirov], events=[murder])
    b = f.single_choice(prompt="Who ran the NKVD?", figures=[yagoda])
    c = f.single_choice(prompt="Who else?", figures=[kirov])
    take(student, [(a, False), (b, True, FAST_MS), (c, True)], title="First try", when=ago(days=2))
    take(student, [(a, False), (b, True, FAST_MS)], title="Second try", when=ago(hours=1))
    take(student, [(c, True), (b, True)], title="Still going", finished=False)
    return a


@pytest.fixture
def with_history(login, page, student):
    """The student, with some answer history, logged in; the question that is due for review."""
    due = some_history(student)
    login(page, student)
    return due


def test_progress_page_is_accessible_and_draws_the_trend(page, student, with_history):
    page.goto("/progress/")
    assert page.get_by_role("heading", level=1).inner_text() == "My progress"
    chart = page.get_by_role("img", name="Your scores over time")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box["width"] > 200 and box["height"] > 80
    assert page.locator("svg.chart circle.dot").count() == 2
    # The data table alternative opens from its summary.
    page.get_by_text("The scores as a table").click()
    assert page.locator(".chart-table table").is_visible()
    assert page.get_by_role("meter").count() >= 3
    assert_accessible_and_error_free(page)


def test_new_student_progress_page_is_accessible(page, login, student):
    login(page, student)
    page.goto("/progress/")
    assert page.get_by_text("You have not taken a quiz yet").is_visible()
    assert_accessible_and_error_free(page)


def test_review_flow_starts_a_session_of_the_due_question(page, student, with_history):
    due_question = with_history
    page.goto("/progress/")
    assert page.get_by_role("heading", name="Review due: 1").is_visible()
    page.get_by_role("button", name="Start review").click()
    page.wait_for_url(re.compile(r"/attempts/\d+/$"))
    attempt = Attempt.objects.get(student=student, mode=Attempt.Mode.REVIEW)
    assert list(attempt.items.values_list("question_id", flat=True)) == [due_question.pk]
    assert page.get_by_text("Who led Leningrad?").first.is_visible()
    assert_accessible_and_error_free(page)


def test_review_with_nothing_left_due_says_when_the_next_card_is(page, student, with_history):
    page.goto("/progress/")
    # Meanwhile (another tab, say) the due card was reviewed: nothing is due any more.
    ReviewCard.objects.filter(student=student).update(due=ago(days=-3))
    page.get_by_role("button", name="Start review").click()
    status = page.get_by_role("status").filter(has_text="Nothing is due for review")
    status.wait_for()
    assert "Your next card is due" in status.inner_text()
    # htmx swapped in only the review box and, once it settled, moved focus to the message.
    assert page.url.endswith("/progress/")
    wait_until(page, "document.activeElement && document.activeElement.hasAttribute('data-focus')")
    assert not Attempt.objects.filter(student=student, mode=Attempt.Mode.REVIEW).exists()
    assert_accessible_and_error_free(page)


def test_home_page_review_entry_is_accessible(page, student, with_history):
    page.goto("/")
    assert page.get_by_role("heading", name="Review due: 1").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Start a review").click()
    page.wait_for_url(re.compile(r"/progress/#review$"))
    assert_accessible_and_error_free(page)
