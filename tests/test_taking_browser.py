"""A student takes a whole quiz in a real browser, by keyboard; and once with JavaScript off."""

import re

import pytest

from quiz.models import Attempt
from tests import factories as f
from tests.browser_support import assert_accessible, assert_accessible_and_error_free, wait_until
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mixed_set():
    return f.mixed_set("Mixed quiz")


def tab_to(page, selector, *, limit=80):
    """Press Tab until the element `selector` (Playwright syntax) has focus: keyboard only, no clicks."""
    target = page.locator(selector).first
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def submit_and_expect_feedback(page):
    tab_to(page, "form.question-form button[type=submit]")
    page.keyboard.press("Enter")
    heading = page.locator("#feedback-heading")
    heading.wait_for()
    wait_until(page, "document.activeElement && document.activeElement.id === 'feedback-heading'")
    return heading.inner_text()


def next_question(page, expected_prompt):
    tab_to(page, "a.button:text('Next question')")
    page.keyboard.press("Enter")
    page.get_by_text(expected_prompt).wait_for()
    wait_until(page, "document.activeElement && document.activeElement.classList.contains('question-heading')")


def choose_radio(page, text):
    tab_to(page, "input[name=choice]")
    for _ in range(10):
        checked = page.evaluate(
            "() => { const r = document.querySelector('input[name=choice]:checked'); return r && r.closest('label').innerText.trim(); }"
        )
        if checked == text:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"could not select {text}")


def order_items(page, texts):
    for index, text in enumerate(texts):
        labels = page.eval_on_selector_all("[data-order-item]", "els => els.map(e => e.dataset.label)")
        steps = labels.index(text) - index
        if steps <= 0:
            continue
        tab_to(page, f"[data-order-item][data-label='{text}'] button[data-move=up]")
        for _ in range(steps):
            page.keyboard.press("Enter")
    assert page.eval_on_selector_all("[data-order-item]", "els => els.map(e => e.dataset.label)") == list(texts)
    # The (hidden) position inputs follow what the student sees.
    assert page.eval_on_selector_all("[data-order-position]", "els => els.map(e => e.value)") == ["1", "2", "3", "4"]


def choose_matches(page, pairs):
    for left, right in pairs:
        select_id = page.get_by_label(left, exact=True).get_attribute("id")
        tab_to(page, f"#{select_id}")
        for _ in range(10):
            chosen = page.evaluate(
                "id => { const s = document.getElementById(id); return s.options[s.selectedIndex].text; }", select_id
            )
            if chosen == right:
                break
            page.keyboard.press("ArrowDown")
        else:
            raise AssertionError(f"could not choose {right} for {left}")


def answer_the_first_question_wrongly(page):
    """Single choice, answered wrongly on purpose: the verdict, the key and the citation."""
    choose_radio(page, "Yagoda")
    verdict = submit_and_expect_feedback(page)
    assert "Incorrect" in verdict and "✗" in verdict
    feedback = page.locator(".feedback")
    assert "The right answer: Kirov" in feedback.inner_text()
    assert re.match(r"/interview/\?cite=\d+%3A\d+-\d+#passage-\d+$", feedback.locator("cite a").get_attribute("href"))
    assert page.get_by_text("Score so far: 0 correct of 1 answered").is_visible()
    assert_accessible(page)


def see_the_results_by_keyboard(page, attempt):
    tab_to(page, "a:text('See your results')")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/attempts/{attempt.pk}/summary/")
    assert page.get_by_role("heading", level=1).inner_text() == "Results: Mixed quiz"


