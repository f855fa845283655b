"""Which questions a student may be served outside a set they are taking
(Question.objects.servable_to): quick practice, the review queue and the practice topic lists.

The finding: `POST /practice/` on a figure drew questions by topic only, so a question another
teacher wrote in a private set, tagged with that figure, was served to any student with its
right answer and explanation.
"""

import html as html_lib

import pytest
from django.urls import reverse
from django.utils import timezone

from quiz.models import Assignment, Attempt, Classroom, Enrollment, Question, ReviewCard
from tests import factories as f
from tests.factories import ago, take

pytestmark = pytest.mark.django_db


def text(response):
    return html_lib.unescape(response.content.decode())


@pytest.fixture
def kirov():
    return f.figure("Kirov")


def teacher_question(teacher, figure, prompt):
    return f.single_choice(prompt, figures=[figure], author=teacher, origin="teacher", explanation=f"Key of {prompt}")


def practised(client, figure):
    response = client.post(reverse("quiz:practice"), {"figure": figure.key})
    attempt = Attempt.objects.filter(mode="practice").order_by("-pk").first()
    return response, attempt


def served(attempt):
    return set(attempt.items.values_list("question__prompt", flat=True)) if attempt else set()


def test_practice_never_serves_a_question_from_another_teachers_private_set(student_client, other_teacher, kirov):
    bank = f.single_choice("Bank question on Kirov", figures=[kirov])
    secret = teacher_question(other_teacher, kirov, "Teacher B's exam question")
    f.question_set(other_teacher, [secret], visibility="private")
    response, attempt = practised(student_client, kirov)
    assert response.status_code == 302
    assert served(attempt) == {bank.prompt}
    page = text(student_client.get(f"/attempts/{attempt.pk}/"))
    assert "Teacher B's exam question" not in page


def test_practice_serves_teachers_questions_only_from_sets_open_to_the_student_with_answers_shown(
    student_client, student, teacher, other_teacher, kirov
):
    mine = Classroom.objects.create(teacher=teacher, name="9B")
    Enrollment.objects.create(classroom=mine, student=student)
    other_class = Classroom.objects.create(teacher=other_teacher, name="9C")

    public = teacher_question(teacher, kirov, "In a public practice set")
    f.question_set(teacher, [public], visibility="public")
    homework = teacher_question(teacher, kirov, "In my class's homework")
    Assignment.objects.create(classroom=mine, question_set=f.question_set(teacher, [homework], visibility="class"))
    theirs = teacher_question(other_teacher, kirov, "In another class's homework")
    Assignment.objects.create(
        classroom=other_class, question_set=f.question_set(other_teacher, [theirs], visibility="class")
    )
    exam = teacher_question(teacher, kirov, "In my class's exam, answers after the due date")
    exam_set = f.question_set(teacher, [exam], visibility="class", show_answers="after_close")
    Assignment.objects.create(classroom=mine, question_set=exam_set)
    hidden_public = teacher_question(teacher, kirov, "In a public set that never shows answers")
    f.question_set(teacher, [hidden_public], visibility="public", show_score="never", show_answers="never")

    _, attempt = practised(student_client, kirov)
    assert served(attempt) == {public.prompt, homework.prompt}
    assert set(Question.objects.servable_to(student).values_list("prompt", flat=True)) == {
        public.prompt,
        homework.prompt,
    }


def test_the_practice_lists_name_only_topics_with_questions_the_student_may_be_served(student_client, other_teacher):
    secret_topic = f.figure("Enukidze")
    f.question_set(other_teacher, [teacher_question(other_teacher, secret_topic, "Private one")], visibility="private")
    open_topic = f.figure("Yagoda")
    f.single_choice("Bank question on Yagoda", figures=[open_topic])
    page = text(student_client.get(reverse("quiz:sets")))
    assert "Yagoda Full (1 question)" in page
    assert "Enukidze" not in page
    response = student_client.post(reverse("quiz:practice"), {"figure": secret_topic.key}, follow=True)
    assert "There are no questions about Enukidze to practise yet" in text(response)
    assert not Attempt.objects.exists()


def test_the_review_queue_drops_questions_the_student_may_no_longer_be_served(student_client, student, teacher, kirov):
    classroom = Classroom.objects.create(teacher=teacher, name="9B")
    Enrollment.objects.create(classroom=classroom, student=student)
    homework = teacher_question(teacher, kirov, "Homework question")
    homework_set = f.question_set(teacher, [homework], visibility="class")
    assignment = Assignment.objects.create(classroom=classroom, question_set=homework_set)
    bank = f.single_choice("Bank question", figures=[kirov])
    take(student, [(homework, False), (bank, False)], when=ago(days=3))
    assert ReviewCard.objects.filter(student=student, due__lte=timezone.now()).count() == 2
    assert "Review due: 2" in text(student_client.get("/progress/"))

    # The teacher unassigns the set: its question is no longer the student's to see.
    assignment.delete()
    assert "Review due: 1" in text(student_client.get("/progress/"))
    assert "Review due: 1" in text(student_client.get("/"))
    student_client.post(reverse("quiz:review_start"))
    review = Attempt.objects.get(mode="review")
    assert served(review) == {"Bank question"}


