"""Log-in limits: per account across all addresses (progressive), per remembered device (asked
for on the log-in form; cookies bound to the password, at most five devices an account), per
address across the accounts that are strangers there, on our log-in page and the admin's, with the client address read correctly behind a
trusted proxy. Time moves with time-machine, never by sleeping."""

import datetime
import re

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-only"
NEW = "smolny-corridor-1934"
LOGIN = "/accounts/login/"
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


def log_in(client, username, password=PASSWORD, address="198.51.100.1", url=LOGIN, remember=False, **headers):
    data = {"username": username, "password": password}
    if remember:
        data["remember_device"] = "on"  # the ticked box, as a browser posts it
    return client.post(url, data, REMOTE_ADDR=address, **headers)


def logged_in(client, user):
    return client.session.get("_auth_user_id") == str(user.pk)


def fail(client, username, times, address="198.51.100.1", **headers):
    for _ in range(times):
        response = log_in(client, username, "wrong-password", address, **headers)
        assert response.status_code == 200, "a failed log-in shows the form again"


def known_browser(user, address="192.0.2.10"):
    """A browser the user has logged in with, ticking "Remember this device", and logged out of
    again: it carries the device cookie."""
    browser = Client()
    assert log_in(browser, user.username, address=address, remember=True).status_code == 302
    browser.post("/accounts/logout/")
    assert not logged_in(browser, user)
    return browser


# --- Per account, across every address -----------------------------------------------------


def test_failures_from_many_addresses_on_one_account_are_limited(clock, teacher):
    for n in range(5):
        fail(Client(), teacher.username, 1, address=f"203.0.113.{n + 1}")
    # A sixth address, with the right password this time: held, and not logged in.
    attacker = Client()
    response = log_in(attacker, teacher.username, address="203.0.113.99")
    assert response.status_code == 429
    assert not logged_in(attacker, teacher)


def test_the_account_cool_off_grows_with_each_further_failure(clock, student):
    guesser = Client()
    fail(guesser, student.username, 5)
    held = log_in(guesser, student.username)
    assert held.status_code == 429 and "1 minute" in held.content.decode()
    assert held["Retry-After"] == "60"

    clock.shift(61)
    fail(guesser, student.username, 1)  # the sixth failure: the next wait is 2 minutes
    held = log_in(guesser, student.username)
    assert held.status_code == 429 and "2 minutes" in held.content.decode()
    clock.shift(61)
    assert log_in(guesser, student.username).status_code == 429
    clock.shift(60)
    fail(guesser, student.username, 1)  # the seventh: 4 minutes
    clock.shift(3 * 60 + 50)
    assert log_in(guesser, student.username).status_code == 429
    clock.shift(15)
    assert log_in(guesser, student.username).status_code == 302


def test_waiting_while_held_does_not_count_as_failing(clock, student):
    guesser = Client()
    fail(guesser, student.username, 5)
    for _ in range(10):  # attempts while held are refused before the password is checked
        assert log_in(guesser, student.username, "wrong-password").status_code == 429
    clock.shift(61)
    assert log_in(guesser, student.username).status_code == 302


def test_the_wait_is_capped_at_an_hour(clock, student):
    guesser = Client()
    fail(guesser, student.username, 5)
    for _ in range(12):  # doubling from 1 minute would pass an hour after 7 more
        clock.shift(datetime.timedelta(hours=1, seconds=1))
        fail(guesser, student.username, 1)
    clock.shift(datetime.timedelta(hours=1, seconds=1))
    assert log_in(guesser, student.username).status_code == 302


def test_failures_are_forgotten_after_a_day(clock, student):
    fail(Client(), student.username, 5)
    clock.shift(datetime.timedelta(days=1, seconds=1))
    fail(Client(), student.username, 4)
    assert log_in(Client(), student.username).status_code == 302


def test_a_successful_log_in_clears_the_account_failures(clock, student):
    fail(Client(), student.username, 4)
    assert log_in(Client(), student.username).status_code == 302
    fail(Client(), student.username, 4)
    assert log_in(Client(), student.username).status_code == 302


def test_the_held_page_does_not_tell_whether_the_username_exists(clock, student):
    fail(Client(), student.username, 5)
    fail(Client(), "nobody-has-this-name", 5)
    real = log_in(Client(), student.username)
    made_up = log_in(Client(), "nobody-has-this-name")
    assert real.status_code == made_up.status_code == 429
    page = real.content.decode()
    assert "Too many failed log-ins" in page and "Wait 1 minute" in page

    def without_csrf(html):
        return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)

    assert without_csrf(page) == without_csrf(made_up.content.decode())