def test_keyboard_only_quiz_with_htmx_feedback_and_summary(page, login, mixed_set):
    student = make_user("keyboard")
    login(page, student)
    page.goto("/quizzes/")
    tab_to(page, "button:text('Start')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/attempts/*/")
    attempt = Attempt.objects.get(student=student)
    page.evaluate("window.__stillTheSamePage = true")
    assert_accessible(page)

    answer_the_first_question_wrongly(page)

    # 2. Ordering with the move buttons.
    next_question(page, "Put these events in order, earliest first.")
    assert_accessible(page)
    order_items(page, ["Congress", "Murder", "Trial", "Purge"])
    assert "Correct" in submit_and_expect_feedback(page)

    # 3. Matching with one select per person.
    next_question(page, "Match each person to a post.")
    choose_matches(page, [("Kirov", "Leningrad party chief"), ("Yagoda", "NKVD head"), ("Molotov", "Premier")])
    assert "Correct" in submit_and_expect_feedback(page)

    # 4. Cloze.
    next_question(page, "Which word fills the gap?")
    choose_radio(page, "Leningrad")
    assert "Correct" in submit_and_expect_feedback(page)
    assert page.get_by_text("Score so far: 3 correct of 4 answered").is_visible()

    # The whole quiz happened on one document: htmx swapped fragments, nothing reloaded.
    assert page.evaluate("window.__stillTheSamePage") is True
    assert page.url.endswith(f"/attempts/{attempt.pk}/")

    see_the_results_by_keyboard(page, attempt)
    assert page.get_by_text("3 of 4 questions fully right").is_visible()
    assert page.locator(".stat").inner_text() == "75%"
    assert page.get_by_role("button", name="Practise Kirov").is_visible()
    assert_accessible_and_error_free(page)
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.correct_count == 3


def test_a_refused_answer_is_explained_in_place(page, login, mixed_set):
    student = make_user("refused")
    login(page, student)
    page.goto("/quizzes/")
    page.get_by_role("button", name="Start Mixed quiz").click()
    page.wait_for_url("**/attempts/*/")
    page.evaluate("window.__stillTheSamePage = true")
    # Bypass the browser's own check to post an empty answer, as a tampered form would.
    page.evaluate("document.querySelectorAll('[required]').forEach(el => el.removeAttribute('required'))")
    page.get_by_role("button", name="Submit answer").click()
    alert = page.locator("#answer-error [role=alert]")
    alert.wait_for()
    assert "Choose one of the answers before submitting." in alert.inner_text()
    assert page.evaluate("window.__stillTheSamePage") is True
    assert not Attempt.objects.get(student=student).items.filter(answer__isnull=False).exists()
    # 4xx responses are expected here, so only the browser's own network message may appear.
    assert all("400" in error for error in page.js_errors)


def test_javascript_off_completes_a_question_with_plain_form_posts(browser, live_server, mixed_set):
    student = make_user("nojs")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(student.username)
        page.get_by_label("Password").fill("pw-for-tests-only")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        page.goto("/quizzes/")
        page.get_by_role("button", name="Start Mixed quiz").click()
        page.wait_for_url("**/attempts/*/")
        attempt = Attempt.objects.get(student=student)

        def submit_and_go_on(position):
            page.get_by_role("button", name="Submit answer").click()
            page.wait_for_url(f"**/attempts/{attempt.pk}/items/{position}/")
            assert "Correct" in page.locator("#feedback-heading").inner_text()
            if position < 4:
                page.get_by_role("link", name="Next question").click()
                page.wait_for_url(f"**/attempts/{attempt.pk}/")

        page.get_by_label("Kirov").check()
        submit_and_go_on(1)
        # Ordering without JavaScript: the numbered position inputs are visible and used.
        inputs = page.locator("[data-order-position]")
        inputs.first.wait_for(state="visible")
        assert inputs.count() == 4
        # The static ranks belong to the Move buttons; beside the inputs they would show other numbers.
        assert not any(rank.is_visible() for rank in page.locator("[data-order-rank]").all())
        by_label = {label: page.get_by_label(label, exact=True) for label in ("Congress", "Murder", "Trial", "Purge")}
        for rank, label in enumerate(["Congress", "Murder", "Trial", "Purge"], start=1):
            by_label[label].fill(str(rank))
        submit_and_go_on(2)
        # Matching: one plain select per person.
        for person, post in (("Kirov", "Leningrad party chief"), ("Yagoda", "NKVD head"), ("Molotov", "Premier")):
            page.get_by_label(person, exact=True).select_option(label=post)
        submit_and_go_on(3)
        page.get_by_text("Which word fills the gap?").wait_for()
        page.get_by_label("Leningrad").check()
        submit_and_go_on(4)
        attempt.refresh_from_db()
        assert (attempt.answered_count, attempt.correct_count) == (4, 4)
    finally:
        context.close()


