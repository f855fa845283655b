"""Fuzzing every form and htmx endpoint with random and malformed input (hypothesis).

Random strings (any unicode, NUL included), huge values, numbers out of range, missing
fields, repeated fields (lists), unknown ids and the ids of other users' objects are
posted to each endpoint. The server must never fail (a 500 raises in the test client),
and whenever it refuses (anything but the redirect that follows a successful post) no
row of the app's tables may have changed: row counts and a hash of every row's content
are compared before and after. Each example runs in a savepoint that is rolled back, so
examples do not see each other's changes.
"""

import hashlib
from urllib.parse import urlencode, urlsplit

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from quiz.models import Classroom
from quiz.scoring import option_token
from quiz.teaching.forms import SetForm
from tests import factories as f
from tests.taking_support import HTMX
from tests.world import build_world

pytestmark = pytest.mark.django_db

EXAMPLES = 20
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    # Shrinking a failure costs minutes on 2 cores; the unshrunk example is readable enough.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


def fuzz(test):
    """A test under FUZZ that draws its input as it goes, from `data`."""
    return FUZZ(given(data=st.data())(test))


# The tables whose rows a refused request must leave alone. Log-in bookkeeping (sessions,
# the limits' ThrottleEvent rows, last_login) is expected to change and is left out.
WATCHED = [
    "history.Source",
    "history.Figure",
    "history.Alias",
    "history.Passage",
    "history.Role",
    "history.Event",
    "history.Claim",
    "quiz.Question",
    "quiz.Option",
    "quiz.QuestionSet",
    "quiz.SetItem",
    "quiz.Classroom",
    "quiz.Enrollment",
    "quiz.Assignment",
    "quiz.Attempt",
    "quiz.AttemptItem",
    "quiz.Answer",
    "quiz.ReviewCard",
    "quiz.ReviewLog",
    "auth.Group",
]


def snapshot():
    state = {}
    for label in WATCHED:
        rows = list(apps.get_model(label).objects.order_by("pk").values_list())
        state[label] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    users = list(
        get_user_model().objects.order_by("pk").values_list("pk", "username", "first_name", "password", "is_staff")
    )
    state["auth.User"] = (len(users), hashlib.sha256(repr(users).encode()).hexdigest())
    state["user groups"] = hashlib.sha256(
        repr(list(get_user_model().groups.through.objects.order_by("pk").values_list())).encode()
    ).hexdigest()
    return state


# --- The world: one of everything, plus objects of another teacher ----------------------------


class Fuzzed:
    def __init__(self):
        self.w = build_world()
        other = self.w.users["other_teacher"]
        self.foreign_question = f.single_choice("Another teacher's question", author=other, origin="teacher")
        self.foreign_set = f.question_set(
            other, [self.foreign_question], title="Private of teach2", visibility="private"
        )
        self.foreign_class = Classroom.objects.create(teacher=other, name="Class of teach2")
        self.clients = {}
        self.answer_item = self.w.attempt.items.get(position=2)
        self.tokens = [
            option_token(self.answer_item.attempt_id, self.answer_item.question_id, pk)
            for pk in self.answer_item.option_order
        ]
        w = self.w
        # Ids and keys a tampered form might name: real ones of every owner, and nonsense.
        self.ids = [
            w.question_set.pk,
            self.foreign_set.pk,
            w.classroom.pk,
            self.foreign_class.pk,
            w.assignment.pk,
            w.generated.pk,
            w.authored.pk,
            self.foreign_question.pk,
            w.attempt.pk,
            self.answer_item.pk,
            *[u.pk for u in w.users.values()],
            0,
            -1,
            2**31,
            2**63,
            10**30,
        ]
        self.words = [
            "",
            " ",
            "\x00",
            "null",
            "None",
            "[]",
            "{}",
            "1e309",
            "NaN",
            "-0",
            "０１",
            "١٢",
            "true",
            "on",
            w.figure.key,
            w.event.key,
            w.claim.key,
            f"figure:{w.figure.key}",
            f"event:{w.event.key}",
            "figure:",
            "event:nope",
            "figure:../../etc",
            w.classroom.join_code,
            w.classroom.join_code.lower(),
            self.foreign_class.join_code,
            "private",
            "public",
            "class",
            "each_question",
            "after_close",
            "never",
            "up",
            "down",
            "bank",
            "single_choice",
            "who_held_role",
            "chronology",
            "matching",
            "gift",
            "moodle_xml",
            "auto",
            "2030-01-01T10:00",
            "1900-13-45T99:99",
            "'; DROP TABLE quiz_answer; --",
            "<script>alert(1)</script>",
            *self.tokens,
            "0" * 16,
            "f" * 16,
        ]

    def client(self, role):
        """The role's client, logged in afresh (its session row is rolled back with each example).
        Clients are reused: creating one loads the middleware, and WhiteNoise then scans every
        static file."""
        client = self.clients.setdefault(role, Client())
        client.cookies.clear()
        if role != "anon":
            client.force_login(self.w.users[role])
        return client