def test_the_admin_log_in_is_limited_too(clock, staff_user):
    for n in range(5):
        fail(Client(), staff_user.username, 1, address=f"203.0.113.{n + 1}")
    attacker = Client()
    response = attacker.post(
        "/admin/login/?next=/admin/",
        {"username": staff_user.username, "password": PASSWORD},
        REMOTE_ADDR="203.0.113.50",
    )
    assert response.status_code == 429 and "Too many failed log-ins" in response.content.decode()
    assert not logged_in(attacker, staff_user)


def test_an_over_long_username_at_the_admin_log_in_is_a_plain_failure(clock):
    response = Client().post("/admin/login/", {"username": "x" * 5000, "password": "wrong"})
    assert response.status_code == 200


# --- Remembered devices --------------------------------------------------------------------


def test_a_pupil_guessing_the_teachers_account_does_not_stop_the_teacher(clock, teacher):
    school = "192.0.2.10"
    teachers_laptop = known_browser(teacher, address=school)
    pupil = Client()
    fail(pupil, teacher.username, 5, address=school)
    assert log_in(pupil, teacher.username, "another-guess", address=school).status_code == 429
    # The teacher, on their own laptop at the same school address, mistypes once and gets in.
    fail(teachers_laptop, teacher.username, 1, address=school)
    assert log_in(teachers_laptop, teacher.username, address=school).status_code == 302
    assert logged_in(teachers_laptop, teacher)
    # Still held for the pupil's browser.
    assert log_in(pupil, teacher.username, address=school).status_code == 429


def test_a_pupil_at_the_classroom_pc_cannot_lock_the_teacher_out_of_their_laptop(clock, teacher):
    """The security tester's report: the teacher logs in on the classroom PC and out again; a
    pupil runs up the account's count, then goes on guessing from the classroom PC's browser."""
    school = "192.0.2.10"
    laptop = known_browser(teacher, address=school)
    classroom_pc = Client()
    assert log_in(classroom_pc, teacher.username, address=school).status_code == 302
    classroom_pc.post("/accounts/logout/")
    for n in range(5):
        log_in(Client(), teacher.username, f"guess-{n}", address=f"203.0.113.{n + 1}")
    for n in range(10):
        log_in(classroom_pc, teacher.username, f"guess-at-school-{n}", address=school)
    assert log_in(classroom_pc, teacher.username, "one-more", address=school).status_code == 429
    assert log_in(laptop, teacher.username, address=school).status_code == 302
    assert logged_in(laptop, teacher)


def test_failures_on_one_remembered_device_leave_another_devices_allowance_alone(clock, teacher):
    # Even a teacher who ticks "Remember this device" on the classroom PC, against the advice,
    # gives a pupil there only that PC's ten failures.
    school = "192.0.2.10"
    laptop = known_browser(teacher, address="198.51.100.20")
    classroom_pc = known_browser(teacher, address=school)
    fail(Client(), teacher.username, 5, address="203.0.113.7")
    fail(classroom_pc, teacher.username, 10, address=school)
    assert log_in(classroom_pc, teacher.username, "one-more", address=school).status_code == 429
    fail(laptop, teacher.username, 9, address="198.51.100.20")  # the laptop still has all ten
    assert log_in(laptop, teacher.username, address="198.51.100.20").status_code == 302


def test_known_browsers_have_a_failure_limit_of_their_own(clock, teacher):
    laptop = known_browser(teacher)
    fail(Client(), teacher.username, 5, address="203.0.113.7")  # the account is held for others
    fail(laptop, teacher.username, 10)  # ten mistakes on this device: it stops counting as known
    assert log_in(laptop, teacher.username).status_code == 429


# --- Asking to be remembered ----------------------------------------------------------------


def test_the_log_in_page_offers_to_remember_the_device_unticked(client):
    page = client.get(LOGIN)
    assertContains(
        page,
        '<input type="checkbox" name="remember_device" id="id_remember_device"'
        ' aria-describedby="id_remember_device_helptext">',
        html=True,
    )
    assertContains(
        page,
        '<label for="id_remember_device">Remember this device: only on your own computer or phone,'
        " never a shared one</label>",
        html=True,
    )
    assertContains(
        page,
        '<span class="helptext" id="id_remember_device_helptext">Then, if someone else’s wrong guesses'
        " lock your account, you can still log in here.</span>",
        html=True,
    )


def test_without_the_box_the_device_is_not_remembered(clock, teacher):
    browser = Client()
    response = log_in(browser, teacher.username)
    assert response.status_code == 302 and logged_in(browser, teacher)
    assert "known_device" not in response.cookies
    browser.post("/accounts/logout/")
    fail(Client(), teacher.username, 5, address="203.0.113.7")
    assert log_in(browser, teacher.username).status_code == 429  # a browser like any other