def test_on_a_phone_a_set_with_the_safe_defaults_says_right_or_wrong_and_keeps_the_key_until_the_end(
    page, login, live_server
):
    student = make_user("phone")
    f.question_set(
        None,
        [
            f.single_choice("Who led the Leningrad party organisation?", explanation="Kirov led it from 1926."),
            f.matching("Match each person to a post.", explanation="Their posts in 1934."),
            f.cloze("“Kirov was popular in ____.” Which word fills the gap?", explanation="Leningrad, his city."),
        ],
        title="Homework",
        max_attempts=1,
        show_score="each_question",
        show_answers="after_close",
    )
    page.set_viewport_size({"width": 375, "height": 800})
    login(page, student)
    page.goto("/quizzes/")
    page.get_by_role("button", name=re.compile("Start Homework")).click()
    page.get_by_text("Who led the Leningrad party organisation?").wait_for()
    choose_radio(page, "Yagoda")
    assert "Incorrect" in submit_and_expect_feedback(page)
    feedback = page.locator("section.feedback")
    assert "Your answer: Yagoda" in feedback.inner_text()
    assert "The right answer:" not in feedback.inner_text() and "Kirov led it" not in feedback.inner_text()
    feedback.get_by_text(
        "shown after the due date (or, if there is none, once you have used all your attempts)"
    ).wait_for()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    next_question(page, "Match each person to a post.")
    for select in page.locator("select").all():
        select.select_option(index=1)
    submit_and_expect_feedback(page)
    assert "Right match" not in page.locator("section.feedback").inner_text()
    assert "Their posts in 1934." not in page.locator("section.feedback").inner_text()
    assert_accessible(page)

    next_question(page, "Which word fills the gap?")
    choose_radio(page, "Moscow")
    submit_and_expect_feedback(page)
    # The last answer of the only attempt: the set is closed to the student, the key is out.
    page.locator("section.feedback").get_by_text("Leningrad, his city.").wait_for()
    page.get_by_role("link", name="See your results").click()
    # The only attempt is used: now the answers and explanations are shown.
    page.get_by_text("Kirov led it from 1926.").wait_for()
    assert "The right answer: Kirov" in page.locator("main").inner_text()
    assert page.get_by_role("button", name=re.compile("again")).count() == 0
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert not page.js_errors, page.js_errors


def test_on_a_phone_the_source_reading_kinds_show_long_sentences_and_fold_what_historians_say(
    page, login, live_server, question_bank
):
    # Whole sentences of the interview as choices: the longest of each new kind, on a phone.
    from quiz.models import Kind

    kinds = [Kind.FIND_EVIDENCE, Kind.SPOT_ERROR, Kind.EVIDENCE_KIND, Kind.SOURCE_CRITICISM]
    questions = []
    for kind in kinds:
        candidates = list(question_bank.filter(kind=kind, claim__isnull=False).prefetch_related("options"))
        questions.append(max(candidates, key=lambda q: max(len(o.text) for o in q.options.all())))
    f.question_set(None, questions, title="Reading the source")
    page.set_viewport_size({"width": 375, "height": 800})
    login(page, make_user("reader"))
    page.goto("/quizzes/")
    page.get_by_role("button", name=re.compile("Start Reading the source")).click()
    for position, question in enumerate(questions):
        page.get_by_text(question.prompt[:40]).first.wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, question.generator_key
        right = next(o.text for o in question.options.all() if o.is_correct)
        page.locator("label", has_text=right[:60]).first.click()
        assert "Correct" in submit_and_expect_feedback(page)
        details = page.locator("section.feedback details")
        assert details.count() == 1 and not details.first.evaluate("el => el.open"), question.generator_key
        details.first.locator("summary").click()
        details.first.get_by_text(question.claim.note[:50]).wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, question.generator_key
        assert_accessible(page)
        if position < len(questions) - 1:
            next_question(page, questions[position + 1].prompt[:40])
    assert not page.js_errors, page.js_errors
