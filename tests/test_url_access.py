"""Roles enforced on every URL of the project.

The test walks the whole URLconf (admin included) and requests every pattern, GET and
POST, as each role: anonymous, the student who owns the attempt, another student, the
teacher who owns the set/class/assignment/question, another teacher, and staff. The
expected result for each URL name is written down in EXPECTED (tests/url_access_rules.py); a
URL that is not in the table fails the test, so a new page cannot slip in without its access being
reviewed. Every HTML page that is served must carry the CSP header and no inline code.
"""

import re

import pytest
from django.test import Client

from tests.csp_support import assert_no_inline_code
from tests.url_access_rules import (
    ADMIN_LOGIN,
    EXPECTED,
    NO_POST,
    NOT_STAFF,
    PUBLIC_NAMES,
    REDIRECT,
    describe,
    matches,
    spec_for,
    url_for,
)
from tests.url_walk import all_routes, is_html, request_and_roll_back
from tests.world import ROLES, build_world

pytestmark = pytest.mark.django_db

# --- The table covers the URLconf, and says what the rules say ------------------------------


def test_every_url_in_the_project_has_reviewed_access_rules():
    routes = all_routes()
    missing = [r.name for r in routes if spec_for(r) is None]
    assert not missing, f"URL names with no entry in EXPECTED (review their access, then add them): {missing}"
    names = {r.name for r in routes}
    stale = sorted(set(EXPECTED) - names)
    assert not stale, f"EXPECTED names URLs that no longer exist: {stale}"


def test_the_table_keeps_anonymous_visitors_and_students_out():
    for route in all_routes():
        spec = spec_for(route)
        if spec.get["anon"] == 200:
            assert route.name in PUBLIC_NAMES or route.name == "admin:login", route.name
        if route.route.startswith("teach/"):
            for role in ("student", "other_student"):
                assert spec.get[role] in (403, 404), (route.name, role)
                assert spec.post in (NO_POST,) or spec.post[role] in (403, 404), (route.name, role)
        if route.name.startswith("admin:") and route.name != "admin:login":
            assert all(spec.get[role] in (ADMIN_LOGIN, REDIRECT) for role in NOT_STAFF), route.name


# --- Every URL, every role ----------------------------------------------------------------------


@pytest.fixture
def world():
    return build_world()


def _client_for(world, role):
    client = Client()
    if role != "anon":
        client.force_login(world.users[role])
    return client


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_the_table_says(world, role):
    client = _client_for(world, role)
    failures, checked_pages = [], 0
    for route in all_routes():
        spec = spec_for(route)
        url = url_for(route, world)
        for method, expected in (("GET", spec.get), ("POST", spec.post)):
            if expected is NO_POST:
                continue
            response = request_and_roll_back(client, method, url)
            wanted = expected[role]
            if not matches(wanted, response):
                failures.append(f"{method} {url} ({route.name}): expected {wanted}, got {describe(response)}")
                continue
            if method == "GET" and response.status_code == 200 and is_html(response):
                checked_pages += 1
                if "Content-Security-Policy" not in response:
                    failures.append(f"GET {url}: no Content-Security-Policy header")
                html = response.content.decode()
                try:
                    assert_no_inline_code(html)
                except AssertionError as exc:
                    failures.append(f"GET {url}: inline code {exc}")
                # A template comment or tag the engine did not take (say, a {# #} over two lines).
                leaked = re.search(r"\{[#%{]|[#%]\}", html)
                if leaked:
                    failures.append(
                        f"GET {url}: template syntax in the page: {html[leaked.start() - 40 : leaked.end() + 40]!r}"
                    )
    assert not failures, f"{len(failures)} problem(s) as {role}:\n" + "\n".join(failures)
    assert checked_pages >= 5  # the walk really served pages to this role


def test_logged_in_admin_login_page_tells_non_staff_they_are_not_authorised(world):
    # The admin log-in page is the only admin page a non-staff user sees; it must not let them in.
    client = _client_for(world, "teacher")
    response = client.get("/admin/")
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert re.search(r"not authori[sz]ed", page.content.decode())