@pytest.fixture
def fz():
    return Fuzzed()


def value(fz):
    scalar = st.one_of(
        st.text(max_size=40),
        st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=300),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.sampled_from(fz.ids).map(str),
        st.sampled_from(fz.words),
        st.sampled_from(["x" * 5_000, "я" * 6_000]),
    )
    return st.one_of(scalar, st.lists(scalar, min_size=2, max_size=3))


def form(fz, fields):
    """Any subset of the endpoint's fields (missing ones included), plus junk fields."""
    keys = st.sampled_from([*fields, "junk", "csrfmiddlewaretoken"])
    return st.dictionaries(keys, value(fz), max_size=len(fields) + 2)


def post_and_check(fz, role, url, data, *, htmx=False, must_refuse=None, headers=None):
    """One fuzzed post in a rolled-back savepoint: no 500, and a refusal changes nothing."""
    with transaction.atomic():
        client = fz.client(role)
        before = snapshot()
        response = client.post(url, data, **(HTMX if htmx else {}), **(headers or {}))
        status = response.status_code
        assert status < 500
        if must_refuse is not None:
            assert status == must_refuse, (url, data, status)
        accepted = status == 302 or (htmx and status == 200 and must_refuse is None and ACCEPTS_HTMX_200(url))
        if not accepted:
            assert snapshot() == before, f"refused ({status}) yet something changed: {url} {data!r}"
        transaction.set_rollback(True)


def ACCEPTS_HTMX_200(url):
    # htmx editors answer a successful change with 200 and the new fragment.
    return urlsplit(url).path.endswith(("/add/", "/remove/", "/move/", "/answer/"))


# --- Students ------------------------------------------------------------------------------------


@fuzz
def test_fuzz_answer_submit(fz, data):
    w = fz.w
    fields = ["choice", *[f"rank-{t}" for t in fz.tokens], *[f"match-{t}" for t in fz.tokens], "rank-x", "match-"]
    position = data.draw(st.sampled_from([2, 2, 2, 1, 3, 0, 99999999999]))
    url = f"/attempts/{w.attempt.pk}/items/{position}/answer/"
    post_and_check(fz, "student", url, data.draw(form(fz, fields)), htmx=data.draw(st.booleans()))


@fuzz
def test_fuzz_answer_to_another_students_attempt_is_always_404(fz, data):
    url = f"/attempts/{fz.w.attempt.pk}/items/2/answer/"
    fields = ["choice", *[f"rank-{t}" for t in fz.tokens]]
    role = data.draw(st.sampled_from(["other_student", "teacher", "staff"]))
    fields = data.draw(form(fz, fields))
    # A NUL anywhere is refused (400) before the view looks the attempt up.
    values = [v for value in fields.values() for v in (value if isinstance(value, list) else [value])]
    refusal = 400 if any("\x00" in text for text in [*fields, *values]) else 404
    post_and_check(fz, role, url, fields, htmx=data.draw(st.booleans()), must_refuse=refusal)


@fuzz
def test_fuzz_start_quiz(fz, data):
    set_id = data.draw(st.sampled_from([fz.w.question_set.pk, fz.foreign_set.pk, 0, 2**31 - 1]))
    role = data.draw(st.sampled_from(["student", "other_student"]))
    post_and_check(fz, role, f"/quizzes/{set_id}/start/", data.draw(form(fz, ["assignment"])))


@fuzz
def test_fuzz_practice_and_review(fz, data):
    url = data.draw(st.sampled_from(["/practice/", "/review/start/"]))
    post_and_check(fz, "student", url, data.draw(form(fz, ["topic", "figure", "event"])), htmx=data.draw(st.booleans()))


@fuzz
def test_fuzz_join_class(fz, data):
    role = data.draw(st.sampled_from(["other_student", "teacher"]))
    post_and_check(fz, role, "/classes/join/", data.draw(form(fz, ["code"])))


# --- Teachers ------------------------------------------------------------------------------------

SET_FIELDS = list(SetForm.base_fields)
EDIT_FIELDS = ["question", "direction", "from"]
# The bank's state, which the set editor's page keeps in its URL.
BANK_STATE = ["text", "kind", "figure", "event", "assessment", "difficulty", "mine", "page"]
QUESTION_FIELDS = [
    "kind",
    "prompt",
    "explanation",
    "passage",
    "quote",
    "difficulty",
    "figures",
    "events",
    "claim",
    "set",
    "correct",
    *[f"option_{i}" for i in range(1, 8)],
    *[f"item_{i}" for i in range(1, 7)],
    *[f"left_{i}" for i in range(1, 7)],
    *[f"right_{i}" for i in range(1, 7)],
]


