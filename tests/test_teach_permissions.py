"""Who may open which teacher page: anonymous users log in, students get 403, and one
teacher never learns what another teacher's private sets, classes and results hold (404)."""

import pytest
from django.urls import reverse

from quiz.models import Assignment, Classroom, Enrollment, Origin, QuestionSet, SetItem
from tests import factories


@pytest.fixture
def owned(other_teacher, student):
    """Teacher B's private world."""
    question = factories.single_choice("B's own question", origin=Origin.TEACHER, author=other_teacher)
    question_set = factories.question_set(other_teacher, [question], visibility="private", title="B private")
    classroom = Classroom.objects.create(teacher=other_teacher, name="B class")
    Enrollment.objects.create(classroom=classroom, student=student)
    assignment = Assignment.objects.create(classroom=classroom, question_set=question_set)
    return {"question": question, "set": question_set, "class": classroom, "assignment": assignment, "student": student}


def object_urls(o):
    """(method, url, data) for every teacher page about someone's objects."""
    s, c, a, q = o["set"].pk, o["class"].pk, o["assignment"].pk, o["question"].pk
    return [
        ("get", reverse("quiz:set_detail", args=[s]), None),
        ("get", reverse("quiz:set_settings", args=[s]), None),
        (
            "post",
            reverse("quiz:set_settings", args=[s]),
            {
                "title": "Hacked",
                "visibility": "public",
                "max_attempts": 0,
                "show_score": "never",
                "show_answers": "never",
            },
        ),
        ("get", reverse("quiz:set_detail", args=[s]) + "?page=2", None),
        ("post", reverse("quiz:set_add", args=[s]), {"question": q}),
        ("post", reverse("quiz:set_remove", args=[s]), {"question": q}),
        ("post", reverse("quiz:set_move", args=[s]), {"question": q, "direction": "up"}),
        ("post", reverse("quiz:set_duplicate", args=[s]), {}),
        ("get", reverse("quiz:set_delete", args=[s]), None),
        ("post", reverse("quiz:set_delete", args=[s]), {}),
        ("post", reverse("quiz:set_assign", args=[s]), {"classroom": c}),
        ("get", reverse("quiz:set_preview", args=[s]), None),
        ("get", reverse("quiz:question_preview", args=[q]), None),
        ("get", reverse("quiz:question_edit", args=[q]), None),
        ("post", reverse("quiz:question_edit", args=[q]), {"prompt": "Hacked"}),
        ("get", reverse("quiz:class_detail", args=[c]), None),
        ("post", reverse("quiz:class_regenerate", args=[c]), {}),
        ("post", reverse("quiz:class_remove_student", args=[c]), {"student": o["student"].pk}),
        ("post", reverse("quiz:class_assign", args=[c]), {"question_set": s}),
        ("get", reverse("quiz:class_student", args=[c, o["student"].pk]), None),
        ("get", reverse("quiz:assignment_results", args=[a]), None),
        ("get", reverse("quiz:assignment_csv", args=[a]), None),
        ("get", reverse("quiz:assignment_delete", args=[a]), None),
        ("post", reverse("quiz:assignment_delete", args=[a]), {"confirm": "yes"}),
    ]


def general_urls():
    return [
        ("get", reverse("quiz:teacher_home"), None),
        ("get", reverse("quiz:set_create"), None),
        (
            "post",
            reverse("quiz:set_create"),
            {"title": "x", "visibility": "private", "max_attempts": 0, "show_score": "never", "show_answers": "never"},
        ),
        ("get", reverse("quiz:question_list"), None),
        ("get", reverse("quiz:question_create") + "?kind=when", None),
        ("get", reverse("quiz:class_create"), None),
        ("post", reverse("quiz:class_create"), {"name": "x"}),
    ]


def unchanged(o):
    o["set"].refresh_from_db()
    o["question"].refresh_from_db()
    assert o["set"].title == "B private" and o["question"].prompt == "B's own question"
    assert SetItem.objects.filter(question_set=o["set"]).count() == 1
    assert Enrollment.objects.filter(classroom=o["class"]).count() == 1
    assert Assignment.objects.filter(pk=o["assignment"].pk).exists()
    assert QuestionSet.objects.count() == 1 and Classroom.objects.count() == 1


