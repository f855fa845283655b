"""Passwords: changing one's own, resetting a forgotten one by e-mail, and a teacher resetting
the password of a student in their class (younger students often have no e-mail)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.test import Client
from django.urls import reverse

from quiz.models import Classroom, Enrollment
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-only"
NEW = "smolny-corridor-1934"


def log_in(client, username, password=PASSWORD, address="198.51.100.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def hold_the_account(username):
    for _ in range(5):
        log_in(Client(), username, "wrong-password", address="203.0.113.66")
    assert log_in(Client(), username, "wrong-password", address="203.0.113.67").status_code == 429


# --- Links ------------------------------------------------------------------------------------


def test_the_navigation_links_to_the_account_page_and_the_login_page_to_a_reset(client, student):
    login_page = client.get("/accounts/login/").content.decode()
    assert f'href="{reverse("password_reset")}"' in login_page and "Forgotten your password?" in login_page
    client.force_login(student)
    home = client.get("/").content.decode()
    assert f'<a href="{reverse("password_change")}">Account</a>' in home


# --- Changing one's own ------------------------------------------------------------------------


def test_a_student_changes_their_password(client, student):
    client.force_login(student)
    page = client.get(reverse("password_change"))
    assert page.status_code == 200
    html = page.content.decode()
    for label in ("Old password", "New password", "New password confirmation"):
        assert re.search(rf"<label for=\"id_\w+\">{label}:?</label>", html), label
    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )
    assert response["Location"] == reverse("password_change_done")
    assert "Your password has been changed" in client.get(response["Location"]).content.decode()
    assert log_in(Client(), student.username, NEW).status_code == 302
    assert log_in(Client(), student.username, PASSWORD).status_code == 200


def test_a_wrong_old_password_or_a_weak_new_one_changes_nothing(client, student):
    client.force_login(student)
    wrong = client.post(
        reverse("password_change"), {"old_password": "nope", "new_password1": NEW, "new_password2": NEW}
    )
    weak = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": "password", "new_password2": "password"}
    )
    assert wrong.status_code == weak.status_code == 200
    assert "Your old password was entered incorrectly" in wrong.content.decode()
    assert "This password is too common" in weak.content.decode()
    student.refresh_from_db()
    assert student.check_password(PASSWORD)


def test_changing_needs_a_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- Resetting a forgotten one -------------------------------------------------------------------


def reset_link(mail):
    match = re.search(r"https?://testserver(/accounts/password/reset/\S+/)", mail.body)
    assert match, mail.body
    return match.group(1)


def test_a_forgotten_password_is_reset_through_the_e_mailed_link(client, student, mailoutbox):
    student.email = "nino@example.org"
    student.save()
    page = client.get(reverse("password_reset")).content.decode()
    assert '<label for="id_email">E-mail address:</label>' in page
    response = client.post(reverse("password_reset"), {"email": "Nino@Example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["nino@example.org"]
    assert student.username in mailoutbox[0].body

    link = client.get(reset_link(mailoutbox[0]))  # Django swaps the token into the session
    assert link.status_code == 302
    form = client.get(link["Location"])
    assert "New password" in form.content.decode()
    done = client.post(link["Location"], {"new_password1": NEW, "new_password2": NEW})
    assert done["Location"] == reverse("password_reset_complete")
    assert "log in" in client.get(done["Location"]).content.decode().lower()
    assert log_in(Client(), student.username, NEW).status_code == 302
    # The link works once.
    again = client.get(reset_link(mailoutbox[0]), follow=True)
    assert "no longer valid" in again.content.decode()


def test_the_reset_form_does_not_tell_whether_an_address_is_registered(client, student, mailoutbox):
    student.email = "nino@example.org"
    student.save()
    known = client.post(reverse("password_reset"), {"email": "nino@example.org"}, follow=True)
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain == [(reverse("password_reset_done"), 302)]
    strip = lambda html: re.sub(r'"X-CSRFToken": "[^"]+"', "", html)  # noqa: E731
    assert strip(known.content.decode()) == strip(unknown.content.decode())
    assert len(mailoutbox) == 1


def test_a_reset_clears_the_accounts_failed_log_ins(client, student, mailoutbox):
    student.email = "nino@example.org"
    student.save()
    hold_the_account(student.username)
    client.post(reverse("password_reset"), {"email": "nino@example.org"})
    link = client.get(reset_link(mailoutbox[0]))
    client.post(link["Location"], {"new_password1": NEW, "new_password2": NEW})
    assert log_in(Client(), student.username, NEW, address="203.0.113.68").status_code == 302


def test_reset_requests_are_throttled_per_client(client, mailoutbox):
    for n in range(20):
        assert (
            client.post(
                reverse("password_reset"), {"email": f"kid{n}@example.org"}, REMOTE_ADDR="198.51.100.8"
            ).status_code
            == 302
        )
    held = client.post(reverse("password_reset"), {"email": "kid99@example.org"}, REMOTE_ADDR="198.51.100.8")
    assert held.status_code == 429
    assert "Too many password-reset requests" in held.content.decode() and "Wait 1 minute" in held.content.decode()
    assert "Retry-After" in held
    assert (
        client.post(reverse("password_reset"), {"email": "kid99@example.org"}, REMOTE_ADDR="198.51.100.9").status_code
        == 302
    )


def test_one_address_gets_a_few_reset_e_mails_at_most(client, student, mailoutbox):
    student.email = "nino@example.org"
    student.save()
    for n in range(3):
        client.post(reverse("password_reset"), {"email": "nino@example.org"}, REMOTE_ADDR=f"198.51.100.{n + 1}")
    held = client.post(reverse("password_reset"), {"email": "nino@example.org"}, REMOTE_ADDR="198.51.100.50")
    assert held.status_code == 429 and len(mailoutbox) == 3


def test_sign_up_takes_an_optional_e_mail_for_resets(client):
    page = client.get(reverse("signup")).content.decode()
    assert '<label for="id_email">E-mail (optional):</label>' in page
    assert "only to reset your password if you forget it" in page
    client.post(
        reverse("signup"),
        {"username": "nino", "email": "nino@example.org", "password1": NEW, "password2": NEW},
    )
    assert get_user_model().objects.get(username="nino").email == "nino@example.org"


def test_the_e_mail_settings_come_from_the_environment():
    import json
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "from django.core.mail import mailers; "
        "print(json.dumps([s.MAILERS['default'], s.DEFAULT_FROM_EMAIL, type(mailers.default).__module__]))"
    )
    env = {"DJANGO_SETTINGS_MODULE": "config.settings", "PATH": ""}

    def run(extra):
        return json.loads(
            subprocess.run(
                [sys.executable, "-W", "error::DeprecationWarning", "-c", code],
                env={**env, **extra},
                capture_output=True,
                text=True,
                cwd=Path(__file__).resolve().parent.parent,
                check=True,
            ).stdout
        )

    assert run({})[2] == "django.core.mail.backends.console"
    mailer, sender, backend = run(
        {
            "EMAIL_HOST": "smtp.example.org",
            "EMAIL_PORT": "587",
            "EMAIL_USE_TLS": "1",
            "EMAIL_HOST_USER": "quiz",
            "EMAIL_HOST_PASSWORD": "secret",
            "DEFAULT_FROM_EMAIL": "quiz@example.org",
        }
    )
    assert backend == "django.core.mail.backends.smtp" and sender == "quiz@example.org"
    # In production without EMAIL_HOST, a local mail server rather than the console.
    production = run({"PRODUCTION": "1", "SECRET_KEY": "k" * 50})
    assert production[2] == "django.core.mail.backends.smtp" and production[0]["OPTIONS"]["host"] == "localhost"
    assert mailer["OPTIONS"] == {
        "host": "smtp.example.org",
        "port": 587,
        "username": "quiz",
        "password": "secret",
        "use_tls": True,
        "use_ssl": False,
        "timeout": 10,
    }


# --- A teacher resets a student's password ------------------------------------------------------------


@pytest.fixture
def classroom(teacher, student):
    classroom = Classroom.objects.create(teacher=teacher, name="Year 8")
    Enrollment.objects.create(classroom=classroom, student=student)
    return classroom


def reset_url(classroom, user):
    return reverse("quiz:class_student_password", args=[classroom.pk, user.pk])


def test_the_student_page_offers_a_password_reset_that_asks_first(teacher_client, classroom, student):
    page = teacher_client.get(reverse("quiz:class_student", args=[classroom.pk, student.pk])).content.decode()
    assert f'href="{reset_url(classroom, student)}"' in page
    confirm = teacher_client.get(reset_url(classroom, student))
    html = confirm.content.decode()
    assert confirm.status_code == 200 and "Stu" in html and 'method="post"' in html
    student.refresh_from_db()
    assert student.check_password(PASSWORD), "asking is not doing"


def test_a_teacher_resets_a_students_password_and_sees_it_once(teacher_client, classroom, student):
    students_phone = Client()
    students_phone.force_login(student)
    response = teacher_client.post(reset_url(classroom, student))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    new = re.search(r'<output[^>]*class="new-password"[^>]*>([^<]+)</output>', response.content.decode()).group(1)
    validate_password(new, student)  # passes every validator
    assert re.fullmatch(r"[a-z]+-[a-z]+-[a-z]+-\d{2}", new), "readable: words and digits"
    assert log_in(Client(), student.username, new).status_code == 302
    assert log_in(Client(), student.username, PASSWORD).status_code == 200
    # The student's existing sessions are over.
    assert students_phone.get(reverse("quiz:progress"))["Location"].startswith(reverse("login"))
    # Each reset makes a different password; none is shown anywhere afterwards.
    again = teacher_client.post(reset_url(classroom, student)).content.decode()
    assert new not in again
    assert (
        new not in teacher_client.get(reverse("quiz:class_student", args=[classroom.pk, student.pk])).content.decode()
    )


def test_a_teachers_reset_clears_the_accounts_failed_log_ins(teacher_client, classroom, student):
    hold_the_account(student.username)
    html = teacher_client.post(reset_url(classroom, student)).content.decode()
    new = re.search(r'class="new-password"[^>]*>([^<]+)<', html).group(1)
    assert log_in(Client(), student.username, new, address="203.0.113.68").status_code == 302


def test_a_teacher_cannot_reset_a_student_outside_their_classes(teacher_client, teacher, other_teacher, classroom):
    stranger = make_user("stranger")
    theirs = Classroom.objects.create(teacher=other_teacher, name="Theirs")
    Enrollment.objects.create(classroom=theirs, student=stranger)
    for url in (reset_url(classroom, stranger), reset_url(theirs, stranger)):
        assert teacher_client.get(url).status_code == 404
        assert teacher_client.post(url).status_code == 404
    stranger.refresh_from_db()
    assert stranger.check_password(PASSWORD)


def assert_reset_refused(teacher_client, classroom, account):
    """`account` joins the class; its page offers no reset, and a reset posted anyway is refused."""
    Enrollment.objects.create(classroom=classroom, student=account)
    page = teacher_client.get(reverse("quiz:class_student", args=[classroom.pk, account.pk])).content.decode()
    assert reset_url(classroom, account) not in page
    response = teacher_client.post(reset_url(classroom, account))
    assert response.status_code == 403
    assert "cannot reset" in response.content.decode()
    account.refresh_from_db()
    assert account.check_password(PASSWORD)


@pytest.mark.parametrize("kind", ["staff", "superuser", "teacher"])
def test_a_teacher_cannot_reset_staff_superusers_or_teachers_in_their_class(teacher_client, classroom, kind):
    account = make_user(f"joined-{kind}", teacher=kind == "teacher")
    if kind == "staff":
        account.is_staff = True
    if kind == "superuser":
        account.is_superuser = True
    account.save()
    assert_reset_refused(teacher_client, classroom, account)


@pytest.mark.parametrize("kind", ["deactivated teacher", "deactivated teacher by permission", "deactivated student"])
def test_a_teacher_cannot_reset_a_deactivated_account_in_their_class(teacher_client, classroom, kind):
    from django.contrib.auth.models import Permission

    account = make_user(f"joined-{kind.split()[-1]}-{len(kind)}", teacher=kind == "deactivated teacher")
    if kind == "deactivated teacher by permission":
        account.user_permissions.add(Permission.objects.get(content_type__app_label="quiz", codename="teach"))
    account.is_active = False
    account.save()
    assert_reset_refused(teacher_client, classroom, account)


def test_students_cannot_reset_anyones_password(student_client, classroom, student):
    assert student_client.post(reset_url(classroom, student)).status_code == 403