@fuzz
def test_fuzz_set_create_and_settings(fz, data):
    set_id = data.draw(st.sampled_from([fz.w.question_set.pk, fz.foreign_set.pk]))
    url = data.draw(st.sampled_from(["/teach/sets/new/", f"/teach/sets/{set_id}/settings/"]))
    post_and_check(fz, "teacher", url, data.draw(form(fz, SET_FIELDS)))


@fuzz
def test_fuzz_set_editor_add_remove_reorder(fz, data):
    set_id = data.draw(st.sampled_from([fz.w.question_set.pk, fz.w.question_set.pk, fz.foreign_set.pk, 0]))
    action = data.draw(st.sampled_from(["add", "remove", "move", "duplicate", "assign", "delete"]))
    fields = [*EDIT_FIELDS, "classroom", "due_at"]
    # A plain form carries the bank's state in its action's query, htmx in the page's URL.
    query = urlencode(data.draw(form(fz, BANK_STATE)), doseq=True)
    htmx = data.draw(st.booleans())
    url = f"/teach/sets/{set_id}/{action}/" + ("" if htmx else f"?{query}")
    current = data.draw(st.one_of(st.just(f"http://testserver/teach/sets/{set_id}/?{query}"), st.text(max_size=80)))
    page = {"HTTP_HX_CURRENT_URL": current} if htmx else {}
    post_and_check(fz, "teacher", url, data.draw(form(fz, fields)), htmx=htmx, headers=page)


@fuzz
def test_fuzz_class_create_assign_and_roster(fz, data):
    class_id = data.draw(st.sampled_from([fz.w.classroom.pk, fz.foreign_class.pk]))
    url = data.draw(
        st.sampled_from(
            ["/teach/classes/new/", f"/teach/classes/{class_id}/assign/", f"/teach/classes/{class_id}/remove/"]
        )
    )
    post_and_check(fz, "teacher", url, data.draw(form(fz, ["name", "question_set", "due_at", "student"])))


@fuzz
def test_fuzz_question_authoring(fz, data):
    url = data.draw(
        st.sampled_from(
            [
                "/teach/questions/new/",
                "/teach/questions/new/?kind=who_held_role",
                "/teach/questions/new/?kind=chronology",
                "/teach/questions/new/?kind=matching",
                f"/teach/questions/{fz.w.authored.pk}/edit/",
                f"/teach/questions/{fz.foreign_question.pk}/edit/",
            ]
        )
    )
    post_and_check(fz, "teacher", url, data.draw(form(fz, QUESTION_FIELDS)))


GIFT_LIKE = st.sampled_from(
    [
        "::Q1:: Who? {=Kirov ~Yagoda}",
        "Who? {=Kirov ~Yagoda",
        "::Q::[html]<script>alert(1)</script>{TRUE}",
        '<?xml version="1.0"?><quiz><question type="multichoice"><name><text>x</text></name></question></quiz>',
        '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><quiz>&b;</quiz>',
        "",
    ]
)


@fuzz
def test_fuzz_import_upload_and_confirm(fz, data):
    if data.draw(st.booleans()):
        content = data.draw(
            st.one_of(GIFT_LIKE.map(str.encode), st.binary(max_size=2000), st.text(max_size=500).map(str.encode))
        )
        name = data.draw(st.sampled_from(["q.gift", "q.txt", "q.xml", "q.exe", "", "../../q.gift"]))
        fields = data.draw(form(fz, ["format", "title"]))
        fields["file"] = SimpleUploadedFile(name or "blank", content)
        post_and_check(fz, "teacher", "/teach/import/", fields)
    else:
        post_and_check(fz, "teacher", "/teach/import/confirm/", data.draw(form(fz, ["token", "title"])))


# --- Accounts ------------------------------------------------------------------------------------


@fuzz
def test_fuzz_signup_and_login(fz, data):
    if data.draw(st.booleans()):
        fields = data.draw(form(fz, ["username", "first_name", "password1", "password2", "join_code"]))
        post_and_check(fz, "anon", "/accounts/signup/", fields)
    else:
        fields = data.draw(form(fz, ["username", "password"]))
        post_and_check(fz, "anon", "/accounts/login/", fields)


# --- The nastiest values, deterministically, in every field of every endpoint ---------------------

NASTY = [
    str(2**63),  # past every integer column (SQLite's IN lookup overflowed on this)
    "9" * 40,
    "\x00",  # PostgreSQL refuses NUL in text
    "²",  # isdigit() yet not int()
    "я" * 6_000,  # far past every field's limit (the longest is 500)
    ["1", str(-(2**63) - 1), "x"],
]


