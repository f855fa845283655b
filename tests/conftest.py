"""Shared fixtures: the loaded interview and question bank, the small study content, users in
each role and their clients, a four-question set, and a headless browser.

Helpers that tests call as functions live in support modules named for what they hold
(tests/factories.py, tests/browser_support.py, ...); this module keeps fixtures."""

import os

import pytest
from django.core.management import call_command

from tests import factories
from tests.factories import make_user
from tests.study_support import build_content

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make between browser steps are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Flags for a closed network: no background calls home, no first-run work.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session", autouse=True)
def _live_server_uses_whitenoise():
    """Serve static files in browser tests as production does: WhiteNoise from the collected,
    hashed files (Django's test static handler only knows unhashed names)."""
    from django.contrib.staticfiles import handlers

    original = handlers.StaticFilesHandler
    handlers.StaticFilesHandler = lambda application: application
    yield
    handlers.StaticFilesHandler = original


@pytest.fixture(autouse=True)
def _no_lockouts_between_tests(settings):
    # Lockout state lives in the cache; each test starts with a clean slate.
    from django.core.cache import cache

    cache.clear()


# Loading the interview and generating the bank take thousands of queries; tests need them
# often. The first test to ask builds them with the real commands; later tests (each of which
# starts from an empty, rolled-back or flushed database) get the same rows back in bulk.
_snapshots: dict[str, list] = {}


def _restore_or_build(name, build, models):
    import copy

    from django.core.management.color import no_style
    from django.db import connection

    if name not in _snapshots:
        build()
        _snapshots[name] = [(model, list(model.objects.order_by("pk"))) for model in models]
        return
    for model, rows in _snapshots[name]:
        model.objects.bulk_create([copy.copy(row) for row in rows])
    # Explicit primary keys do not advance PostgreSQL's sequences; move them past the restored rows.
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [m for m, _ in _snapshots[name]]):
            cursor.execute(statement)


def _content_models():
    from history.models import Alias, Claim, Event, Figure, Passage, Role, Source

    return [
        Figure,
        Alias,
        Source,
        Passage,
        Role,
        Event,
        Event.participants.through,
        Event.follows.through,
        Claim,
        Claim.figures.through,
        Claim.events.through,
        Claim.decoys.through,
    ]


def _bank_models():
    from quiz.models import Option, Question

    return [Question, Option, Question.figures.through, Question.events.through]


def _load_once(name, command, models, exists):
    """Run `command` the first time; later tests (each of which starts from an empty, rolled-back
    or flushed database) get the same rows back in bulk. `exists` says whether they are there."""
    if not exists():
        _restore_or_build(
            name,
            lambda: call_command(command, verbosity=0, stdout=open(os.devnull, "w")),
            models,
        )


@pytest.fixture
def interview(db):
    """The interview content, as `load_interview` loads it from the shipped fixture."""
    from history.models import Source

    _load_once("interview", "load_interview", _content_models(), Source.objects.exists)
    return Source.objects.get()


@pytest.fixture
def question_bank(interview):
    """The question bank `generate_questions` builds from the interview."""
    from quiz.models import Question

    _load_once("question_bank", "generate_questions", _bank_models(), Question.objects.exists)
    return Question.objects.filter(is_retired=False)


@pytest.fixture
def study(db):
    """A small study content built from the real interview text (tests/study_support.py)."""
    return build_content()


@pytest.fixture
def postgres_only():
    """Skip on SQLite, for tests of races between real concurrent connections."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")


@pytest.fixture
def student(db):
    return make_user("stu")


@pytest.fixture
def other_student(db):
    return make_user("stu2")


@pytest.fixture
def teacher(db):
    return make_user("teach", teacher=True)


@pytest.fixture
def other_teacher(db):
    return make_user("teach2", teacher=True)


@pytest.fixture
def staff_user(db):
    return make_user("boss", staff=True)


@pytest.fixture
def student_client(client, student):
    client.force_login(student)
    return client


@pytest.fixture
def teacher_client(client, teacher):
    client.force_login(teacher)
    return client


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def four_questions():
    """A public set of one question of each answer mode, options shuffled."""
    return factories.question_set(
        None,
        [factories.single_choice(), factories.ordering(), factories.matching(), factories.cloze()],
        title="Four questions",
        shuffle_options=True,
    )


# --- Browser ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}; `make test` installs Debian's chromium package.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _browser_page(browser, live_server, **context_options):
    context = browser.new_context(base_url=live_server.url, **context_options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    # Fail on any CSP violation or script error the page reports.
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.js_errors = errors
    return context, page


@pytest.fixture
def page(browser, live_server):
    context, page = _browser_page(browser, live_server)
    yield page
    context.close()


@pytest.fixture
def phone(browser, live_server):
    """A page in a 375 px wide browser, as on a student's phone."""
    context, page = _browser_page(browser, live_server, viewport={"width": 375, "height": 740})
    yield page
    context.close()


@pytest.fixture
def login(live_server):
    """Log a browser page in as `user` through the real login form."""

    def do_login(page, user, password="pw-for-tests-only"):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    return do_login
