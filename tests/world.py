"""A small world with one object of every kind, owned by one teacher and answered by one
student, and the users of every role around them: for the tests that walk every URL as every
role (access, escaping, fuzzing, response headers)."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from history.models import Alias, Role
from quiz import attempts as attempt_service
from quiz.models import Assignment, Classroom, Enrollment, Origin
from quiz.scoring import record_answer
from tests import factories as f
from tests.factories import make_user
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
    Role.objects.create(
        key="kirov-leningrad", figure=w.figure, title="First secretary", start_date=datetime.date(1926, 1, 1)
    )
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
