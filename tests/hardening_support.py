"""Shared by the hardening tests: a small world with one object of every kind per role,
a walk over every URL pattern, and requests that leave the database as they found it."""

import datetime
import re
from dataclasses import dataclass, field

from django.contrib.admin import site as admin_site
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from django.utils import timezone

from history.models import Alias, Role
from quiz import attempts as attempt_service
from quiz.models import Assignment, Classroom, Enrollment, Origin
from quiz.scoring import record_answer
from tests import factories as f
from tests.conftest import make_user
from tests.taking_support import answer_data

ROLES = ("anon", "student", "other_student", "teacher", "other_teacher", "staff")


def plain(field_name):
    return f"Plain {field_name}"


@dataclass
class World:
    users: dict = field(default_factory=dict)
    figure: object = None
    event: object = None
    claim: object = None
    generated: object = None
    authored: object = None
    question_set: object = None
    classroom: object = None
    assignment: object = None
    attempt: object = None


def build_world(text=plain):
    """Every kind of object the pages show, owned by `teacher` / answered by `student`.

    `text(field)` gives the text stored in each authored field, so the escaping tests can
    put a payload in every one of them.
    """
    from accounts.models import ThrottleEvent

    w = World()
    w.users = {
        "student": make_user("stu"),
        "other_student": make_user("stu2"),
        "teacher": make_user("teach", teacher=True),
        "other_teacher": make_user("teach2", teacher=True),
        "staff": make_user("boss", staff=True),
    }
    student, teacher = w.users["student"], w.users["teacher"]
    student.first_name = text("first_name")[:150]
    student.save(update_fields=["first_name"])

    w.figure = f.figure("Kirov", bio=text("figure_bio"))
    Alias.objects.create(figure=w.figure, name="Kirow")
    Role.objects.create(key="kirov-leningrad", figure=w.figure, title="First secretary", start_date=datetime.date(1926, 1, 1))
    w.event = f.event("Kirov murder", description=text("event_description"))
    w.event.participants.add(w.figure)
    w.claim = f.claim("Kirov was popular in Leningrad.")
    w.claim.note = text("claim_note")
    w.claim.reference = text("claim_reference")
    w.claim.save()
    w.claim.figures.add(w.figure)
    w.claim.events.add(w.event)

    w.generated = f.single_choice("Who led the Leningrad party?", figures=[w.figure], events=[w.event], claim=w.claim)
    w.authored = f.single_choice(
        text("question_prompt"),
        choices=(text("option"), "Yagoda", "Yezhov"),
        explanation=text("question_explanation"),
        figures=[w.figure],
        origin=Origin.TEACHER,
        author=teacher,
    )
    w.question_set = f.question_set(
        teacher,
        [w.generated, w.authored],
        title=text("set_title")[:200],
        description=text("set_description"),
        visibility="private",
        shuffle_options=False,
    )
    w.classroom = Classroom.objects.create(teacher=teacher, name=text("class_name")[:120])
    Enrollment.objects.create(classroom=w.classroom, student=student)
    w.assignment = Assignment.objects.create(
        classroom=w.classroom, question_set=w.question_set, due_at=timezone.now() + datetime.timedelta(days=7)
    )
    # The student has answered question 1 of 2 (right), so every attempt page has something to show.
    w.attempt = attempt_service.start_set(student, w.question_set, w.assignment)
    first = w.attempt.items.select_related("question").get(position=1)
    record_answer(w.attempt, first, answer_data(first), timezone.now())
    w.attempt.refresh_from_db()

    # The admin lists what the per-client limits count too; one event, so its pages have an object.
    ThrottleEvent.objects.create(limit="login-account", key="someone", at=timezone.now())
    return w


# --- The URLconf -------------------------------------------------------------------------


@dataclass
class Route:
    name: str  # "namespace:name", or "namespace:<route>" for unnamed patterns
    route: str  # the full route as written, e.g. "teach/sets/<int:pk>/"
    pattern: URLPattern
    params: list


def _params(pattern):
    if isinstance(pattern.pattern, RoutePattern):
        return list(pattern.pattern.converters)
    return list(pattern.pattern.regex.groupindex)


def all_routes():
    """Every URL pattern in the project, admin included, with a name to look it up by."""
    found = []

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry, prefix + str(entry.pattern), ns)
            else:
                route = prefix + str(entry.pattern)
                label = entry.name or f"<{route}>"
                name = f"{namespace}:{label}" if namespace else label
                found.append(Route(name, route, entry, _params(entry)))

    walk(get_resolver(), "", "")
    return found


_CONVERTER = re.compile(r"<(?:[^>:]+:)?([^>]+)>")


def fill(route: str, values: dict) -> str:
    """A concrete path for a route written with <converter:name> placeholders."""
    missing = [name for name in _CONVERTER.findall(route) if name not in values]
    assert not missing, f"no value for {missing} in {route}"
    return "/" + _CONVERTER.sub(lambda m: str(values[m.group(1)]), route)


def admin_model_for(route: str):
    """The model an admin route is about ("admin/quiz/question/..." → Question), or None."""
    parts = route.split("/")
    if len(parts) < 3 or parts[0] != "admin":
        return None
    for model in admin_site._registry:
        if model._meta.app_label == parts[1] and model._meta.model_name == parts[2]:
            return model
    return None


# --- Requests that change nothing --------------------------------------------------------


def request_and_roll_back(client, method, url, data=None, **extra):
    """Make the request inside a transaction that is rolled back, so a POST by an owner
    (delete, duplicate, finish...) does not change what the next request sees."""
    with transaction.atomic():
        if method == "GET":
            response = client.get(url, **extra)
        else:
            response = client.post(url, data or {}, **extra)
        transaction.set_rollback(True)
    return response


def is_html(response):
    return response.get("Content-Type", "").startswith("text/html")
