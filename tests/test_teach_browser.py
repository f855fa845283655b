"""The teacher's flow in headless Chromium under the strict CSP: build a set with htmx (no
page reloads), filter the bank, reorder with the keyboard-friendly buttons, assign it, and
read the results. axe-core checks the set editor, the bank browser and the results page."""

import re

import pytest

from quiz.models import Answer, Assignment, Attempt, AttemptItem, Classroom, Enrollment, QuestionSet
from tests import factories as f
from tests.browser_support import assert_accessible, assert_accessible_and_error_free, wait_until
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def order(question_set):
    return list(question_set.items.order_by("position").values_list("question__prompt", flat=True))


def test_teacher_builds_reorders_and_assigns_a_set_without_reloads(page, login, teacher):
    kirov, yagoda = f.figure("Kirov"), f.figure("Yagoda")
    f.single_choice("Who led Leningrad in 1934?", figures=[kirov])
    f.single_choice("Who headed the NKVD in 1934?", ("Yagoda", "Kirov", "Bukharin"), figures=[yagoda])
    f.single_choice("Where was Kirov shot?", ("Smolny", "Kremlin", "Lubyanka"), figures=[kirov])
    f.ordering("Put Kirov's career in order.", figures=[kirov])
    classroom = Classroom.objects.create(teacher=teacher, name="11A History")

    login(page, teacher)
    page.goto("/teach/")
    page.get_by_role("link", name="New question set").first.click()
    page.get_by_label("Title").fill("Kirov and Yagoda")
    page.get_by_role("button", name="Create set").click()
    page.wait_for_url(re.compile(r"/teach/sets/\d+/$"))
    question_set = QuestionSet.objects.get(title="Kirov and Yagoda")
    assert page.get_by_text("No questions yet.").is_visible()
    # A page reload would drop this marker.
    page.evaluate("window.__sameDocument = true")

    # Filter the bank: only questions about Kirov, then only single choice about Kirov.
    page.get_by_label("Figure").select_option(label="Kirov Full")
    page.locator(".bank-count").filter(has_text="3 questions match").wait_for()
    page.get_by_label("Kind").select_option("who_held_role")
    page.locator(".bank-count").filter(has_text="2 questions match").wait_for()
    # The filters are in the address bar: the page's URL holds the bank's state.
    wait_until(page, "location.search.includes('kind=who_held_role') && location.search.includes('figure=')")
    bank = page.locator("#bank-results .bank-prompt")
    assert sorted(bank.all_inner_texts()) == ["Where was Kirov shot?", "Who led Leningrad in 1934?"]
    assert_accessible(page, context="#bank")

    page.get_by_role("button", name="Add to set: Who led Leningrad in 1934?").click()
    page.locator("#set-items .set-item").first.wait_for()
    page.get_by_role("button", name="Add to set: Where was Kirov shot?").click()
    page.locator("#set-items .set-item").nth(1).wait_for()
    # The bank marks what is in the set, and focus stays in the bank row just used.
    assert page.locator("#bank-results .badge", has_text="In this set").count() == 2
    wait_until(page, "document.activeElement && document.activeElement.textContent.includes('Remove')")

    # Clear the kind filter and add the ordering question too, once the add has settled: a change
    # made to the filter form while htmx still swaps the panels is lost with the old form.
    wait_until(page, "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
    page.get_by_label("Kind").select_option("")
    page.locator(".bank-count").filter(has_text="3 questions match").wait_for()
    page.get_by_role("button", name="Add to set: Put Kirov's career in order.").click()
    page.locator("#set-items .set-item").nth(2).wait_for()
    assert order(question_set) == [
        "Who led Leningrad in 1934?",
        "Where was Kirov shot?",
        "Put Kirov's career in order.",
    ]
    # Wait for htmx to settle (focus lands on the bank row's Remove button): until then the new
    # Up buttons are not wired to htmx yet, and Enter would make a plain, full-page post.
    wait_until(page, "document.activeElement && document.activeElement.textContent.includes('Remove')")
    wait_until(page, "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")

    # Reorder with the keyboard: focus the last item's Up button and press Enter twice.
    up = page.get_by_role("button", name="move question 3 up")
    up.focus()
    page.keyboard.press("Enter")
    page.locator("#set-items .set-item").nth(1).filter(has_text="Put Kirov's career in order.").wait_for()
    # The whole response is in (status included) and htmx is idle before the next key press.
    page.locator("#set-status").filter(has_text="Moved to position 2.").wait_for()
    wait_until(page, "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
    # Focus followed the moved question, so Enter again moves it once more.
    wait_until(page, "document.activeElement && document.activeElement.textContent.includes('move question 2 up')")
    page.keyboard.press("Enter")
    page.locator("#set-items .set-item").first.filter(has_text="Put Kirov's career in order.").wait_for()
    assert order(question_set) == [
        "Put Kirov's career in order.",
        "Who led Leningrad in 1934?",
        "Where was Kirov shot?",
    ]
    page.locator("#set-status").filter(has_text="Moved to position 1.").wait_for()
    assert page.locator("#set-status").inner_text() == "Moved to position 1."
    # First now, its Up button is disabled: focus moves to its Down button, still on the question.
    wait_until(page, "document.activeElement && document.activeElement.textContent.includes('move question 1 down')")
    assert page.evaluate("window.__sameDocument") is True
    assert_accessible(page)

    # Assign it to the class (a plain form post).
    page.get_by_label("Class", exact=True).select_option(label="11A History")
    page.get_by_role("button", name="Assign", exact=True).click()
    page.get_by_text("Assigned “Kirov and Yagoda” for 11A History.").wait_for()
    assert Assignment.objects.filter(classroom=classroom, question_set=question_set).exists()
    assert page.js_errors == []


def test_refused_htmx_action_shows_a_readable_error(page, login, teacher):
    question = f.single_choice("Soon retired")
    question_set = f.question_set(teacher, [], visibility="private")
    login(page, teacher)
    page.goto(f"/teach/sets/{question_set.pk}/")
    question.is_retired = True
    question.save()
    page.get_by_role("button", name="Add to set: Soon retired").click()
    alert = page.locator("#teach-error")
    alert.filter(has_text="retired").wait_for()
    assert question_set.items.count() == 0
    # The 409 is reported by the browser console; nothing else went wrong.
    assert all("409" in error for error in page.js_errors)


def answered_assignment(teacher, title, picks, prefix):
    """A class whose students finished `title`: student i chose option `picks[i][q]` ("A" is the
    key) on question q. Returns the assignment."""
    from django.utils import timezone

    count = len(picks[0])
    questions = [f.single_choice(f"Question {i}?", (f"A{i}", f"B{i}", f"C{i}")) for i in range(1, count + 1)]
    question_set = f.question_set(teacher, questions, visibility="private", title=title)
    classroom = Classroom.objects.create(teacher=teacher, name="11A")
    assignment = Assignment.objects.create(classroom=classroom, question_set=question_set)
    for i, letters in enumerate(picks):
        student = make_user(f"{prefix}{i}")
        Enrollment.objects.create(classroom=classroom, student=student)
        attempt = Attempt.objects.create(
            student=student, question_set=question_set, assignment=assignment, title="t", question_count=count
        )
        correct = 0
        for pos, (question, letter) in enumerate(zip(questions, letters), start=1):
            item = AttemptItem.objects.create(attempt=attempt, question=question, position=pos, option_order=[])
            option = question.options.get(text=f"{letter}{pos}")
            Answer.objects.create(
                item=item,
                student=student,
                question=question,
                selected_option=option,
                is_correct=option.is_correct,
                score=float(option.is_correct),
            )
            correct += option.is_correct
        Attempt.objects.filter(pk=attempt.pk).update(
            finished_at=timezone.now(), score=correct, correct_count=correct, answered_count=count
        )
    return assignment


def test_results_page_is_accessible_and_flags_show(page, login, teacher):
    # Strong students (2 of 3) pick the distractor on question 2; the weakest (1 of 3) picks the key.
    # Their totals differ, so the upper and lower groups do not depend on how ties are broken.
    assignment = answered_assignment(
        teacher, "Checked quiz", [("A", "B", "A"), ("A", "B", "A"), ("B", "A", "B")], "pupil"
    )

    login(page, teacher)
    page.goto(f"/teach/assignments/{assignment.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Results: Checked quiz"
    assert page.get_by_text("Negative discrimination").is_visible()
    assert page.get_by_role("link", name="Download results (CSV)").is_visible()
    assert_accessible(page)
    page.get_by_text("How these numbers are worked out").click()
    assert_accessible_and_error_free(page)


def test_preview_class_and_join_pages_are_accessible(page, login, teacher, student):
    question_set = f.question_set(
        teacher, [f.single_choice(), f.ordering(), f.matching()], visibility="private", title="Preview me"
    )
    classroom = Classroom.objects.create(teacher=teacher, name="Joinable")
    login(page, teacher)
    page.goto(f"/teach/sets/{question_set.pk}/preview/")
    assert not page.get_by_text("Correct order:").is_visible()
    page.get_by_text("Show answer").nth(1).click()
    assert page.get_by_text("Correct order:").is_visible()
    assert_accessible(page)
    page.goto(f"/teach/classes/{classroom.pk}/")
    assert_accessible(page)
    page.goto("/teach/questions/new/?kind=matching")
    assert_accessible(page)
    page.context.clear_cookies()
    login(page, student)
    page.goto(f"/classes/join/?code={classroom.join_code}")
    page.get_by_role("button", name="Join Joinable").click()
    page.wait_for_url(lambda url: url.endswith("/"))
    assert Enrollment.objects.filter(classroom=classroom, student=student).exists()
    assert page.locator("#home-assignments").is_visible()
    assert_accessible_and_error_free(page)


def test_wrapped_flags_are_rounded_rectangles_not_pills(page, login, teacher):
    # Question 2 gets both flags: the strongest pick distractor B, the weakest the key. Totals
    # differ (2, 2, 1 of 3): with tied totals the upper and lower groups, and so the flags,
    # depended on the order the database returned the attempts in.
    assignment = answered_assignment(teacher, "Narrow", [("A", "B", "A"), ("A", "B", "A"), ("B", "A", "B")], "narrow")

    page.set_viewport_size({"width": 400, "height": 900})
    login(page, teacher)
    page.goto(f"/teach/assignments/{assignment.pk}/")
    flags = page.evaluate(
        """Array.from(document.querySelectorAll('.flag')).map(el => {
            const s = getComputedStyle(el);
            return {
                lines: el.getBoundingClientRect().height / parseFloat(s.lineHeight),
                radius: parseFloat(s.borderTopLeftRadius),
                overflows: el.scrollWidth > el.clientWidth + 1,
            };
        })"""
    )
    assert len(flags) == 2
    assert any(flag["lines"] > 1.8 for flag in flags), flags  # the narrow column wraps them
    # A pill's huge radius would cut into the wrapped lines; a small one keeps them inside.
    assert all(flag["radius"] <= 8 and not flag["overflows"] for flag in flags), flags
    assert page.js_errors == []


def test_text_filter_and_bank_pages_by_keyboard_leave_no_console_errors(page, login, teacher):
    for i in range(20):
        f.single_choice(f"Filler question {i}")
    f.single_choice("Where was Kirov shot?", ("Smolny", "Kremlin", "Lubyanka"))
    question_set = QuestionSet.objects.create(owner=teacher, title="Empty for now")
    login(page, teacher)
    page.goto(f"/teach/sets/{question_set.pk}/")
    # Enter in the text filter fires both change and submit: one must not abort the other noisily.
    page.get_by_label("Words in the prompt").fill("Kirov")
    page.get_by_label("Words in the prompt").press("Enter")
    page.locator(".bank-count").filter(has_text="1 question matches").wait_for()
    page.get_by_label("Words in the prompt").fill("")
    page.get_by_label("Words in the prompt").press("Enter")
    page.locator(".bank-count").filter(has_text="21 questions match").wait_for()
    # Paging by keyboard keeps focus on the bank: on the new page's count.
    page.get_by_role("link", name="Next page →").focus()
    page.keyboard.press("Enter")
    page.locator(".bank-count").filter(has_text="page 2 of 2").wait_for()
    wait_until(page, "document.activeElement && document.activeElement.classList.contains('bank-count')")
    # The page is in the address bar: Back returns to page 1 (the whole editor, not the bank
    # inside itself), Forward to page 2, and a reload shows it again.
    wait_until(page, "location.search.includes('page=2')")
    page.go_back()
    page.locator(".bank-count").filter(has_text="21 questions match · page 1 of 2").wait_for()
    assert page.locator("h1").count() == 1 and page.locator("#bank-results").count() == 1
    page.go_forward()
    page.locator(".bank-count").filter(has_text="page 2 of 2").wait_for()
    page.reload()
    page.locator(".bank-count").filter(has_text="page 2 of 2").wait_for()
    assert page.js_errors == []