def test_a_bank_question_is_not_practised_while_a_set_the_student_is_taking_keeps_its_answer(
    client, student, other_student, teacher, kirov
):
    bank = f.single_choice("Bank question in the exam", figures=[kirov])
    classroom = Classroom.objects.create(teacher=teacher, name="9B")
    Enrollment.objects.create(classroom=classroom, student=student)
    exam = f.question_set(teacher, [bank], visibility="class", max_attempts=1, show_answers="after_close")
    Assignment.objects.create(classroom=classroom, question_set=exam)

    client.force_login(student)
    response = client.post(reverse("quiz:practice"), {"figure": kirov.key}, follow=True)
    assert "There are no questions about Kirov to practise yet" in text(response)
    # A student of another class may practise it: the set is not theirs to take.
    client.force_login(other_student)
    _, attempt = practised(client, kirov)
    assert served(attempt) == {bank.prompt}

    # Once the student has used their attempt, the set has shown its answers: practice is open.
    client.force_login(student)
    client.post(f"/quizzes/{exam.pk}/start/")
    exam_attempt = Attempt.objects.get(student=student, mode="set")
    client.post(f"/attempts/{exam_attempt.pk}/finish/")
    assert bank in Question.objects.servable_to(student)


def test_another_teachers_copy_of_a_set_does_not_publish_its_questions(student_client, teacher, other_teacher, kirov):
    secret = teacher_question(teacher, kirov, "Original teacher's question")
    original = f.question_set(teacher, [secret], visibility="public", show_score="never", show_answers="never")
    copy = f.question_set(other_teacher, [secret], visibility="public", show_answers="each_question")
    assert original.pk != copy.pk
    response = student_client.post(reverse("quiz:practice"), {"figure": kirov.key}, follow=True)
    assert "Original teacher's question" not in text(response)
    assert not Attempt.objects.filter(mode="practice").exists()


def test_a_deleted_teachers_questions_stay_out_of_the_open_bank(client, student, teacher, other_teacher, kirov):
    secret = teacher_question(other_teacher, kirov, "Question of a teacher who left")
    f.question_set(other_teacher, [secret], visibility="private")
    other_teacher.delete()
    secret.refresh_from_db()
    assert secret.author is None
    client.force_login(student)
    response = client.post(reverse("quiz:practice"), {"figure": kirov.key}, follow=True)
    assert "Question of a teacher who left" not in text(response)
    client.force_login(teacher)
    bank = text(client.get(reverse("quiz:set_detail", args=[f.question_set(teacher, [], visibility="private").pk])))
    assert "Question of a teacher who left" not in bank


def test_a_practice_session_opened_before_an_assignment_skips_its_withheld_questions(
    student_client, student, teacher, kirov
):
    exam_question = f.single_choice("Bank question later in an exam", figures=[kirov])
    other = f.single_choice("Another bank question", figures=[kirov])
    _, practice = practised(student_client, kirov)
    assert served(practice) == {exam_question.prompt, other.prompt}

    classroom = Classroom.objects.create(teacher=teacher, name="9B")
    Enrollment.objects.create(classroom=classroom, student=student)
    exam = f.question_set(teacher, [exam_question], visibility="class", show_answers="after_close")
    Assignment.objects.create(classroom=classroom, question_set=exam)

    from tests.taking_support import answer_data

    first = text(student_client.get(f"/attempts/{practice.pk}/"))
    assert "Another bank question" in first and "Bank question later in an exam" not in first
    item = practice.items.get(question=other)
    student_client.post(f"/attempts/{practice.pk}/items/{item.position}/answer/", answer_data(item))
    # Nothing else may be served: the session ends, the withheld question never shown, its key not given.
    response = student_client.get(f"/attempts/{practice.pk}/", follow=True)
    assert response.redirect_chain[-1][0] == f"/attempts/{practice.pk}/summary/"
    assert practice.items.get(question=exam_question).shown_at is None
    assert (
        "Key of" not in text(response)
        and "The right answer:</strong> Kirov" not in text(response).split("Bank question later in an exam")[1]
    )


def test_an_answer_to_a_withheld_practice_question_is_refused(student_client, student, teacher, kirov):
    from tests.taking_support import HTMX, answer_data

    exam_question = f.single_choice("Bank question later in an exam", figures=[kirov])
    _, practice = practised(student_client, kirov)
    student_client.get(f"/attempts/{practice.pk}/")  # shown before the set was assigned
    classroom = Classroom.objects.create(teacher=teacher, name="9B")
    Enrollment.objects.create(classroom=classroom, student=student)
    Assignment.objects.create(
        classroom=classroom,
        question_set=f.question_set(teacher, [exam_question], visibility="class", show_answers="after_close"),
    )
    item = practice.items.get(question=exam_question)
    response = student_client.post(f"/attempts/{practice.pk}/items/{item.position}/answer/", answer_data(item), **HTMX)
    assert response.status_code == 409
    assert "no longer open to practice" in text(response)
    assert not Attempt.objects.get(pk=practice.pk).answered_count


def test_a_set_switched_to_keeping_its_answers_withholds_them_from_a_student_who_saw_none(
    client, student, teacher, kirov
):
    bank = f.single_choice("Bank question in a set", figures=[kirov])
    qs = f.question_set(teacher, [bank, f.single_choice("Second")], visibility="public")
    client.force_login(student)
    client.post(f"/quizzes/{qs.pk}/start/")  # started, nothing answered
    client.force_login(teacher)
    client.post(
        reverse("quiz:set_settings", args=[qs.pk]),
        {
            "title": qs.title,
            "visibility": "public",
            "max_attempts": 0,
            "show_score": "each_question",
            "show_answers": "after_close",
        },
    )
    assert bank not in Question.objects.servable_to(student)
