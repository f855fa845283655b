"""The quiz page in a real browser when things go wrong around it (the session ends, the page's
token goes stale) and on a phone-sized screen."""

import pytest

from quiz.models import Answer, Attempt
from tests import factories as f
from tests.browser_support import assert_accessible, wait_until
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ordering_set():
    return f.question_set(
        None,
        [
            f.ordering(
                "Put these events in order, earliest first.",
                items=(
                    "The Seventeenth Party Congress votes",
                    "The murder of Kirov in Leningrad",
                    "The first show trial",
                ),
            ),
            f.matching("Match each person to a post."),
        ],
        title="Order quiz",
        shuffle_options=True,
    )


def start(page, login, student):
    login(page, student)
    page.goto("/quizzes/")
    page.get_by_role("button", name="Start Order quiz").click()
    page.wait_for_url("**/attempts/*/")
    page.locator("form.question-form").wait_for()


def test_when_the_session_ends_the_answer_goes_to_a_full_login_page_and_back(page, login, ordering_set):
    student = make_user("ended")
    start(page, login, student)
    quiz_url = page.url
    # Signed out elsewhere (another tab, or the session expired).
    page.context.clear_cookies()
    page.get_by_role("button", name="Submit answer").click()
    page.wait_for_url(lambda url: "/accounts/login/?next=" in url)
    assert page.locator("form.question-form").count() == 0  # a whole login page, not one inside the quiz
    page.get_by_label("Username").fill(student.username)
    page.get_by_label("Password").fill("pw-for-tests-only")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(quiz_url)
    page.locator("form.question-form").wait_for()
    assert not Answer.objects.exists()


def test_a_stale_page_reloads_and_says_nothing_was_saved(page, login, ordering_set):
    student = make_user("stale")
    start(page, login, student)
    # The page's token no longer matches the session (signed in again in another tab).
    page.evaluate("document.querySelectorAll('[name=csrfmiddlewaretoken]').forEach(el => el.value = 'x'.repeat(64))")
    cookie = next(c for c in page.context.cookies() if c["name"] == "csrftoken")
    page.context.add_cookies([{**cookie, "value": "y" * 32}])
    page.get_by_role("button", name="Submit answer").click()
    page.get_by_text("That page was out of date").wait_for()
    assert not Answer.objects.exists()
    # After the reload the same question answers normally.
    page.get_by_role("button", name="Submit answer").click()
    page.locator("#feedback-heading").wait_for()
    assert Answer.objects.filter(item__attempt__student=student).count() == 1


def test_on_a_phone_the_ordering_question_fits_and_its_end_buttons_say_they_cannot_move(
    browser, live_server, login, ordering_set
):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740})
    page = context.new_page()
    try:
        student = make_user("phone")
        start(page, login, student)
        fits = "document.documentElement.scrollWidth <= window.innerWidth"
        wide = "[...document.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > window.innerWidth).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 12)"
        assert page.evaluate(fits), page.evaluate(wide)
        for button in page.locator("[data-move]").all():
            box = button.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 375
        first = page.eval_on_selector_all("[data-order-item]", "els => els.map(e => e.dataset.label)")[0]
        page.locator(f"[data-order-item][data-label='{first}'] button[data-move=up]").click()
        wait_until(page, "document.querySelector('[data-order-status]').textContent.includes('already first')")
        assert page.eval_on_selector_all("[data-order-item]", "els => els.map(e => e.dataset.label)")[0] == first
        assert_accessible(page)
        # The matching review table scrolls inside its box rather than widening the page.
        page.get_by_role("button", name="Submit answer").click()
        page.get_by_role("link", name="Next question").click()
        page.locator("form.question-form select").first.wait_for()
        for select in page.locator("form.question-form select").all():
            select.select_option(index=1)
        page.get_by_role("button", name="Submit answer").click()
        page.locator("#feedback-heading").wait_for()
        assert page.evaluate(fits), page.evaluate("document.documentElement.scrollWidth")
        assert_accessible(page)
        assert Attempt.objects.get(student=student).answered_count == 2
    finally:
        context.close()


def test_on_a_phone_the_score_trend_labels_stay_readable(browser, live_server, login):
    from tests.factories import ago, take

    student = make_user("phonetrend")
    question = f.single_choice(prompt="Who led Leningrad?")
    for days in (3, 2, 1):
        take(student, [(question, days != 2)], title="Trend quiz", when=ago(days=days))
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740})
    page = context.new_page()
    try:
        login(page, student)
        page.goto("/progress/")
        heights = page.eval_on_selector_all("svg.chart text", "els => els.map(e => e.getBoundingClientRect().height)")
        assert heights and min(heights) >= 9, heights  # on-screen text height in CSS pixels
        boxes = page.eval_on_selector_all("svg.chart text", "els => els.map(e => e.getBoundingClientRect().left)")
        chart_left = page.eval_on_selector("svg.chart", "e => e.getBoundingClientRect().left")
        assert min(boxes) >= chart_left - 1  # no axis label cut off at the chart's left edge
    finally:
        context.close()
