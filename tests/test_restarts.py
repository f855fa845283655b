"""Restarts in the middle of a quiz: with every connection and cache gone, or with a real
gunicorn stopped and started, the same browser continues the same attempt where it was left."""

import http.cookiejar
import re
import sqlite3
import subprocess
import sys
import urllib.parse
import urllib.request

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.test import Client

from quiz.models import Answer
from tests.server_support import ROOT, Server, free_port, server_env
from tests.taking_support import post_answer, recorded_state, start_set


@pytest.mark.django_db(transaction=True)
def test_a_restart_in_the_middle_of_a_quiz_loses_nothing(student, four_questions):
    browser = Client()
    browser.force_login(student)
    attempt = start_set(browser, four_questions)
    for position in (1, 2):
        assert post_answer(browser, attempt, position).status_code == 302
    before = recorded_state(attempt)

    # The restart: every database connection and every cache is gone; the browser keeps its cookie.
    connections.close_all()
    cache.clear()
    after_restart = Client()
    after_restart.cookies = browser.cookies

    page = after_restart.get(f"/attempts/{attempt.pk}/")
    assert page.status_code == 200
    assert page.context["item"].position == 3
    assert recorded_state(attempt) == before
    assert before["tallies"][0] == 2
    # Starting the set again resumes the same attempt rather than making a new one.
    assert start_set(after_restart, four_questions).pk == attempt.pk
    for position in (3, 4):
        assert post_answer(after_restart, attempt, position).status_code == 302
    attempt.refresh_from_db()
    assert attempt.answered_count == 4 and attempt.is_finished
    assert Answer.objects.filter(item__attempt=attempt).count() == 4


# --- A real restart of gunicorn ------------------------------------------------------------------

PREPARE = """
import django
django.setup()
from django.contrib.auth import get_user_model
from quiz.models import Kind, Question, QuestionSet, SetItem
user = get_user_model().objects.create_user("restart-student", password="restart-pw-1934")
single = Question.objects.filter(is_retired=False, kind__in=[Kind.WHO_HELD_ROLE, Kind.WHEN, Kind.CLAIM_ASSESSMENT])
qs = QuestionSet.objects.create(title="Restart set", visibility="public", shuffle_options=False)
for position, question in enumerate(single.order_by("pk")[:4], start=1):
    SetItem.objects.create(question_set=qs, question=question, position=position)
print(qs.pk)
"""


class Browser:
    """A cookie-keeping HTTP client that posts forms with their CSRF token, as a browser does."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path):
        with self.opener.open(self.base + path, timeout=20) as response:  # nosec B310
            return response.geturl(), response.read().decode()

    def post(self, path, data):
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        with self.opener.open(request, timeout=20) as response:  # nosec B310
            return response.geturl(), response.read().decode()


def _choice_tokens(html):
    return re.findall(r'name="choice"[^>]*value="([0-9a-f]{16})"|value="([0-9a-f]{16})"[^>]*name="choice"', html)


def _answer_first_choice(browser, attempt_path):
    _, page = browser.get(attempt_path)
    action = re.search(r'action="(/attempts/\d+/items/(\d+)/answer/)"', page)
    assert action, "no answer form on the quiz page"
    tokens = [a or b for a, b in _choice_tokens(page)]
    assert tokens, "no choices on the quiz page"
    url, _ = browser.post(action.group(1), {"choice": tokens[0]})
    return int(action.group(2)), url


@pytest.mark.django_db
def test_gunicorn_restarted_mid_quiz_continues_the_same_attempt(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("runs once, in the SQLite pass (the server uses its own SQLite file)")
    env = server_env(tmp_path / "db.sqlite3")
    python = sys.executable

    def manage(*args):
        subprocess.run(
            [python, "manage.py", *args, "-v0"], cwd=ROOT, env=env, check=True, timeout=180, capture_output=True
        )

    manage("migrate", "--noinput")
    manage("load_interview")
    manage("generate_questions")
    prepared = subprocess.run(
        [python, "-c", PREPARE], cwd=ROOT, env=env, check=True, timeout=60, capture_output=True, text=True
    )
    set_id = int(prepared.stdout.strip().splitlines()[-1])

    port = free_port()
    server = Server(env, port, tmp_path / "gunicorn.log")
    try:
        server.start()
        browser = Browser(f"http://127.0.0.1:{port}")
        browser.get("/accounts/login/")
        url, _ = browser.post("/accounts/login/", {"username": "restart-student", "password": "restart-pw-1934"})
        assert "/accounts/login/" not in url, "log-in failed"
        url, _ = browser.post(f"/quizzes/{set_id}/start/", {})
        attempt_path = urllib.parse.urlparse(url).path
        attempt_id = int(re.fullmatch(r"/attempts/(\d+)/", attempt_path).group(1))
        position, _ = _answer_first_choice(browser, attempt_path)
        assert position == 1

        server.stop()
        server.start()

        # Same browser, same session cookie: the attempt resumes at question 2.
        _, page = browser.get(attempt_path)
        assert f'action="/attempts/{attempt_id}/items/2/answer/"' in page
        position, _ = _answer_first_choice(browser, attempt_path)
        assert position == 2
    finally:
        server.stop()

    db = sqlite3.connect(tmp_path / "db.sqlite3")
    try:
        answered, count = db.execute(
            "SELECT answered_count, (SELECT COUNT(*) FROM quiz_answer a JOIN quiz_attemptitem i ON a.item_id = i.id"
            " WHERE i.attempt_id = quiz_attempt.id) FROM quiz_attempt WHERE id = ?",
            (attempt_id,),
        ).fetchone()
        attempts = db.execute("SELECT COUNT(*) FROM quiz_attempt").fetchone()[0]
    finally:
        db.close()
    assert (answered, count, attempts) == (2, 2, 1)
