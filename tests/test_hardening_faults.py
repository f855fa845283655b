"""Faults: a database error while an answer is saved, restarts in the middle of a quiz, and
the Redis cache going away.

A failed save rolls back whole (answer, attempt tallies, review card and log) and tells
the student to try again; a restarted server (closed connections, empty caches, or a real
gunicorn stopped and started) continues the same attempt where it was left.
"""

import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import DatabaseError, OperationalError, connection, connections
from django.test import Client

from quiz.models import Answer, Attempt, AttemptItem, ReviewCard, ReviewLog
from tests import factories as f
from tests.taking_support import HTMX, answer_data, answer_url

ROOT = Path(__file__).resolve().parent.parent
RETRY_TEXT = "Your answer was not saved"


@pytest.fixture
def four_questions():
    return f.question_set(
        None,
        [f.single_choice(), f.ordering(), f.matching(), f.cloze()],
        title="Four questions",
        shuffle_options=True,
    )


def start(client, question_set):
    response = client.post(f"/quizzes/{question_set.pk}/start/")
    assert response.status_code == 302, response
    return Attempt.objects.get(pk=int(response["Location"].strip("/").split("/")[-1]))


def item(attempt, position):
    return AttemptItem.objects.select_related("question").get(attempt=attempt, position=position)


def answer(client, attempt, position, **extra):
    return client.post(answer_url(attempt, position), answer_data(item(attempt, position)), **extra)


def recorded_state(attempt):
    """Everything an answer writes, to compare before and after a failed save."""
    attempt = Attempt.objects.get(pk=attempt.pk)
    cards = list(ReviewCard.objects.filter(student_id=attempt.student_id).order_by("pk").values())
    return {
        "answers": list(Answer.objects.filter(item__attempt=attempt).order_by("pk").values_list("pk", "item_id")),
        "tallies": (attempt.answered_count, attempt.correct_count, attempt.score, attempt.finished_at),
        "cards": cards,
        "logs": ReviewLog.objects.filter(card__student_id=attempt.student_id).count(),
    }


def _raise(*args, **kwargs):
    raise OperationalError("simulated: the database went away mid-save")


# The failure strikes at the first write, in the middle, and at the very last write of the answer.
FAILURE_POINTS = {
    "answer insert": ("quiz.models.Answer.save", _raise),
    "review scheduling": ("quiz.scoring.record_review", _raise),
    "review log insert": ("quiz.models.ReviewLog.save", _raise),
}


@pytest.mark.django_db
@pytest.mark.parametrize("point", FAILURE_POINTS)
@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_a_database_error_while_saving_an_answer_records_nothing_and_the_retry_works(
    student_client, four_questions, monkeypatch, caplog, point, htmx
):
    attempt = start(student_client, four_questions)
    # Question 1 answered normally, so the student already has a review card to protect.
    assert answer(student_client, attempt, 1).status_code == 302
    before = recorded_state(attempt)
    assert len(before["cards"]) == 1 and before["logs"] == 1

    target, replacement = FAILURE_POINTS[point]
    monkeypatch.setattr(target, replacement)
    extra = HTMX if htmx else {}
    response = answer(student_client, attempt, 2, **extra)

    assert response.status_code == 503
    page = response.content.decode()
    assert RETRY_TEXT in page and "try again" in page
    if htmx:
        # Only the message is swapped in, above the answer form the student still has.
        assert response["HX-Retarget"] == "#answer-error"
        assert "<html" not in page
    else:
        # The whole question again, with its form, ready to resubmit.
        assert f'action="{answer_url(attempt, 2)}"' in page
    assert recorded_state(attempt) == before, "a failed save left part of the answer behind"
    assert any("Recording an answer failed" in r.getMessage() for r in caplog.records)

    monkeypatch.undo()
    retry = answer(student_client, attempt, 2, **extra)
    assert retry.status_code == (200 if htmx else 302)
    after = recorded_state(attempt)
    assert len(after["answers"]) == 2
    assert after["tallies"][0] == 2
    assert after["logs"] == 2 and len(after["cards"]) == 2


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
@pytest.mark.parametrize("down_from", ["the first query (session, user)", "the item's lookup"])
def test_a_database_failure_before_the_answer_is_saved_is_the_retry_message(
    student_client, four_questions, monkeypatch, htmx, down_from
):
    # Every query fails from `down_from` on, rendering the response included: the page must
    # not need the database to say that nothing was saved.
    attempt = start(student_client, four_questions)
    data = answer_data(item(attempt, 1))
    before = recorded_state(attempt)
    student_client.raise_request_exception = False

    def refuse(execute, sql, params, many, context):
        raise OperationalError("simulated: the database is down")

    if down_from == "the item's lookup":
        import quiz.attempts

        real = quiz.attempts.answerable_item

        def lookup_with_the_database_down(*args, **kwargs):
            with connection.execute_wrapper(refuse):
                return real(*args, **kwargs)

        monkeypatch.setattr("quiz.attempts.answerable_item", lookup_with_the_database_down)
        response = student_client.post(answer_url(attempt, 1), data, **(HTMX if htmx else {}))
    else:
        with connection.execute_wrapper(refuse):
            response = student_client.post(answer_url(attempt, 1), data, **(HTMX if htmx else {}))

    assert response.status_code == 503
    page = response.content.decode()
    assert RETRY_TEXT in page
    if htmx:
        assert response["HX-Retarget"] == "#answer-error" and "<html" not in page
    else:
        assert "<html" in page and f'href="/attempts/{attempt.pk}/"' in page
    monkeypatch.undo()
    assert recorded_state(attempt) == before
    assert student_client.post(answer_url(attempt, 1), data).status_code == 302  # the retry is saved