def test_anonymous_users_are_sent_to_log_in(client, owned):
    for method, url, data in general_urls() + object_urls(owned):
        response = getattr(client, method)(url, data or {})
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url
    unchanged(owned)


def test_students_get_403_on_every_teacher_page(client, owned):
    # A student in B's class, so the objects exist for them in some sense: still 403.
    client.force_login(owned["student"])
    for method, url, data in general_urls() + object_urls(owned):
        assert getattr(client, method)(url, data or {}).status_code == 403, url
    unchanged(owned)


def test_another_teacher_gets_404_for_private_objects(teacher_client, owned):
    for method, url, data in object_urls(owned):
        response = getattr(teacher_client, method)(url, data or {})
        assert response.status_code == 404, url
    unchanged(owned)


def test_teacher_cannot_assign_into_or_from_others(teacher_client, teacher, owned):
    mine = factories.question_set(teacher, [], visibility="private")
    my_class = Classroom.objects.create(teacher=teacher, name="Mine")
    # My set into B's class: 404 (the class is not mine to know about).
    assert (
        teacher_client.post(reverse("quiz:set_assign", args=[mine.pk]), {"classroom": owned["class"].pk}).status_code
        == 404
    )
    # B's set into my class: refused with a form error; nothing assigned.
    response = teacher_client.post(reverse("quiz:class_assign", args=[my_class.pk]), {"question_set": owned["set"].pk})
    assert response.status_code == 400
    assert not Assignment.objects.filter(classroom=my_class).exists()


def test_staff_without_teach_permission_see_403(client, db):
    from tests.factories import make_user

    user = make_user("plainstaff")
    user.is_staff = True
    user.save()
    client.force_login(user)
    assert client.get(reverse("quiz:teacher_home")).status_code == 403


def test_teacher_home_lists_only_what_is_theirs_or_public(teacher_client, teacher, other_teacher, owned):
    public = factories.question_set(other_teacher, [], visibility="public", title="B public")
    html = teacher_client.get(reverse("quiz:teacher_home")).content.decode()
    assert "B public" in html and reverse("quiz:set_detail", args=[public.pk]) in html
    assert "B private" not in html and "B class" not in html


HUGE = "9" * 30


def test_huge_and_garbage_ids_are_clear_4xx(teacher_client, teacher, student):
    question_set = factories.question_set(teacher, [], visibility="private")
    classroom = Classroom.objects.create(teacher=teacher, name="Mine")
    for value in (HUGE, "-1", "0", "abc", "", "1_0", "+1", "١"):
        assert (
            teacher_client.post(reverse("quiz:set_add", args=[question_set.pk]), {"question": value}).status_code == 400
        )
        assert (
            teacher_client.post(reverse("quiz:set_remove", args=[question_set.pk]), {"question": value}).status_code
            == 400
        )
        assert (
            teacher_client.post(reverse("quiz:set_assign", args=[question_set.pk]), {"classroom": value}).status_code
            == 400
        )
        assert (
            teacher_client.post(
                reverse("quiz:class_remove_student", args=[classroom.pk]), {"student": value}
            ).status_code
            == 400
        )
    assert teacher_client.get(reverse("quiz:question_create") + f"?kind=when&set={HUGE}").status_code == 200
    assert question_set.items.count() == 0 and not Assignment.objects.exists()


def test_start_with_a_huge_assignment_id_falls_back(client, teacher, student):
    question_set = factories.question_set(teacher, [factories.single_choice()], visibility="private")
    classroom = Classroom.objects.create(teacher=teacher, name="Mine")
    assignment = Assignment.objects.create(classroom=classroom, question_set=question_set)
    Enrollment.objects.create(classroom=classroom, student=student)
    client.force_login(student)
    response = client.post(reverse("quiz:start_set", args=[question_set.pk]), {"assignment": HUGE})
    assert response.status_code == 302
    from quiz.models import Attempt

    assert Attempt.objects.get().assignment == assignment
