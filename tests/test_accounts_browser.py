"""The account pages in a real browser on a 375 px phone: axe-clean, labelled, no sideways
scrolling, no script errors under the CSP."""

import re

import pytest

from quiz.models import Classroom, Enrollment
from tests.browser_support import assert_accessible_and_error_free

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW = "smolny-corridor-1934"


def fits_and_passes_axe(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, page.url
    assert_accessible_and_error_free(page)


def test_forgotten_password_pages_on_a_phone(phone, student, mailoutbox):
    student.email = "nino@example.org"
    student.save()
    phone.goto("/accounts/login/")
    phone.get_by_role("link", name="Forgotten your password?").click()
    fits_and_passes_axe(phone)
    phone.get_by_label("E-mail address").fill("nino@example.org")
    phone.get_by_role("button", name="Send me a link").click()
    phone.get_by_role("heading", name="Check your e-mail").wait_for()
    fits_and_passes_axe(phone)
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mailoutbox[0].body).group(1)
    phone.goto(link)
    phone.get_by_role("heading", name="Set a new password").wait_for()
    fits_and_passes_axe(phone)
    phone.get_by_label(re.compile(r"^New password:?$")).fill(NEW)
    phone.get_by_label("New password confirmation").fill(NEW)
    phone.get_by_role("button", name="Set my password").click()
    phone.get_by_role("heading", name="Your new password is set").wait_for()
    fits_and_passes_axe(phone)


def test_account_page_and_change_on_a_phone(phone, student, login):
    login(phone, student)
    phone.get_by_role("link", name="Account").click()
    phone.get_by_role("heading", name="Change your password").wait_for()
    fits_and_passes_axe(phone)
    phone.get_by_label("Old password").fill("pw-for-tests-only")
    phone.get_by_label(re.compile(r"^New password:?$")).fill(NEW)
    phone.get_by_label("New password confirmation").fill(NEW)
    phone.get_by_role("button", name="Change my password").click()
    phone.get_by_role("heading", name="Password changed").wait_for()
    fits_and_passes_axe(phone)


def known_device_cookies(page):
    return [cookie for cookie in page.context.cookies() if cookie["name"] == "known_device"]


def test_log_in_page_remembers_the_device_only_when_asked_on_a_phone(phone, student, login):
    phone.goto("/accounts/login/")
    fits_and_passes_axe(phone)
    box = phone.get_by_role("checkbox", name=re.compile(r"^Remember this device: only on your own computer or phone"))
    assert not box.is_checked()
    # Why it helps is the box's description, read out with it.
    explained = phone.locator(f"#{box.get_attribute('aria-describedby')}").inner_text()
    assert "someone else’s wrong guesses lock your account, you can still log in here" in explained

    login(phone, student)  # without ticking the box
    assert known_device_cookies(phone) == []
    phone.context.clear_cookies()  # as a fresh browser
    phone.goto("/accounts/login/")
    phone.get_by_label("Username").fill(student.username)
    phone.get_by_label("Password").fill("pw-for-tests-only")
    box.check()
    phone.get_by_role("button", name="Log in").click()
    phone.wait_for_url(lambda url: "/accounts/login/" not in url)
    [cookie] = known_device_cookies(phone)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"


def test_locked_out_page_on_a_phone(phone, student):
    phone.goto("/accounts/login/")
    for _ in range(6):
        phone.get_by_label("Username").fill(student.username)
        phone.get_by_label("Password").fill("wrong-password")
        phone.get_by_role("button", name="Log in").click()
        phone.wait_for_load_state()
        if "Too many" in phone.title():
            break
        phone.goto("/accounts/login/")
    assert phone.get_by_role("heading", level=1).inner_text() == "Too many failed log-ins"
    # The browser reports the 429 status itself; that is the only message.
    assert all("429" in error for error in phone.js_errors)
    phone.js_errors.clear()
    fits_and_passes_axe(phone)


def test_teacher_resets_a_password_on_a_phone(phone, teacher, student, login):
    classroom = Classroom.objects.create(teacher=teacher, name="Year 8")
    Enrollment.objects.create(classroom=classroom, student=student)
    login(phone, teacher)
    phone.goto(f"/teach/classes/{classroom.pk}/students/{student.pk}/")
    phone.get_by_role("link", name=re.compile("Reset password")).click()
    phone.get_by_role("heading", name=re.compile("Reset the password of")).wait_for()
    fits_and_passes_axe(phone)
    phone.get_by_role("button", name="Reset the password").click()
    phone.get_by_role("heading", name=re.compile("New password for")).wait_for()
    assert re.fullmatch(r"[a-z]+-[a-z]+-[a-z]+-\d{2}", phone.locator("output.new-password").inner_text())
    fits_and_passes_axe(phone)