@pytest.mark.django_db
def test_a_database_error_on_the_quiz_page_is_not_a_retry_message(student_client, four_questions, monkeypatch):
    # Only answer saving is caught: other failures still reach the 500 page (and the logs).
    attempt = start(student_client, four_questions)
    monkeypatch.setattr("quiz.attempts.next_item", _raise)
    student_client.raise_request_exception = False
    response = student_client.get(f"/attempts/{attempt.pk}/")
    assert response.status_code == 500
    assert RETRY_TEXT not in response.content.decode()


@pytest.mark.django_db
def test_a_lost_connection_while_saving_is_a_retry_message_too(student_client, four_questions, monkeypatch):
    # A connection the server dropped surfaces as InterfaceError, which is not a DatabaseError.
    from django.db import InterfaceError

    attempt = start(student_client, four_questions)
    before = recorded_state(attempt)

    def lost(*args, **kwargs):
        raise InterfaceError("simulated: connection already closed")

    monkeypatch.setattr("quiz.models.Answer.save", lost)
    response = answer(student_client, attempt, 1, **HTMX)
    assert response.status_code == 503
    assert RETRY_TEXT in response.content.decode()
    assert recorded_state(attempt) == before


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_the_browser_the_retry_message_appears_above_the_form_and_the_retry_saves(page, login, student, monkeypatch):
    f.question_set(None, [f.single_choice("Who led the Leningrad party?")], title="One question")
    login(page, student)
    page.goto("/quizzes/")
    page.get_by_role("button", name=re.compile("Start")).first.click()
    page.wait_for_url(re.compile(r"/attempts/\d+/$"))
    # The live server runs in this process, so the patch reaches it.
    monkeypatch.setattr("quiz.scoring.record_review", _raise)
    page.locator("input[name=choice]").first.check()
    page.locator("form.question-form button[type=submit]").click()
    page.locator("#answer-error").get_by_text(RETRY_TEXT).wait_for()
    assert page.locator("form.question-form").count() == 1  # the form is still there, answer kept
    assert Answer.objects.count() == 0

    monkeypatch.undo()
    page.locator("form.question-form button[type=submit]").click()
    page.locator("#feedback-heading").wait_for()
    assert Answer.objects.count() == 1


# --- Redis down ------------------------------------------------------------------------------

