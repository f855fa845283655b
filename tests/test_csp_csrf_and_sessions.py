"""The strict Content Security Policy on every public page (no inline script, handler or style),
htmx configured to work under it, CSRF on htmx posts, and sessions that expire."""

import re

import pytest
from django.test import Client

from tests.csp_support import assert_no_inline_code

pytestmark = pytest.mark.django_db

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


def test_sessions_expire(settings):
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
