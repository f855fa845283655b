"""Assigning a set to a class and taking it back: unassigning asks first and keeps the students'
work, assigning again brings it back; a blank due date keeps the existing one, changing or
removing it is explicit; an empty set (or one of retired questions) cannot be assigned."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quiz.models import Assignment, Attempt, Classroom, Enrollment
from quiz.teaching import results
from tests import factories
from tests.factories import make_user
from tests.html_support import find_all, has, link_texts, text_of
from tests.taking_support import answer_data, answer_url


@pytest.fixture
def world(teacher, student, other_student):
    """A class of two with a two-question set assigned; `student` finished it, `other_student`
    started it."""
    q1, q2 = (factories.single_choice(f"Question {n}?", ("Right", "Wrong", "Other"), correct=0) for n in (1, 2))
    question_set = factories.question_set(teacher, [q1, q2], visibility="private", title="Kirov")
    classroom = Classroom.objects.create(teacher=teacher, name="11A")
    assignment = Assignment.objects.create(classroom=classroom, question_set=question_set)
    for who in (student, other_student):
        Enrollment.objects.create(classroom=classroom, student=who)
    teacher_client, student_client, other_client = Client(), Client(), Client()
    teacher_client.force_login(teacher)
    student_client.force_login(student)
    other_client.force_login(other_student)
    finished = take(student_client, assignment, answers=2)
    open_attempt = take(other_client, assignment, answers=1)
    return {
        "set": question_set,
        "class": classroom,
        "assignment": assignment,
        "teacher": teacher_client,
        "student": student_client,
        "finished": finished,
        "open": open_attempt,
    }


def take(client, assignment, answers):
    """Start the assignment from the home page's button and answer `answers` questions (all of
    them finishes the attempt)."""
    client.post(reverse("quiz:start_set", args=[assignment.question_set_id]), {"assignment": assignment.pk})
    attempt = Attempt.objects.filter(assignment=assignment).latest("pk")
    for item in attempt.items.select_related("question").order_by("position")[:answers]:
        response = client.post(
            answer_url(attempt, item.position), answer_data(item, correct=True), HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200
    return attempt


def unassign_url(assignment):
    return reverse("quiz:assignment_delete", args=[assignment.pk])


def assign(client, classroom, question_set, **data):
    return client.post(reverse("quiz:class_assign", args=[classroom.pk]), {"question_set": question_set.pk, **data})


def last_message(response):
    """The message this response added (earlier, unread ones are still queued before it)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def class_counts(client, classroom):
    response = client.get(reverse("quiz:class_detail", args=[classroom.pk]))
    return [(a.question_set.title, a.started, a.finished) for a in response.context["assignments"]]