def test_with_the_box_the_device_cookie_is_issued_signed_and_http_only(clock, teacher):
    browser = Client()
    response = log_in(browser, teacher.username, remember=True)
    cookie = response.cookies["known_device"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and int(cookie["max-age"]) >= 30 * 86400
    assert cookie.value.count(":") == 2  # signed and timestamped (django.core.signing), not a bare name
    browser.post("/accounts/logout/")
    fail(Client(), teacher.username, 5, address="203.0.113.7")
    assert log_in(browser, teacher.username).status_code == 302  # remembered without ticking again


def test_a_log_in_without_the_box_forgets_this_browser(clock, teacher):
    browser = known_browser(teacher)
    cookie = browser.cookies["known_device"].value
    response = log_in(browser, teacher.username)
    assert response.status_code == 302
    assert response.cookies["known_device"].value == "" and response.cookies["known_device"]["max-age"] == 0
    browser.post("/accounts/logout/")
    # The cookie, kept by whoever copied it before, no longer counts either.
    fail(Client(), teacher.username, 5, address="203.0.113.7")
    holder = Client()
    holder.cookies["known_device"] = cookie
    assert log_in(holder, teacher.username).status_code == 429


def test_a_log_in_without_the_box_leaves_another_accounts_cookie_alone(clock, teacher, student):
    browser = known_browser(teacher)
    response = log_in(browser, student.username)
    assert response.status_code == 302 and "known_device" not in response.cookies
    browser.post("/accounts/logout/")
    fail(Client(), teacher.username, 5, address="203.0.113.7")
    assert log_in(browser, teacher.username).status_code == 302


def test_the_admin_log_in_and_sign_up_remember_no_device(clock, staff_user):
    admin = Client().post("/admin/login/?next=/admin/", {"username": staff_user.username, "password": PASSWORD})
    assert admin.status_code == 302 and "known_device" not in admin.cookies
    signup = Client().post(reverse("signup"), {"username": "new-pupil", "password1": NEW, "password2": NEW})
    assert signup.status_code == 302 and "known_device" not in signup.cookies


def test_a_logged_in_browser_gets_a_fresh_device_cookie_each_time(clock, teacher):
    browser = known_browser(teacher)
    first = browser.cookies["known_device"].value
    clock.shift(5)
    log_in(browser, teacher.username, remember=True)
    assert browser.cookies["known_device"].value != first


# --- At most five remembered devices ---------------------------------------------------------


def cookies_of(user, times):
    """The known-device cookies of `times` log-ins as `user`, each in a fresh browser ticking
    "Remember this device" (on shared computers, say)."""
    return [known_browser(user).cookies["known_device"].value for _ in range(times)]


def guesses_with(cookies, username, times, address="203.0.113.30"):
    """Wrong passwords tried with the cookies in turn; the status of each attempt."""
    statuses = []
    for n in range(times):
        holder = Client()
        holder.cookies["known_device"] = cookies[n % len(cookies)]
        statuses.append(log_in(holder, username, f"guess-{n}", address).status_code)
    return statuses


def holds(cookie, user):
    """Whether a browser carrying `cookie` and the right password is held."""
    holder = Client()
    holder.cookies["known_device"] = cookie
    return log_in(holder, user.username, address="198.51.100.44").status_code == 429


def test_an_account_remembers_at_most_five_devices_forgetting_the_oldest(clock, teacher):
    cookies = cookies_of(teacher, 6)
    fail(Client(), teacher.username, 5, address="203.0.113.7")  # the account is held for others
    assert holds(cookies[0], teacher)
    assert not any(holds(cookie, teacher) for cookie in cookies[1:])


def test_ticking_the_box_again_on_a_remembered_device_adds_no_device(clock, teacher):
    laptop = known_browser(teacher)
    cookies = cookies_of(teacher, 4)
    for _ in range(3):
        clock.shift(60)
        assert log_in(laptop, teacher.username, remember=True).status_code == 302
        laptop.post("/accounts/logout/")
    fail(Client(), teacher.username, 5, address="203.0.113.7")
    assert not any(holds(cookie, teacher) for cookie in cookies)
    assert log_in(laptop, teacher.username).status_code == 302


def test_collected_cookies_give_at_most_five_devices_of_ten_failures(clock, teacher):
    cookies = cookies_of(teacher, 7)
    # The two remembered first are forgotten: browsers like any other, with the account's five.
    assert guesses_with(cookies[:2], teacher.username, 6) == [200] * 5 + [429]
    # Ten failures on each of the five remembered last, and then they are held too.
    assert guesses_with(cookies[2:], teacher.username, 55) == [200] * 50 + [429] * 5


# --- Passwords void remembered devices -------------------------------------------------------


def test_a_password_change_voids_every_known_device_cookie(clock, teacher):
    cookies = cookies_of(teacher, 4)
    owner = Client()
    owner.force_login(teacher)
    changed = owner.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )
    assert changed.status_code == 302
    # The old cookies are no longer known devices: only the account's five failures, then held.
    assert guesses_with(cookies, teacher.username, 20) == [200] * 5 + [429] * 15


