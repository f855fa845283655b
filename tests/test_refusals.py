"""Refusals: each kind (config/errors.py) answers with its one status (quiz/views/refusals.py)
and its message, on a plain request and an htmx one, on the pages where users meet it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains

from config.errors import ApplicationError, Conflict, Invalid, NotAllowed, NotFound
from quiz.answer_modes import BadAnswer
from quiz.attempts import CannotStart
from quiz.interop.common import ImportFailed
from quiz.models import Answer, Classroom, Enrollment
from quiz.scoring import NOT_SHOWN, AttemptClosed, NotShown, Withheld
from quiz.teaching.passwords import REFUSALS, ResetRefused
from quiz.views.refusals import status_for
from tests import factories as f
from tests.factories import make_user
from tests.taking_support import HTMX, answer_data, answer_url

pytestmark = pytest.mark.django_db


# --- The map ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "refusal, status",
    [
        (Invalid, 400),
        (NotAllowed, 403),
        (NotFound, 404),
        (Conflict, 409),
        (BadAnswer, 400),
        (ImportFailed, 400),
        (ResetRefused, 403),
        (AttemptClosed, 409),
        (NotShown, 409),
        (Withheld, 409),
        (CannotStart, 409),
    ],
)
def test_each_refusal_answers_with_its_kinds_status(refusal, status):
    assert status_for(refusal("Why.")) == status


def _all_refusals(cls=ApplicationError):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_refusals(sub)


def test_a_refusal_carries_its_message_and_nothing_about_http():
    refusals = list(_all_refusals())
    assert {BadAnswer, ImportFailed, ResetRefused, CannotStart, Withheld} <= set(refusals)
    for cls in refusals:
        assert vars(cls("Why.")) == {"message": "Why."}, cls


# --- A teacher's pages: a page, or the message alone for htmx -----------------------------


def _plain_and_htmx(client, method, url, data, status, message, back):
    send = client.post if method == "post" else client.get
    page = send(url, data)
    assert page.status_code == status
    assertContains(
        page,
        f'<p class="message message-error"><span aria-hidden="true">⚠</span> {message}</p>',
        status_code=status,
        html=True,
    )
    assertContains(page, f'<p>Nothing was changed. <a href="{back}">Go back</a></p>', status_code=status, html=True)
    fragment = send(url, data, **HTMX)
    assert fragment.status_code == status
    assert fragment["Content-Type"] == "text/plain; charset=utf-8"
    assert fragment.content.decode() == message


@pytest.fixture
def own_set(teacher):
    return f.question_set(teacher, [f.single_choice()], visibility="private")


def test_an_invalid_set_edit_is_400(teacher_client, own_set):
    url = reverse("quiz:set_add", args=[own_set.pk])
    back = reverse("quiz:set_detail", args=[own_set.pk])
    _plain_and_htmx(teacher_client, "post", url, {"question": "first"}, 400, "Choose a question from the bank.", back)


def test_a_question_not_in_the_set_is_404(teacher_client, own_set):
    elsewhere = f.single_choice("Not in the set")
    url = reverse("quiz:set_remove", args=[own_set.pk])
    back = reverse("quiz:set_detail", args=[own_set.pk])
    _plain_and_htmx(
        teacher_client, "post", url, {"question": elsewhere.pk}, 404, "That question is not in this set.", back
    )
    assert own_set.items.count() == 1


def test_adding_a_retired_question_conflicts_409(teacher_client, own_set):
    retired = f.single_choice("Retired", is_retired=True)
    url = reverse("quiz:set_add", args=[own_set.pk])
    back = reverse("quiz:set_detail", args=[own_set.pk])
    message = "That question has been retired and can no longer be added."
    _plain_and_htmx(teacher_client, "post", url, {"question": retired.pk}, 409, message, back)
    assert own_set.items.count() == 1


def test_resetting_a_deactivated_students_password_is_not_allowed_403(teacher_client, teacher):
    classroom = Classroom.objects.create(teacher=teacher, name="9B")
    gone = make_user("gone")
    Enrollment.objects.create(classroom=classroom, student=gone)
    gone.is_active = False
    gone.save()
    url = reverse("quiz:class_student_password", args=[classroom.pk, gone.pk])
    back = reverse("quiz:class_student", args=[classroom.pk, gone.pk])
    _plain_and_htmx(teacher_client, "get", url, {}, 403, REFUSALS["inactive"], back)
    _plain_and_htmx(teacher_client, "post", url, {}, 403, REFUSALS["inactive"], back)
    gone.refresh_from_db()
    assert gone.check_password("pw-for-tests-only")


# --- Answering: the page, or the message swapped in above the answer form -------------------


@pytest.fixture
def attempt(student_client):
    question_set = f.question_set(None, [f.single_choice(), f.single_choice("Who led Moscow?")])
    started = student_client.post(reverse("quiz:start_set", args=[question_set.pk]))
    student_client.get(started.url)  # shows question 1
    return question_set.attempts.get()


def _answer_refused(client, attempt, position, data, status, message):
    page = client.post(answer_url(attempt, position), data)
    fragment = client.post(answer_url(attempt, position), data, **HTMX)
    assert (page.status_code, fragment.status_code) == (status, status)
    assert fragment["HX-Retarget"] == "#answer-error"
    assertContains(fragment, f"<p><strong>Answer not accepted.</strong> {message}</p>", status_code=status, html=True)
    assert not Answer.objects.exists()
    return page


def test_an_invalid_answer_is_400_and_comes_back_in_its_form(student_client, attempt):
    message = "Choose one of the answers before submitting. Nothing was recorded."
    page = _answer_refused(student_client, attempt, 1, {}, 400, message)
    assertContains(page, f"<p><strong>Answer not accepted.</strong> {message}</p>", status_code=400, html=True)
    assertContains(page, 'name="choice"', status_code=400)


def test_an_answer_to_no_such_question_is_404(student_client, attempt):
    message = "This quiz has no question 9; nothing was recorded."
    page = _answer_refused(student_client, attempt, 9, {"choice": "x"}, 404, message)
    assertContains(
        page, f'<div class="message message-error" role="alert"><p>{message}</p></div>', status_code=404, html=True
    )


def test_an_answer_to_a_question_not_yet_shown_conflicts_409(student_client, attempt):
    data = answer_data(attempt.items.get(position=2), show=False)
    page = _answer_refused(student_client, attempt, 2, data, 409, NOT_SHOWN)
    assertContains(
        page, f'<div class="message message-error" role="alert"><p>{NOT_SHOWN}</p></div>', status_code=409, html=True
    )


def test_an_answer_to_a_finished_quiz_conflicts_409(student_client, attempt):
    student_client.post(reverse("quiz:finish", args=[attempt.pk]))
    message = "This quiz is finished, so it takes no more answers."
    _answer_refused(student_client, attempt, 1, answer_data(attempt.items.get(position=1)), 409, message)


# --- Pages that show the refusal in their own form ----------------------------------------


def test_joining_refusals_keep_their_kinds_status(client, teacher, student):
    classroom = Classroom.objects.create(teacher=teacher, name="9B")
    url = reverse("quiz:join_class")
    client.force_login(student)
    unknown = client.post(url, {"code": "NOSUCHCODE"})
    assertContains(unknown, "No class has the code “NOSUCHCODE”. Check it with your teacher.", status_code=404)
    client.force_login(teacher)
    own = client.post(url, {"code": classroom.join_code})
    assertContains(own, "You teach this class, so you cannot join it as a student.", status_code=400)
    assert not Enrollment.objects.exists()


def test_an_assignment_students_could_not_start_is_400_on_both_forms(teacher_client, teacher):
    classroom = Classroom.objects.create(teacher=teacher, name="9B")
    empty = f.question_set(teacher, [], title="Empty", visibility="private")
    message = "“Empty” cannot be assigned: it has no questions yet, so students could not start it."
    from_class = teacher_client.post(reverse("quiz:class_assign", args=[classroom.pk]), {"question_set": empty.pk})
    assertContains(from_class, message, status_code=400)
    from_set = teacher_client.post(reverse("quiz:set_assign", args=[empty.pk]), {"classroom": classroom.pk}, **HTMX)
    assert from_set.status_code == 400 and from_set.content.decode().startswith(message)
    assert not classroom.assignments.exists()


def test_a_file_that_cannot_be_imported_is_400(teacher_client):
    upload = SimpleUploadedFile("notes.pdf", b"Q? {=a ~b}", content_type="application/pdf")
    response = teacher_client.post(reverse("quiz:interop_import"), {"file": upload, "format": "auto"})
    message = "“notes.pdf” is not a GIFT (.gift or .txt) or Moodle XML (.xml) file."
    assertContains(response, message, status_code=400)