def in_days(days):
    return (timezone.localtime() + datetime.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


# --- Unassigning asks first, and says whose work is affected ---------------------------------


def test_class_page_links_to_a_confirmation_instead_of_unassigning_in_one_click(world):
    url = unassign_url(world["assignment"])
    html = world["teacher"].get(reverse("quiz:class_detail", args=[world["class"].pk])).content.decode()
    assert any(label.startswith("Unassign") for label in link_texts(html, url))
    assert not has(html, "form", action=url)  # no one-click form


def test_confirmation_page_counts_students_and_says_attempts_are_kept(world):
    response = world["teacher"].get(unassign_url(world["assignment"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Unassign “Kirov” from 11A?" in html
    assert "2 students have started it and 1 has finished it (2 attempts)" in html
    assert "Their attempts are kept" in html and "their results come back" in html
    # A plain form (works without JavaScript) that says it is the confirmation.
    assert has(html, "form", method="post") and has(html, None, name="confirm", value="yes")
    assert Assignment.objects.filter(pk=world["assignment"].pk).exists()


def test_confirmation_page_for_an_unstarted_assignment(teacher_client, teacher):
    question_set = factories.question_set(teacher, [factories.single_choice()], visibility="private")
    classroom = Classroom.objects.create(teacher=teacher, name="Quiet")
    assignment = Assignment.objects.create(classroom=classroom, question_set=question_set)
    html = teacher_client.get(unassign_url(assignment)).content.decode()
    assert "No student has started it yet." in html and "they can no longer start it" in html


def test_a_post_without_the_confirmation_only_asks(world):
    response = world["teacher"].post(unassign_url(world["assignment"]))
    assert response.status_code == 200 and "2 students have started it" in response.content.decode()
    assert Assignment.objects.filter(pk=world["assignment"].pk).exists()


def test_confirmed_unassign_keeps_the_attempts(world):
    response = world["teacher"].post(unassign_url(world["assignment"]), {"confirm": "yes"})
    assert response["Location"] == reverse("quiz:class_detail", args=[world["class"].pk])
    assert "Students’ attempts are kept" in last_message(response)
    assert not Assignment.objects.exists()
    kept = Attempt.objects.filter(pk__in=[world["finished"].pk, world["open"].pk])
    assert kept.count() == 2 and not kept.filter(assignment__isnull=False).exists()


def test_foreign_and_tampered_ids_change_nothing(world, other_teacher, student):
    url = unassign_url(world["assignment"])
    stranger = Client()
    stranger.force_login(other_teacher)
    for method, data in (("get", None), ("post", {"confirm": "yes"})):
        assert getattr(stranger, method)(url, data or {}).status_code == 404
        assert getattr(world["student"], method)(url, data or {}).status_code == 403
        missing = reverse("quiz:assignment_delete", args=[world["assignment"].pk + 1000])
        assert getattr(world["teacher"], method)(missing, data or {}).status_code == 404
    assert world["teacher"].post("/teach/assignments/abc/delete/", {"confirm": "yes"}).status_code == 404
    assert Assignment.objects.filter(pk=world["assignment"].pk).exists()
    assert Attempt.objects.filter(assignment=world["assignment"]).count() == 2


# --- Assigning again brings the students' work back --------------------------------------------


def test_reassigning_links_the_class_attempts_to_the_new_assignment(world):
    s = world
    # Seen (and cached) before unassigning.
    assert s["teacher"].get(reverse("quiz:assignment_results", args=[s["assignment"].pk])).context["analysed"] == 1
    s["teacher"].post(unassign_url(s["assignment"]), {"confirm": "yes"})
    response = assign(s["teacher"], s["class"], s["set"])
    assert response.status_code == 302
    assert (
        last_message(response)
        == "Assigned “Kirov” for 11A. 2 earlier attempts by students in 11A are back in its results."
    )
    new = Assignment.objects.get()
    assert set(Attempt.objects.filter(assignment=new).values_list("pk", flat=True)) == {s["finished"].pk, s["open"].pk}
    assert class_counts(s["teacher"], s["class"]) == [("Kirov", 2, 1)]
    page = s["teacher"].get(reverse("quiz:assignment_results", args=[new.pk]))
    assert page.context["analysed"] == 1
    assert sorted(row.status for row in page.context["students"]) == ["Done", "In progress"]
    # The student's home shows the set as done, not "Not started / Start".
    home = s["student"].get("/").content.decode()
    assert "Done – best 100%" in home and "Try again" in home
    assert "Not started" not in home


def test_reassigning_links_an_unfinished_attempt_so_home_says_continue(world, other_student):
    s = world
    s["teacher"].post(unassign_url(s["assignment"]), {"confirm": "yes"})
    assign(s["teacher"], s["class"], s["set"])
    other = Client()
    other.force_login(other_student)
    home = other.get("/").content.decode()
    assert "In progress" in home and "Continue" in home and "Not started" not in home


def test_relinking_leaves_other_students_sets_and_modes_alone(world, teacher, student):
    s = world
    s["teacher"].post(unassign_url(s["assignment"]), {"confirm": "yes"})
    outsider = make_user("outsider")
    elsewhere = Attempt.objects.create(student=outsider, question_set=s["set"], title="t", question_count=2)
    other_set = factories.question_set(teacher, [factories.single_choice()], visibility="private")
    other = Attempt.objects.create(student=student, question_set=other_set, title="t", question_count=1)
    practice = Attempt.objects.create(
        student=student, mode=Attempt.Mode.PRACTICE, question_set=s["set"], title="t", question_count=1
    )
    # The student's own go at the set, never part of an assignment (as at a public set): not the teacher's.
    own = Attempt.objects.create(student=student, question_set=s["set"], title="t", question_count=2)
    assign(s["teacher"], s["class"], s["set"])
    kept_apart = [elsewhere.pk, other.pk, practice.pk, own.pk]
    assert Attempt.objects.filter(pk__in=kept_apart, assignment__isnull=False).count() == 0
    assert Attempt.objects.filter(assignment__isnull=False).count() == 2


def test_relinking_changes_the_results_version_so_the_cache_is_not_reused(world, other_student):
    """An assignment that is still there with an attempt left unlinked from this class:
    assigning it again links it, and the cached results are not reused."""
    s = world
    assignment = s["assignment"]
    Attempt.objects.filter(pk=s["open"].pk).update(assignment=None, unassigned_from=s["class"])
    url = reverse("quiz:assignment_results", args=[assignment.pk])
    before = results.answers_version(assignment)
    assert [r.status for r in s["teacher"].get(url).context["students"] if r.pk == other_student.pk] == ["Not started"]
    response = assign(s["teacher"], s["class"], s["set"])
    assert (
        last_message(response)
        == "“Kirov” was already assigned for 11A. 1 earlier attempt by students in 11A is back in its results."
    )
    assert results.answers_version(assignment) != before
    rows = {r.pk: r for r in s["teacher"].get(url).context["students"]}
    assert rows[other_student.pk].status == "In progress"


# --- A blank due date keeps the existing one; the message says what happened -----------------


def test_reassign_with_a_blank_due_date_keeps_it_and_says_nothing_changed(teacher_client, teacher):
    question_set = factories.question_set(teacher, [factories.single_choice()], visibility="private", title="Kirov")
    classroom = Classroom.objects.create(teacher=teacher, name="11A")
    due = in_days(7)
    first = assign(teacher_client, classroom, question_set, due_at=due)
    assert last_message(first).startswith("Assigned “Kirov” for 11A, due ")
    again = assign(teacher_client, classroom, question_set, due_at="")
    assert last_message(again) == "“Kirov” is already assigned for 11A; nothing changed."
    assert timezone.localtime(Assignment.objects.get().due_at).strftime("%Y-%m-%dT%H:%M") == due
    # The set editor's form keeps it too.
    teacher_client.post(reverse("quiz:set_assign", args=[question_set.pk]), {"classroom": classroom.pk, "due_at": ""})
    assert timezone.localtime(Assignment.objects.get().due_at).strftime("%Y-%m-%dT%H:%M") == due


def test_changing_and_removing_the_due_date_are_explicit(teacher_client, teacher):
    question_set = factories.question_set(teacher, [factories.single_choice()], visibility="private", title="Kirov")
    classroom = Classroom.objects.create(teacher=teacher, name="11A")
    first = assign(teacher_client, classroom, question_set)
    assert last_message(first) == "Assigned “Kirov” for 11A."
    later = in_days(9)
    changed = assign(teacher_client, classroom, question_set, due_at=later)
    assert last_message(changed).startswith("Changed the due date of “Kirov” for 11A to ")
    assert timezone.localtime(Assignment.objects.get().due_at).strftime("%Y-%m-%dT%H:%M") == later
    # Both at once is refused, and nothing changes.
    both = assign(teacher_client, classroom, question_set, due_at=in_days(3), no_due="on")
    assert both.status_code == 400 and "Choose a due date or tick “No due date”, not both." in both.content.decode()
    assert Assignment.objects.get().due_at is not None
    removed = assign(teacher_client, classroom, question_set, no_due="on")
    assert last_message(removed) == "Removed the due date of “Kirov” for 11A."
    assert Assignment.objects.get().due_at is None
    # From the set editor as well.
    teacher_client.post(
        reverse("quiz:set_assign", args=[question_set.pk]), {"classroom": classroom.pk, "due_at": later}
    )
    teacher_client.post(reverse("quiz:set_assign", args=[question_set.pk]), {"classroom": classroom.pk, "no_due": "on"})
    assert Assignment.objects.get().due_at is None


def test_both_assign_forms_offer_no_due_date(teacher_client, teacher):
    question_set = factories.question_set(teacher, [factories.single_choice()], visibility="private")
    classroom = Classroom.objects.create(teacher=teacher, name="11A")
    for url in (reverse("quiz:class_detail", args=[classroom.pk]), reverse("quiz:set_detail", args=[question_set.pk])):
        html = teacher_client.get(url).content.decode()
        assert has(html, "input", name="no_due") and "keeps its due date" in html
        assert any(text_of(label).endswith("No due date") for label in find_all(html, "label"))


# --- An empty set cannot be assigned ------------------------------------------------------------


def test_an_empty_set_is_refused_from_both_forms(teacher_client, teacher):
    empty = factories.question_set(teacher, [], visibility="private", title="Empty")
    classroom = Classroom.objects.create(teacher=teacher, name="11A")
    response = assign(teacher_client, classroom, empty)
    assert response.status_code == 400
    assert "“Empty” cannot be assigned: it has no questions yet" in response.content.decode()
    response = teacher_client.post(reverse("quiz:set_assign", args=[empty.pk]), {"classroom": classroom.pk})
    assert response.status_code == 400 and "it has no questions yet" in response.content.decode()
    assert not Assignment.objects.exists()


def test_a_set_of_retired_questions_is_refused_and_an_existing_assignment_is_left_alone(teacher_client, teacher):
    question = factories.single_choice()
    question_set = factories.question_set(teacher, [question], visibility="private", title="Retired")
    classroom = Classroom.objects.create(teacher=teacher, name="11A")
    due = in_days(5)
    assign(teacher_client, classroom, question_set, due_at=due)
    question.is_retired = True
    question.save()
    response = assign(teacher_client, classroom, question_set, no_due="on")
    assert response.status_code == 400 and "all its questions are retired" in response.content.decode()
    assert timezone.localtime(Assignment.objects.get().due_at).strftime("%Y-%m-%dT%H:%M") == due