def test_a_teachers_reset_voids_the_students_known_device_cookies(clock, teacher, student):
    from quiz.models import Classroom, Enrollment

    cookies = cookies_of(student, 2)
    classroom = Classroom.objects.create(teacher=teacher, name="Year 8")
    Enrollment.objects.create(classroom=classroom, student=student)
    teachers_browser = Client()
    teachers_browser.force_login(teacher)
    assert (
        teachers_browser.post(reverse("quiz:class_student_password", args=[classroom.pk, student.pk])).status_code
        == 200
    )
    assert guesses_with(cookies, student.username, 8) == [200] * 5 + [429] * 3


def test_the_remembered_browser_that_changes_the_password_stays_known(clock, teacher):
    laptop = Client()
    assert log_in(laptop, teacher.username, remember=True).status_code == 302
    laptop.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    laptop.post("/accounts/logout/")
    fail(Client(), teacher.username, 5, address="203.0.113.7")  # the account is held for others
    assert log_in(Client(), teacher.username, NEW, address="203.0.113.8").status_code == 429
    assert log_in(laptop, teacher.username, NEW).status_code == 302


def test_changing_the_password_does_not_remember_a_browser_that_was_not(clock, teacher):
    browser = Client()
    assert log_in(browser, teacher.username).status_code == 302
    changed = browser.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )
    assert changed.status_code == 302 and "known_device" not in changed.cookies


# --- Forged cookies, and the address ---------------------------------------------------------


def test_known_device_failures_count_against_the_address(clock, settings, teacher):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    laptop = known_browser(teacher)  # known at 192.0.2.10, taken elsewhere
    fail(laptop, teacher.username, 3, address="203.0.113.40")
    assert log_in(Client(), make_user("other").username, address="203.0.113.40").status_code == 429


@pytest.mark.parametrize("cookie", ["forged", "tampered", "expired", "other user", "from before the box"])
def test_forged_expired_or_other_users_device_cookies_give_no_exemption(clock, teacher, student, cookie):
    if cookie == "from before the box":  # every log-in issued one, shared computers too; no device id
        from accounts.login_limits import _password_digest

        value = signing.dumps({"user": teacher.pk, "password": _password_digest(teacher)}, salt="accounts.known_device")
    elif cookie == "forged":
        value = signing.dumps(
            {"user": teacher.username, "device": "x" * 22}, key="not-our-secret-key-" * 3, salt="accounts.known_device"
        )
    elif cookie == "tampered":
        value = known_browser(teacher).cookies["known_device"].value
        value = ("B" if value.startswith("A") else "A") + value[1:]
    elif cookie == "expired":
        value = known_browser(teacher).cookies["known_device"].value
        clock.shift(datetime.timedelta(days=91))
    else:
        value = known_browser(student).cookies["known_device"].value
    fail(Client(), teacher.username, 5, address="203.0.113.7")
    holder = Client()
    holder.cookies["known_device"] = value
    assert log_in(holder, teacher.username).status_code == 429
    assert not logged_in(holder, teacher)


# --- Per address, across accounts ---------------------------------------------------------------


def test_a_password_spray_from_one_address_is_stopped_but_a_classes_typos_are_not(clock):
    school = "192.0.2.10"
    pupils = [make_user(f"pupil{n:02d}") for n in range(30)]
    for _round in range(2):  # each pupil mistypes twice over the lesson...
        for pupil in pupils:
            fail(Client(), pupil.username, 1, address=school)
        clock.shift(60)
    for pupil in pupils:  # ...and then everyone gets in.
        browser = Client()
        assert log_in(browser, pupil.username, address=school).status_code == 302
        assert logged_in(browser, pupil)

    accounts = [make_user(f"target{n:03d}") for n in range(101)]
    sprayer = "198.51.100.66"
    for user in accounts[:100]:
        assert log_in(Client(), user.username, "Summer2026!", address=sprayer).status_code == 200
    # The 101st account has never failed, but this address has failed too often.
    assert log_in(Client(), accounts[100].username, address=sprayer).status_code == 429
    # Other addresses are not affected.
    assert log_in(Client(), accounts[100].username, address="198.51.100.67").status_code == 302