# Nothing listens on port 1: every Redis call fails at once with a refused connection.
DOWN_REDIS = {
    "default": {
        "BACKEND": "config.cache.TolerantRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


@pytest.mark.django_db
def test_with_redis_down_students_sign_in_answer_and_sign_out(settings, student, four_questions, caplog):
    settings.CACHES = DOWN_REDIS
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client = Client()
    response = client.post("/accounts/login/", {"username": student.username, "password": "pw-for-tests-only"})
    assert response.status_code == 302
    cookie = client.cookies["sessionid"].value
    attempt = start(client, four_questions)
    assert answer(client, attempt, 1, **HTMX).status_code == 200
    assert Answer.objects.filter(item__attempt=attempt).count() == 1
    assert client.get("/progress/").status_code == 200
    # Logging out still ends the session (its database row is the one that counts).
    client.post("/accounts/logout/")
    client.cookies["sessionid"] = cookie
    assert client.get("/quizzes/")["Location"].startswith("/accounts/login/")
    assert "cache unavailable" in caplog.text


def test_with_redis_down_the_cache_reads_as_empty(settings):
    settings.CACHES = DOWN_REDIS
    cache.set("k", 1)
    assert cache.get("k") is None and cache.get("k", "fallback") == "fallback"
    assert cache.get("k", default=3) == 3
    assert cache.get_or_set("k", 5) == 5
    assert not cache.add("k", 1) and not cache.has_key("k") and not cache.delete("k")
    assert cache.get_many(["k"]) == {}
    assert cache.set_many({"k": 1}) == []


# --- Restarts --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_restart_in_the_middle_of_a_quiz_loses_nothing(student, four_questions):
    browser = Client()
    browser.force_login(student)
    attempt = start(browser, four_questions)
    for position in (1, 2):
        assert answer(browser, attempt, position).status_code == 302
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
    assert start(after_restart, four_questions).pk == attempt.pk
    for position in (3, 4):
        assert answer(after_restart, attempt, position).status_code == 302
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


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with the project's config, one worker (unless told), on a free loopback port."""

    def __init__(self, env, port, log_path, workers=1):
        self.env, self.port, self.log_path, self.process = env, port, log_path, None
        self.workers = workers

    def log_tail(self):
        return self.log_path.read_text(errors="replace")[-3000:]

    def start(self):
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [str(Path(sys.executable).with_name("gunicorn")), "-c", "config/gunicorn.conf.py", "config.wsgi"],
                cwd=ROOT,
                env={**self.env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": str(self.workers)},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"gunicorn exited:\n{self.log_tail()}"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as r:  # nosec B310
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"gunicorn did not become healthy within 60 s:\n{self.log_tail()}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


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
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "DJANGO_ALLOW")) and key != "TEST_DATABASE_NAME"
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONPATH=str(ROOT),
    )
    python = sys.executable

    def manage(*args):
        subprocess.run([python, "manage.py", *args, "-v0"], cwd=ROOT, env=env, check=True, timeout=180, capture_output=True)

    manage("migrate", "--noinput")
    manage("load_interview")
    manage("generate_questions")
    prepared = subprocess.run(
        [python, "-c", PREPARE], cwd=ROOT, env=env, check=True, timeout=60, capture_output=True, text=True
    )
    set_id = int(prepared.stdout.strip().splitlines()[-1])

    port = _free_port()
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


# --- PostgreSQL: persistent, health-checked connections ------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_connections_persist_between_requests_and_survive_a_dropped_connection(settings):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    import psycopg
    from django.core.signals import request_finished, request_started

    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True

    def backend_pid():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return cursor.fetchone()[0]

    def next_request():
        # What Django does between two requests: close_old_connections on both signals.
        request_finished.send(sender=None)
        request_started.send(sender=None)

    # Start from a fresh connection: one opened more than CONN_MAX_AGE ago is rightly recycled.
    connection.close()
    first = backend_pid()
    next_request()
    assert backend_pid() == first, "the connection was not kept between requests (CONN_MAX_AGE)"

    # The server drops the connection (restart, failover, idle timeout)...
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (first,))
    next_request()
    # ...and the next request gets a fresh one instead of an error (CONN_HEALTH_CHECKS).
    assert backend_pid() != first


@pytest.mark.parametrize(
    "url, engine",
    [("", "sqlite3"), ("postgres://postgres@127.0.0.1:5432/anything", "postgresql")],
    ids=["empty means SQLite", "postgres"],
)
def test_database_url_is_read_as_make_test_sets_it(url, engine):
    # `make test-sqlite` runs with DATABASE_URL= (empty); that must mean the SQLite default,
    # and a PostgreSQL URL must give persistent, health-checked connections.
    code = (
        "import django; django.setup(); from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['ENGINE'], d['CONN_MAX_AGE'] > 0, d['CONN_HEALTH_CHECKS'])"
    )
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    found, persistent, checked = out.stdout.split()
    assert found == f"django.db.backends.{engine}"
    if engine == "postgresql":
        assert (persistent, checked) == ("True", "True")
