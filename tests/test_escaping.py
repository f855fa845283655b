"""Text written by teachers, students and admins is escaped wherever it is shown.

Every authored field of the world (set title and description, a teacher's question prompt,
option and explanation, a class name, a student's first name, a claim's note and
reference, a figure's bio, an event's description) holds an XSS payload. Every page of
the URLconf that each role can open, full page and htmx fragment, must show the payload
as text and never as a live tag; and each field must be found, escaped, on some page (so
the test looks where the text really is). A browser then checks that such a payload in a
question does not run.
"""

import re

import pytest
from django.test import Client

from quiz.models import Attempt
from tests import factories as f
from tests.taking_support import HTMX, answer_data, answer_url
from tests.url_access_rules import spec_for, url_for
from tests.url_walk import all_routes, is_html, request_and_roll_back
from tests.world import build_world

FIELDS = [
    "set_title",
    "set_description",
    "question_prompt",
    "option",
    "question_explanation",
    "class_name",
    "first_name",
    "claim_note",
    "claim_reference",
    "figure_bio",
    "event_description",
]


def payload(field):
    # Under 120 characters, the shortest limit of these fields (a class name).
    return f'{field}<script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">{field}-a</a>'


def escaped(field):
    return f"{field}&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


LIVE = [
    re.compile(r"<script>alert", re.I),
    re.compile(r"<img[^>]*onerror", re.I),
    re.compile(r"<a\b[^>]*href\s*=\s*[\"']?\s*javascript:", re.I),
]


def live_payloads(html):
    return [m.group(0) for pattern in LIVE for m in [pattern.search(html)] if m]


def gift_html_parts(text):
    """The parts of a GIFT file Moodle renders as HTML: not comments, categories or ::names::
    (Moodle shows those as plain text)."""
    kept = []
    for line in text.splitlines():
        if line.startswith(("//", "$CATEGORY:")):
            continue
        kept.append(re.sub(r"^::(?:\\.|[^\\])*?::", "", line))
    return "\n".join(kept)


@pytest.fixture
def world(db):
    return build_world(text=payload)


def _client(world, role):
    client = Client()
    client.force_login(world.users[role])
    return client


def pages_shown_to(world, role):
    """(label, response, url) for every page `role` may GET, plain and as htmx, that is HTML or an export."""
    client = _client(world, role)
    for route in all_routes():
        if spec_for(route).get[role] != 200:
            continue
        url = url_for(route, world)
        variants = [{}] if route.name.startswith("admin:") else [{}, HTMX]
        for extra in variants:
            response = request_and_roll_back(client, "GET", url, **extra)
            if response.status_code == 200 and (is_html(response) or url.endswith((".csv", "gift", "xml"))):
                yield f"{role} GET {url}{' (htmx)' if extra else ''}", response, url


def live_payloads_in(response, url):
    """The payloads left live in a page or a GIFT/XML export (a CSV is not markup)."""
    if not (is_html(response) or url.endswith(("gift", "xml"))):
        return []
    html = response.content.decode()
    # Moodle shows exported question text as HTML, so exports must carry it escaped too.
    return live_payloads(gift_html_parts(html) if url.endswith("gift") else html)


@pytest.mark.django_db
def test_authored_text_is_escaped_on_every_page_that_shows_it(world):
    found, problems, pages = set(), [], 0
    for role in ("student", "teacher", "staff"):
        for label, response, url in pages_shown_to(world, role):
            pages += 1
            if live := live_payloads_in(response, url):
                problems.append(f"{label}: live {live}")
            html = response.content.decode()
            found.update(field for field in FIELDS if escaped(field) in html)
    assert not problems, "\n".join(problems)
    assert pages > 40
    assert found == set(FIELDS), f"never shown (escaped) anywhere: {sorted(set(FIELDS) - found)}"


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_feedback_after_answering_a_teachers_question_escapes_it(world, htmx):
    client = _client(world, "student")
    attempt = world.attempt
    item = attempt.items.select_related("question").get(question=world.authored)
    response = client.post(answer_url(attempt, item.position), answer_data(item), **(HTMX if htmx else {}))
    if not htmx:
        assert response.status_code == 302
        response = client.get(response["Location"])
    html = response.content.decode()
    assert response.status_code == 200
    assert not live_payloads(html)
    for field in ("question_prompt", "option", "question_explanation"):
        assert escaped(field) in html, field
    # Finishing the quiz: the summary lists the questions, the set and the explanation again.
    summary = client.get(f"/attempts/{attempt.pk}/summary/")
    assert summary.status_code == 200
    assert not live_payloads(summary.content.decode())
    assert escaped("question_prompt") in summary.content.decode()


@pytest.mark.django_db
def test_the_set_editors_htmx_fragments_escape_question_text(world):
    client = _client(world, "teacher")
    set_url = f"/teach/sets/{world.question_set.pk}"
    for action, data in (
        ("move", {"question": world.authored.pk, "direction": "up"}),
        ("remove", {"question": world.authored.pk}),
        ("add", {"question": world.authored.pk}),
    ):
        response = client.post(f"{set_url}/{action}/", data, **HTMX)
        assert response.status_code == 200, (action, response.content[:300])
        html = response.content.decode()
        assert not live_payloads(html), action
        assert escaped("question_prompt") in html, action


@pytest.mark.django_db
def test_a_join_code_form_names_the_class_escaped(world):
    client = _client(world, "other_student")
    response = client.get(f"/classes/join/?code={world.classroom.join_code}")
    assert response.status_code == 200
    html = response.content.decode()
    assert not live_payloads(html)
    assert escaped("class_name") in html


# --- In a real browser ---------------------------------------------------------------------------

BROWSER_PAYLOAD = (
    "Who led Leningrad? <script>window.__xss = 'script'</script>"
    "<img src=x onerror=\"window.__xss = 'img'\"><svg onload=\"window.__xss = 'svg'\"></svg>"
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_payload_in_a_question_does_not_run_in_the_browser(page, login, student):
    question = f.single_choice(
        BROWSER_PAYLOAD,
        choices=("Kirov <img src=x onerror=\"window.__xss = 'option'\">", "Yagoda", "Yezhov"),
        explanation="Because <script>window.__xss = 'explanation'</script> he did.",
    )
    question_set = f.question_set(None, [question], title="<script>window.__xss = 'title'</script>Escapes")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    login(page, student)
    page.goto("/quizzes/")
    page.get_by_role("button", name=re.compile("Start")).first.click()
    page.wait_for_url(re.compile(r"/attempts/\d+/$"))
    assert Attempt.objects.filter(student=student, question_set=question_set).exists()
    # The payload is there, as text.
    prompt = page.locator(".question-prompt").first
    assert "<script>window.__xss = 'script'</script>" in prompt.inner_text()
    assert page.locator(".question-prompt img, .question-prompt svg, .question-prompt script").count() == 0

    page.locator("input[name=choice]").first.check()
    page.locator("form.question-form button[type=submit]").click()
    page.locator("#feedback-heading").wait_for()
    assert "<script>window.__xss = 'explanation'</script>" in page.locator("#quiz-stage").inner_text()

    assert page.evaluate("window.__xss") is None
    assert dialogs == []
    assert page.js_errors == []
