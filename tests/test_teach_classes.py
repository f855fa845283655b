"""Classes: join codes, joining, roster, assignments, and the student's home page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertInHTML

from quiz.models import Assignment, Attempt, Classroom, Enrollment
from tests import factories
from tests.html_support import has


@pytest.fixture
def classroom(teacher):
    return Classroom.objects.create(teacher=teacher, name="Year 11 History")


def test_create_class_and_regenerate_code(teacher_client, teacher):
    response = teacher_client.post(reverse("quiz:class_create"), {"name": "10B"})
    classroom = Classroom.objects.get(name="10B")
    assert response["Location"] == reverse("quiz:class_detail", args=[classroom.pk]) and classroom.teacher == teacher
    page = teacher_client.get(response["Location"]).content.decode()
    assert classroom.join_code in page and f"/classes/join/?code={classroom.join_code}" in page
    old = classroom.join_code
    teacher_client.post(reverse("quiz:class_regenerate", args=[classroom.pk]))
    classroom.refresh_from_db()
    assert classroom.join_code != old and len(classroom.join_code) == 8


def test_join_page_has_a_labelled_code_input(student_client):
    html = student_client.get(reverse("quiz:join_class")).content.decode()
    assertInHTML('<label for="id_code">Class join code</label>', html)
    assert has(html, "form", method="get")


def test_join_by_code_is_idempotent(student_client, student, classroom):
    # ?code= (where sign-up redirects) names the class and asks to confirm.
    preview = student_client.get("/classes/join/", {"code": classroom.join_code.lower()})
    assert preview.status_code == 200 and "Join Year 11 History" in preview.content.decode()
    assert not Enrollment.objects.exists()
    response = student_client.post("/classes/join/", {"code": classroom.join_code})
    assert response["Location"] == reverse("home")
    assert "You joined Year 11 History" in student_client.get("/").content.decode()
    again = student_client.post(
        "/classes/join/", {"code": f" {classroom.join_code[:4]}-{classroom.join_code[4:]} "}, follow=True
    )
    assert "already in Year 11 History" in again.content.decode()
    assert Enrollment.objects.filter(student=student, classroom=classroom).count() == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_bad_codes_get_a_clear_message(student_client, classroom, method):
    response = getattr(student_client, method)("/classes/join/", {"code": "NOPE2345"})
    assert response.status_code == 404
    assert "No class has the code “NOPE2345”. Check it with your teacher." in response.content.decode()
    empty = getattr(student_client, method)("/classes/join/", {"code": ""})
    assert empty.status_code == 400 and "Enter the join code" in empty.content.decode()
    assert not Enrollment.objects.exists()


def test_join_requires_login(client, classroom):
    response = client.get("/classes/join/", {"code": classroom.join_code})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_signup_with_code_lands_on_join_confirmation(client, classroom):
    response = client.post(
        reverse("signup"),
        {
            "username": "newkid",
            "password1": "a-long-pass-phrase-42",
            "password2": "a-long-pass-phrase-42",
            "join_code": classroom.join_code,
        },
        follow=True,
    )
    assert "Join Year 11 History" in response.content.decode()


def test_teacher_cannot_join_own_class(teacher_client, classroom):
    response = teacher_client.post("/classes/join/", {"code": classroom.join_code})
    assert response.status_code == 400 and not Enrollment.objects.exists()


def test_roster_and_remove_student(teacher_client, classroom, student, other_student):
    Enrollment.objects.create(classroom=classroom, student=student)
    Enrollment.objects.create(classroom=classroom, student=other_student)
    page = teacher_client.get(reverse("quiz:class_detail", args=[classroom.pk])).content.decode()
    assert "Stu2" in page and "Students (2)" in page
    response = teacher_client.post(reverse("quiz:class_remove_student", args=[classroom.pk]), {"student": student.pk})
    assert response.status_code == 302
    assert list(classroom.students.all()) == [other_student]
    # Removing someone who is not in the class changes nothing and says so.
    assert (
        teacher_client.post(
            reverse("quiz:class_remove_student", args=[classroom.pk]), {"student": student.pk}
        ).status_code
        == 404
    )
    assert (
        teacher_client.post(reverse("quiz:class_remove_student", args=[classroom.pk]), {"student": "x"}).status_code
        == 400
    )


def test_assign_with_due_date_and_reassign_updates(teacher_client, teacher, classroom):
    question_set = factories.question_set(teacher, [factories.single_choice()], visibility="private", title="Kirov")
    due = (timezone.localtime() + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    response = teacher_client.post(
        reverse("quiz:class_assign", args=[classroom.pk]), {"question_set": question_set.pk, "due_at": due}
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert timezone.localtime(assignment.due_at).strftime("%Y-%m-%dT%H:%M") == due
    # Assigning again with the field blank keeps the due date; "No due date" removes it.
    teacher_client.post(
        reverse("quiz:class_assign", args=[classroom.pk]), {"question_set": question_set.pk, "due_at": ""}
    )
    assert Assignment.objects.count() == 1 and Assignment.objects.get().due_at == assignment.due_at
    teacher_client.post(
        reverse("quiz:class_assign", args=[classroom.pk]), {"question_set": question_set.pk, "no_due": "on"}
    )
    assert Assignment.objects.count() == 1 and Assignment.objects.get().due_at is None
    # From the set editor too.
    other = Classroom.objects.create(teacher=teacher, name="Other")
    teacher_client.post(reverse("quiz:set_assign", args=[question_set.pk]), {"classroom": other.pk, "due_at": due})
    assert Assignment.objects.filter(classroom=other, question_set=question_set).exists()


def test_assign_refuses_past_dates_and_others_sets(teacher_client, other_teacher, teacher, classroom):
    mine = factories.question_set(teacher, [], visibility="private")
    past = teacher_client.post(
        reverse("quiz:class_assign", args=[classroom.pk]), {"question_set": mine.pk, "due_at": "2000-01-01T10:00"}
    )
    assert past.status_code == 400 and "The due date is in the past." in past.content.decode()
    theirs = factories.question_set(other_teacher, [], visibility="public")
    response = teacher_client.post(reverse("quiz:class_assign", args=[classroom.pk]), {"question_set": theirs.pk})
    assert response.status_code == 400
    assert not Assignment.objects.exists()


def test_student_sees_assignments_with_status_and_start_links_the_attempt(client, teacher, student, classroom):
    q1, q2 = factories.single_choice(), factories.single_choice("Second?")
    question_set = factories.question_set(teacher, [q1, q2], visibility="private", title="Kirov's murder")
    # The same set in two classes: the Start button says which assignment it is for.
    other_class = Classroom.objects.create(teacher=teacher, name="Club")
    early = Assignment.objects.create(
        classroom=other_class, question_set=question_set, due_at=timezone.now() + datetime.timedelta(days=1)
    )
    assignment = Assignment.objects.create(
        classroom=classroom, question_set=question_set, due_at=timezone.now() + datetime.timedelta(days=3)
    )
    Enrollment.objects.create(classroom=classroom, student=student)
    Enrollment.objects.create(classroom=other_class, student=student)
    client.force_login(student)
    home = client.get("/").content.decode()
    assert "Your assignments" in home and "Kirov&#x27;s murder" in home and "Year 11 History" in home
    assert home.count("Not started") == 2

    response = client.post(reverse("quiz:start_set", args=[question_set.pk]), {"assignment": assignment.pk})
    attempt = Attempt.objects.get()
    assert response["Location"] == reverse("quiz:attempt", args=[attempt.pk])
    assert attempt.assignment == assignment and attempt.assignment != early
    assert "In progress" in client.get("/").content.decode()

    attempt.finished_at = timezone.now()
    attempt.score, attempt.question_count = 1.0, 2
    attempt.save()
    home = client.get("/").content.decode()
    assert "Done – best 50%" in home and "Try again" in home


def test_home_assignment_query_count_is_constant(client, teacher, student, django_assert_max_num_queries):
    def add_assignments(n):
        for i in range(n):
            classroom = Classroom.objects.create(teacher=teacher, name=f"C{i}")
            Enrollment.objects.create(classroom=classroom, student=student)
            Assignment.objects.create(
                classroom=classroom, question_set=factories.question_set(teacher, [], visibility="private")
            )

    client.force_login(student)
    add_assignments(1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get("/")
    add_assignments(15)
    with CaptureQueriesContext(connection) as big:
        assert client.get("/").content.decode().count("Not started") == 16
    assert len(big.captured_queries) == len(small.captured_queries)


def test_student_progress_page(teacher_client, teacher, student, classroom):
    Enrollment.objects.create(classroom=classroom, student=student)
    page = teacher_client.get(reverse("quiz:class_student", args=[classroom.pk, student.pk]))
    assert page.status_code == 200 and "No answers about figures yet." in page.content.decode()
    from tests.factories import make_user

    stranger = make_user("stranger")
    assert teacher_client.get(reverse("quiz:class_student", args=[classroom.pk, stranger.pk])).status_code == 404
