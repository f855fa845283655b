"""Simulated students for the load run (bench/load.py starts locust with this file).

Student: logs in through the login form, starts an attempt at one of their assigned sets,
then answers question after question as the htmx page does: POST the answer with the
CSRF header (the feedback fragment comes back), GET the next question fragment, repeat;
a finished attempt is followed by a new one. Trivial: the health check, for the baseline.
SignedIn: a signed-in student loading the cheapest signed-in page (bench/urls.py), the floor
under every answer request. AnswerResponse: the same, plus an answer's feedback rendered from
memory (bench/urls.py), the floor under any answer's response however it is recorded.

Accounts and their sets come from the JSON file named by BENCH_LOAD_USERS (written by load.py).
"""

import itertools
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

import gevent
from locust import FastHttpUser, constant, events, task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parent))
from forms import answer_form  # noqa: E402

ACCOUNTS = json.loads(Path(os.environ["BENCH_LOAD_USERS"]).read_text()) if os.environ.get("BENCH_LOAD_USERS") else {}
PASSWORD = ACCOUNTS.get("password", "")
_next_account = itertools.cycle(ACCOUNTS.get("students", [{}]))
HTMX = {"HX-Request": "true"}
# The measured window opens once every simulated user is ready (students: logged in, and each
# login hashes a password on purpose, so it is slow) and lasts BENCH_SECONDS; then locust stops.
# Requests before the window are checked for errors but left out of throughput and latency.
USERS = int(os.environ.get("BENCH_USERS", "1"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))
OUT = os.environ.get("BENCH_LOAD_OUT")
_times = defaultdict(list)
_errors = defaultdict(int)
_messages = defaultdict(set)
_clock = {}
_ready = []


def _watch(environment):
    while True:
        gevent.sleep(0.1)
        now = time.monotonic()
        if "window" not in _clock and len(_ready) >= USERS:
            _clock["window"] = now
        if "window" in _clock and now - _clock["window"] >= SECONDS:
            _clock["end"] = now
            environment.runner.quit()
            return


@events.test_start.add_listener
def _started(environment, **kwargs):
    _clock["start"] = time.monotonic()
    gevent.spawn(_watch, environment)


@events.request.add_listener
def _record(name, response_time, exception, **kwargs):
    if exception is not None:
        _errors[name] += 1
        if len(_messages[name]) < 5:
            _messages[name].add(str(exception)[:200])
    if "window" in _clock and "end" not in _clock:
        _times[name].append(response_time)


@events.test_stop.add_listener
def _stopped(**kwargs):
    end = _clock.get("end", time.monotonic())
    window = end - _clock["window"] if "window" in _clock else 0
    report = {
        "window_s": window,
        "ready_after_s": _clock["window"] - _clock["start"] if "window" in _clock else None,
        "ready_users": len(_ready),
        "errors": dict(_errors),
        "error_messages": {name: sorted(found) for name, found in _messages.items()},
        "requests": {},
    }
    for name, times in _times.items():
        times.sort()
        pick = lambda share, times=times: times[min(len(times) - 1, round(share * (len(times) - 1)))]  # noqa: E731
        report["requests"][name] = {
            "count": len(times),
            "rps": len(times) / window if window > 0 else 0,
            "p50_ms": pick(0.50),
            "p95_ms": pick(0.95),
            "p99_ms": pick(0.99),
        }
    if OUT:
        Path(OUT).write_text(json.dumps(report, indent=1))


def _csrf(user):
    return next((c.value for c in user.client.cookiejar if c.name == "csrftoken"), "")


def _log_in(user):
    """Sign in through the login form as the next synthetic student; ready for the window."""
    account = next(_next_account)
    user.sets = itertools.cycle(account["sets"])
    page = user.client.get("/accounts/login/", name="login page")
    with user.client.post(
        "/accounts/login/",
        data={"username": account["username"], "password": PASSWORD, "csrfmiddlewaretoken": _csrf(user)},
        headers={"Referer": user.host + page.url},
        name="login",
        catch_response=True,
    ) as response:
        # A refused login shows the form again; a successful one redirects home.
        refused = response.status_code != 200 or 'name="password"' in (response.text or "")
        if refused:
            response.failure(f"login refused (HTTP {response.status_code})")
    _ready.append(user)
    if refused:
        raise StopUser()  # one error, not a stream of failed starts


class Student(FastHttpUser):
    wait_time = constant(0)  # closed loop: each simulated student sends its next request at once

    def on_start(self):
        _log_in(self)
        self.form = None

    def _headers(self, **extra):
        return {"X-CSRFToken": _csrf(self), "Referer": self.host + "/", **extra}

    def _start(self):
        set_id = next(self.sets)
        with self.client.post(
            f"/quizzes/{set_id}/start/", headers=self._headers(), name="start attempt", catch_response=True
        ) as response:
            self.form = answer_form(response.text or "")
            if not self.form[0]:
                response.failure("no question after starting")
                self.form = None

    @task
    def answer(self):
        if self.form is None:
            self._start()
            return
        action, data = self.form
        with self.client.post(
            action, data=data, headers=self._headers(**HTMX), name="answer submit (htmx)", catch_response=True
        ) as response:
            if response.status_code != 200 or "feedback" not in (response.text or ""):
                response.failure(f"HTTP {response.status_code}: no feedback")
                self.form = None
                return
            finished = "/summary/" in response.text
        if finished:
            self.form = None
            return
        attempt_url = action.split("/items/")[0] + "/"
        with self.client.get(attempt_url, headers=HTMX, name="next question (htmx)", catch_response=True) as response:
            self.form = answer_form(response.text or "")
            if not self.form[0]:
                response.failure("no answer form in the next question")
                self.form = None


class Trivial(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        _ready.append(self)

    @task
    def health(self):
        self.client.get("/healthz", name="trivial view (/healthz)")


class _SignedInPage(FastHttpUser):
    """A signed-in student loading one page over and over: the load run's reference floors."""

    abstract = True
    wait_time = constant(0)
    on_start = _log_in
    path = name = ""

    @task
    def load(self):
        self.client.get(self.path, name=self.name)


class SignedIn(_SignedInPage):
    """The floor: a signed-in student loading the cheapest signed-in page there is."""

    path, name = "/bench/signed-in", "signed-in floor (/bench/signed-in)"


class AnswerResponse(_SignedInPage):
    """The floor under an answer's response: signed in, feedback rendered, nothing scored or written."""

    path, name = "/bench/answer-response", "answer response floor (/bench/answer-response)"
