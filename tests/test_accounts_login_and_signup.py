"""The log-in and sign-up pages: form-wide errors shown once as an alert, field errors beside
their fields, the form's action and `next`, the account lockout and the password validators."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.forms import SignupForm

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
SIGNUP = "/accounts/signup/"
LOGIN_ERROR = "Please enter a correct username and password"


def alerts(html):
    return re.findall(r'<div role="alert">(.*?)</div>', html, re.S)


# --- Log-in and sign-up forms -----------------------------------------------------------


def test_a_failed_login_shows_its_error_once_as_an_alert(client, student):
    response = client.post(LOGIN, {"username": student.username, "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(LOGIN_ERROR) == 1
    assert LOGIN_ERROR in "".join(alerts(html))
    # The fields are all still there.
    assert 'name="username"' in html and 'name="password"' in html


def test_a_login_field_error_stays_with_its_field(client):
    response = client.post(LOGIN, {"username": "", "password": ""})
    html = response.content.decode()
    assert html.count("This field is required.") == 2
    assert 'id="id_username_error"' in html and 'aria-describedby="id_username_error"' in html
    assert not alerts(html)


def test_the_login_form_posts_to_the_login_page_and_keeps_next(client, student):
    html = client.get(LOGIN, {"next": "/figures/"}).content.decode()
    form = re.search(r"<form [^>]*>", html).group(0)
    assert f'action="{reverse("login")}"' in form
    assert '<input type="hidden" name="next" value="/figures/">' in html
    action = re.search(r'action="([^"]*)"', form).group(1)
    response = client.post(action, {"username": student.username, "password": "pw-for-tests-only", "next": "/figures/"})
    assert response.status_code == 302 and response["Location"] == "/figures/"


def test_a_signup_form_wide_error_shows_once_as_an_alert(client, monkeypatch):
    def clean(form):
        form.add_error(None, "Sign-ups are closed for today.")

    monkeypatch.setattr(SignupForm, "clean", clean)
    response = client.post(
        SIGNUP, {"username": "newkid", "password1": "kirov-1934-smolny", "password2": "kirov-1934-smolny"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("Sign-ups are closed for today.") == 1
    assert "Sign-ups are closed for today." in "".join(alerts(html))
    for name in ["username", "first_name", "password1", "password2", "join_code"]:
        assert f'name="{name}"' in html


def test_signup_field_errors_stay_with_their_fields(client):
    response = client.post(SIGNUP, {"username": "newkid", "password1": "password", "password2": "password"})
    html = response.content.decode()
    assert html.count("This password is too common") == 1
    assert 'id="id_password2_error"' in html
    assert not alerts(html)


# --- Lockout, password validators, the new account -----------------------------------


def test_repeated_failed_logins_lock_the_account(client, student):
    for _ in range(5):
        response = client.post(LOGIN, {"username": student.username, "password": "wrong"})
    response = client.post(LOGIN, {"username": student.username, "password": "pw-for-tests-only"})
    assert response.status_code == 429
    assert b"Too many failed log-ins" in response.content
    assert "_auth_user_id" not in client.session


def test_a_successful_login_after_few_failures_works(client, student):
    for _ in range(2):
        client.post(LOGIN, {"username": student.username, "password": "wrong"})
    response = client.post(LOGIN, {"username": student.username, "password": "pw-for-tests-only"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(student.pk)


def test_signup_enforces_password_validators(client):
    response = client.post(SIGNUP, {"username": "newkid", "password1": "password", "password2": "password"})
    assert response.status_code == 200
    assert b"This password is too common" in response.content
    assert not get_user_model().objects.filter(username="newkid").exists()


def test_signup_creates_a_student_and_logs_in(client):
    response = client.post(
        SIGNUP,
        {
            "username": "newkid",
            "first_name": "Nino",
            "password1": "kirov-1934-smolny",
            "password2": "kirov-1934-smolny",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="newkid")
    assert not user.has_perm("quiz.teach") and not user.is_staff
    assert client.session["_auth_user_id"] == str(user.pk)