def _endpoints(fz):
    w = fz.w
    answer_fields = ["choice", *[f"rank-{t}" for t in fz.tokens], *[f"match-{t}" for t in fz.tokens]]
    return [
        ("student", f"/attempts/{w.attempt.pk}/items/2/answer/", answer_fields),
        ("student", f"/quizzes/{w.question_set.pk}/start/", ["assignment"]),
        ("student", "/practice/", ["topic", "figure", "event"]),
        ("student", "/review/start/", ["junk"]),
        ("other_student", "/classes/join/", ["code"]),
        ("teacher", "/teach/sets/new/", SET_FIELDS),
        ("teacher", f"/teach/sets/{w.question_set.pk}/settings/", SET_FIELDS),
        *[
            ("teacher", f"/teach/sets/{w.question_set.pk}/{a}/", [*EDIT_FIELDS, "classroom", "due_at"])
            for a in ("add", "remove", "move", "assign")
        ],
        ("teacher", "/teach/classes/new/", ["name"]),
        ("teacher", f"/teach/classes/{w.classroom.pk}/assign/", ["question_set", "due_at"]),
        ("teacher", f"/teach/classes/{w.classroom.pk}/remove/", ["student"]),
        *[
            ("teacher", f"/teach/questions/new/?kind={k}", QUESTION_FIELDS)
            for k in ("who_held_role", "chronology", "matching")
        ],
        ("teacher", f"/teach/questions/{w.authored.pk}/edit/", QUESTION_FIELDS),
        ("teacher", "/teach/import/confirm/", ["token", "title"]),
        ("anon", "/accounts/signup/", ["username", "first_name", "password1", "password2", "join_code"]),
        ("anon", "/accounts/login/", ["username", "password"]),
    ]


def test_nasty_values_in_every_field_of_every_endpoint(fz):
    endpoints = _endpoints(fz)
    assert len(endpoints) >= 20
    for role, url, fields in endpoints:
        # The htmx variant only where a view answers htmx differently.
        variants = (
            (False, True)
            if url.endswith(("/answer/", "/add/", "/remove/", "/move/", "/practice/", "/start/"))
            else (False,)
        )
        for nasty in NASTY:
            for htmx in variants:
                post_and_check(fz, role, url, {name: nasty for name in fields}, htmx=htmx)


def test_nasty_values_in_every_query_parameter(fz):
    w = fz.w
    pages = [
        ("anon", "/interview/", ["cite", "claim", "annotations"]),
        ("anon", "/figures/", ["q"]),
        ("anon", "/timeline/", ["figure", "range"]),
        ("other_student", "/classes/join/", ["code"]),
        ("student", "/quizzes/", ["page"]),
        ("teacher", f"/teach/sets/{w.question_set.pk}/", ["page", *BANK_FILTERS]),
        ("teacher", f"/teach/sets/{w.question_set.pk}/bank/", ["page", *BANK_FILTERS]),
        ("teacher", f"/teach/questions/{w.authored.pk}/preview/", ["set"]),
        ("teacher", "/teach/questions/new/", ["kind", "set"]),
    ]
    for role, url, params in pages:
        client = fz.client(role)
        for nasty in NASTY:
            for extra in ({}, HTMX):
                response = client.get(url, {name: nasty for name in params}, **extra)
                assert response.status_code < 500, (url, nasty)


BANK_FILTERS = ["text", "kind", "figure", "event", "assessment", "difficulty", "mine"]


def test_a_nul_character_anywhere_is_refused_readably_and_changes_nothing(fz):
    # PostgreSQL cannot store NUL; every view is protected by one middleware, not each lookup.
    for role, url, data in (
        ("student", "/practice/", {"topic": "figure:\x00"}),
        ("teacher", "/teach/classes/new/", {"name": "Class\x00"}),
        ("anon", "/accounts/signup/", {"username": "kid", "first_name": "a\x00b"}),
        ("anon", "/accounts/login/", {"username\x00": "x"}),
    ):
        with transaction.atomic():
            client = fz.client(role)
            before = snapshot()
            response = client.post(url, data)
            assert response.status_code == 400
            assert "NUL character" in response.content.decode()
            assert snapshot() == before
            transaction.set_rollback(True)
    response = fz.client("anon").get("/figures/", {"q": "Kirov\x00"})
    assert response.status_code == 400


def test_a_request_body_past_the_upload_limit_is_a_400(fz, settings):
    # Django's DATA_UPLOAD_MAX_MEMORY_SIZE turns a huge form into a 400, not a 500 or a saved row.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    with transaction.atomic():
        client = fz.client("teacher")
        before = snapshot()
        response = client.post("/teach/classes/new/", {"name": "я" * 200_000})
        assert response.status_code == 400
        assert snapshot() == before
        transaction.set_rollback(True)