def test_one_pupil_failing_at_the_school_address_does_not_stop_classmates_who_log_in_there(clock, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 5
    school = "192.0.2.10"
    first, second, third = classmates = [make_user(f"pupil{n}") for n in range(3)]
    for pupil in classmates:  # last week's lesson: each logged in at school (the lab wipes its browsers)
        assert log_in(Client(), pupil.username, address=school).status_code == 302
    clock.shift(datetime.timedelta(days=7))
    for n in range(5):  # one pupil fails on made-up names until the address is held...
        fail(Client(), f"made-up-{n}", 1, address=school)
    assert log_in(Client(), "made-up-99", address=school).status_code == 429
    assert log_in(Client(), make_user("new-here").username, address=school).status_code == 429
    # ...but classmates in fresh browsers (private windows, no device cookie) still get in,
    # after a typo too, and the pupil's next guesses still wait.
    browser = Client()
    assert log_in(browser, first.username, address=school).status_code == 302 and logged_in(browser, first)
    browser = Client()
    fail(browser, second.username, 1, address=school)
    assert log_in(browser, second.username, address=school).status_code == 302 and logged_in(browser, second)
    for n in range(5, 8):
        assert log_in(Client(), f"made-up-{n}", address=school).status_code == 429
    assert log_in(Client(), third.username, address=school).status_code == 302


def test_an_account_is_known_only_at_the_address_it_logged_in_from_and_for_30_days(clock, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    school, home = "192.0.2.10", "198.51.100.20"
    pupil = make_user("pupil")
    assert log_in(Client(), pupil.username, address=school).status_code == 302
    for address in (school, home):
        for n in range(3):
            fail(Client(), f"made-up-{n}", 1, address=address)
    assert log_in(Client(), pupil.username, address=home).status_code == 429
    clock.shift(datetime.timedelta(days=31))
    for n in range(3):
        fail(Client(), f"made-up-{n}", 1, address=school)
    assert log_in(Client(), pupil.username, address=school).status_code == 429


def test_the_address_limit_passes_with_time(clock, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    users = [make_user(f"u{n}") for n in range(4)]
    for user in users[:3]:
        fail(Client(), user.username, 1, address="198.51.100.5")
    assert log_in(Client(), users[3].username, address="198.51.100.5").status_code == 429
    clock.shift(datetime.timedelta(hours=1, seconds=1))
    assert log_in(Client(), users[3].username, address="198.51.100.5").status_code == 302


def test_ipv6_clients_are_counted_per_64_network(clock, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    users = [make_user(f"u{n}") for n in range(4)]
    for n, user in enumerate(users[:3]):
        fail(Client(), user.username, 1, address=f"2001:db8:1:2::{n + 1}")
    # Another address in the same /64 is the same client; another /64 is not.
    assert log_in(Client(), users[3].username, address="2001:db8:1:2:ffff::9").status_code == 429
    assert log_in(Client(), users[3].username, address="2001:db8:1:3::1").status_code == 302


# --- Behind the trusted proxy ----------------------------------------------------------------------


def test_x_forwarded_for_is_honoured_only_from_a_trusted_proxy(clock, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    users = [make_user(f"u{n}") for n in range(5)]
    # Through the proxy: the address is the one the proxy appended, whatever the client claims.
    for n, user in enumerate(users[:3]):
        fail(Client(), user.username, 1, address="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 203.0.113.20")
    assert (
        log_in(Client(), users[3].username, address="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.20").status_code == 429
    )
    # Another client behind the same proxy is not held by that.
    assert (
        log_in(Client(), users[3].username, address="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.21").status_code == 302
    )

    # Not from the proxy: a client-sent X-Forwarded-For is ignored, so inventing addresses escapes nothing.
    for n, user in enumerate(users[:3]):
        fail(Client(), user.username, 1, address="198.51.100.9", HTTP_X_FORWARDED_FOR=f"203.0.113.{100 + n}")
    assert (
        log_in(Client(), users[4].username, address="198.51.100.9", HTTP_X_FORWARDED_FOR="203.0.113.200").status_code
        == 429
    )


def test_without_trusted_proxies_the_forwarded_header_is_ignored(clock, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    assert settings.TRUSTED_PROXIES == []
    users = [make_user(f"u{n}") for n in range(4)]
    for n, user in enumerate(users[:3]):
        fail(Client(), user.username, 1, address="127.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert (
        log_in(Client(), users[3].username, address="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.77").status_code == 429
    )
