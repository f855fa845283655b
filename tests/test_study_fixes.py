"""Fixes from a hands-on review: the interview's source line, the log-in and sign-up forms'
errors and action, and the order of figure-search results."""

import re
from html import unescape

import pytest
from django.urls import reverse

from history.loading import FIXTURE_PATH
from accounts.forms import SignupForm
from tests.test_study_pages import names_found

pytestmark = pytest.mark.django_db

READER = "/interview/"
LOGIN = "/accounts/login/"
SIGNUP = "/accounts/signup/"
LOGIN_ERROR = "Please enter a correct username and password"

needs_content = pytest.mark.skipif(not FIXTURE_PATH.exists(), reason="the curated content fixture is not there yet")


def source_line(response):
    html = response.content.decode()
    match = re.search(r'<p class="source-meta">(.*?)</p>', html, re.S)
    assert match, "no source line"
    return match.group(1)


def text_of(fragment):
    return " ".join(unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def alerts(html):
    return re.findall(r'<div role="alert">(.*?)</div>', html, re.S)


# --- The interview's source line --------------------------------------------------------


@needs_content
def test_source_line_says_what_the_text_does_not_name(client, interview):
    line = source_line(client.get(READER))
    assert text_of(line) == (
        "Interview with Simon Maskharashvili. The interviewer is not named in the text "
        "(their turns are credited to “GJ”); the publication is not identified."
    )
    # Nothing but a real title is set as one.
    assert "<cite>" not in line


@needs_content
@pytest.mark.parametrize(
    "interviewer, publication, expected",
    [
        ("Nino Gelashvili", "Georgian Journal", "Interview with Simon Maskharashvili, by Nino Gelashvili, Georgian Journal."),
        (
            "",
            "Georgian Journal",
            "Interview with Simon Maskharashvili, Georgian Journal. The interviewer is not named in the text "
            "(their turns are credited to “GJ”).",
        ),
        ("Nino Gelashvili", "", "Interview with Simon Maskharashvili, by Nino Gelashvili. The publication is not identified."),
    ],
)
def test_source_line_names_whatever_is_known(client, interview, interviewer, publication, expected):
    interview.interviewer, interview.publication = interviewer, publication
    interview.save()
    line = source_line(client.get(READER))
    assert text_of(line) == expected
    assert ("<cite>Georgian Journal</cite>" in line) == bool(publication)


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
    response = client.post(SIGNUP, {"username": "newkid", "password1": "kirov-1934-smolny", "password2": "kirov-1934-smolny"})
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


# --- Figure search ----------------------------------------------------------------------


@needs_content
def test_an_exact_spelling_is_listed_before_a_name_that_only_contains_it(client, interview):
    # Kirov was born Kostrikov, which contains "rikov"; Rikov is Rykov's own spelling.
    assert names_found(client, "Rikov") == ["rykov", "kirov"]
    assert names_found(client, "rikov", HTTP_HX_REQUEST="true") == ["rykov", "kirov"]


@needs_content
def test_search_ranks_whole_words_before_the_starts_of_words(client, interview):
    # Bukharin and Yezhov are called Nikolai; Nikolaev and Tukhachevsky (Nikolayevich) only
    # begin a word with it. Within each group the usual alphabetical order stands.
    assert names_found(client, "Nikolai") == ["bukharin", "yezhov", "nikolaev", "tukhachevsky"]
