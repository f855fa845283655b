"""Security basics on every page type: strict CSP, no inline script, CSRF for htmx, lockout, passwords."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTR = re.compile(r"\sstyle\s*=", re.I)
STYLE_BLOCK = re.compile(r"<style[\s>]", re.I)


def assert_no_inline_code(html: str):
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html)
    assert not INLINE_HANDLER.search(html), INLINE_HANDLER.search(html)
    assert not STYLE_ATTR.search(html), STYLE_ATTR.search(html)
    assert not STYLE_BLOCK.search(html)
    assert "javascript:" not in html.lower()


PUBLIC_PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/interview/", "/figures/", "/timeline/"]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_send_a_strict_csp_and_carry_no_inline_code(client, interview, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"
    assert_no_inline_code(response.content.decode())


def test_htmx_is_configured_for_the_csp(client, interview):
    html = client.get("/").content.decode()
    assert '"allowEval": false' in html and '"includeIndicatorStyles": false' in html
    # The CSRF token travels in a header on every htmx request.
    assert re.search(r'hx-headers=\'\{"X-CSRFToken": "[^"]+"\}\'', html)


def test_post_without_csrf_token_is_rejected_and_with_the_htmx_header_accepted(student):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    assert client.post("/accounts/logout/").status_code == 403
    client.get("/")  # sets the CSRF cookie, as a page load does
    token = client.cookies["csrftoken"].value
    response = client.post("/accounts/logout/", HTTP_X_CSRFTOKEN=token, HTTP_HX_REQUEST="true")
    assert response.status_code == 302


def test_repeated_failed_logins_lock_the_account(client, student):
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": student.username, "password": "wrong"})
    response = client.post("/accounts/login/", {"username": student.username, "password": "pw-for-tests-only"})
    assert response.status_code == 429
    assert b"Too many failed log-ins" in response.content
    assert "_auth_user_id" not in client.session


def test_a_successful_login_after_few_failures_works(client, student):
    for _ in range(2):
        client.post("/accounts/login/", {"username": student.username, "password": "wrong"})
    response = client.post("/accounts/login/", {"username": student.username, "password": "pw-for-tests-only"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(student.pk)


def test_signup_enforces_password_validators(client):
    from django.contrib.auth import get_user_model

    response = client.post(
        "/accounts/signup/", {"username": "newkid", "password1": "password", "password2": "password"}
    )
    assert response.status_code == 200
    assert b"This password is too common" in response.content
    assert not get_user_model().objects.filter(username="newkid").exists()


def test_signup_creates_a_student_and_logs_in(client):
    from django.contrib.auth import get_user_model

    response = client.post(
        "/accounts/signup/",
        {"username": "newkid", "first_name": "Nino", "password1": "kirov-1934-smolny", "password2": "kirov-1934-smolny"},
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="newkid")
    assert not user.has_perm("quiz.teach") and not user.is_staff
    assert client.session["_auth_user_id"] == str(user.pk)


def test_sessions_expire(settings):
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
