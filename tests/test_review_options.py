"""Review options: what a student sees of their attempt, and when (quiz/review_options.py).

The findings these tests pin down: "Stop here and see my results" showed the right answer of
every unanswered question, sets allowed unlimited attempts by default (collect the key, retake
for a perfect score), and "feedback only at the end" leaked through My progress and the review
queue while the attempt was open.
"""

import datetime
import html as html_lib

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertInHTML

from quiz.models import Answer, Assignment, Attempt, AttemptItem, Classroom, Enrollment, QuestionSet, ReviewCard
from tests import factories as f
from tests.factories import make_user
from tests.html_support import find_all, has
from tests.set_form_support import create_set
from tests.taking_support import HTMX, answer_data, answer_url

pytestmark = pytest.mark.django_db

KEY = "Kirov"  # the right answer of every question below
WHY = "Because the interview says so."


def text(response):
    return html_lib.unescape(response.content.decode())


def questions(n=3, figure=None):
    figures = [figure] if figure else []
    return [f.single_choice(f"Question number {i}: who led Leningrad?", figures=figures) for i in range(1, n + 1)]


def start(client, question_set):
    response = client.post(f"/quizzes/{question_set.pk}/start/")
    assert response.status_code == 302, text(response)
    assert "/attempts/" in response.url, response.url
    client.get(response.url)  # the browser shows the first question
    return Attempt.objects.get(pk=int(response.url.strip("/").split("/")[-1]))


def answer(client, attempt, position, *, correct, htmx=True):
    item = AttemptItem.objects.select_related("question").get(attempt=attempt, position=position)
    return client.post(answer_url(attempt, position), answer_data(item, correct=correct), **(HTMX if htmx else {}))


def take(client, question_set, results):
    """Start the set and answer in order (True right, False wrong); finishes when all are answered."""
    attempt = start(client, question_set)
    for position, correct in enumerate(results, start=1):
        answer(client, attempt, position, correct=correct)
    attempt.refresh_from_db()
    return attempt


def summary(client, attempt):
    response = client.get(f"/attempts/{attempt.pk}/summary/")
    assert response.status_code == 200
    return text(response)


def start_and_stop(client, user, question_set):
    """`user` starts the set and finishes it at once, answering nothing."""
    client.force_login(user)
    attempt = start(client, question_set)
    client.post(f"/attempts/{attempt.pk}/finish/")
    return attempt


def assert_key_withheld(client, attempt):
    page = summary(client, attempt)
    assert KEY not in page and WHY not in page


def assigned(question_set, student, *, due=None):
    classroom = Classroom.objects.create(teacher=question_set.owner, name="9B")
    Enrollment.objects.create(classroom=classroom, student=student)
    return Assignment.objects.create(classroom=classroom, question_set=question_set, due_at=due)


# --- Safe defaults --------------------------------------------------------------------------------


def test_a_new_set_allows_one_attempt_and_keeps_the_answers_until_it_is_used(teacher_client, teacher):
    form = text(teacher_client.get(reverse("quiz:set_create")))
    assert has(form, None, name="max_attempts", value="1")
    (score_select,) = find_all(form, "select", name="show_score")
    assertInHTML('<option value="each_question" selected>After each question</option>', str(score_select))
    (answers_select,) = find_all(form, "select", name="show_answers")
    assert has(answers_select, "option", value="after_close", selected=True)
    assert "Students see the right answers and explanations" in form
    assert "collect the right answers and retake the set" in form
    # What the browser posts back unchanged.
    defaults = {
        "title": "Homework",
        "visibility": "class",
        "shuffle_options": "on",
        "max_attempts": "1",
        "show_score": "each_question",
        "show_answers": "after_close",
    }
    assert teacher_client.post(reverse("quiz:set_create"), defaults).status_code == 302
    question_set = QuestionSet.objects.get(title="Homework")
    assert (question_set.max_attempts, question_set.show_score, question_set.show_answers) == (
        1,
        "each_question",
        "after_close",
    )


def test_answers_cannot_be_shown_before_the_score(teacher_client, teacher):
    response = create_set(teacher_client, title="Odd", max_attempts=1, show_score="never")
    assert response.status_code == 200
    assert "they cannot be shown before the score" in text(response)
    assert not QuestionSet.objects.exists()


def test_an_imported_set_gets_the_safe_defaults_too(teacher_client):
    gift = "::Q1:: Who led the Leningrad party? {=Kirov ~Yagoda ~Yezhov}\n"
    upload = teacher_client.post(
        reverse("quiz:interop_import"), {"file": _file("kirov.gift", gift), "format": "auto", "title": "Imported"}
    )
    token = upload.url.rstrip("/").split("/")[-1]
    teacher_client.post(reverse("quiz:interop_import_confirm"), {"token": token, "title": "Imported"})
    imported = QuestionSet.objects.get(title="Imported")
    assert (imported.max_attempts, imported.show_score, imported.show_answers) == (1, "each_question", "after_close")


def _file(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content.encode(), content_type="text/plain")


# --- Stopping early never hands over the key ---------------------------------------------------------


def test_stopping_early_shows_no_right_answer_for_the_questions_left(student_client, teacher):
    # Even a practice-style set (everything after each question, unlimited attempts) keeps the
    # key of an unanswered question: the student can still take the set.
    qs = f.question_set(teacher, questions(3), title="Practice set")
    attempt = start(student_client, qs)
    answer(student_client, attempt, 1, correct=False)
    student_client.post(f"/attempts/{attempt.pk}/finish/")
    page = summary(student_client, attempt)
    question_1, rest = page.split("Question number 2", 1)
    assert f"The right answer:</strong> {KEY}" in question_1 and WHY in question_1
    assert KEY not in rest and WHY not in rest
    assert "its right answer is shown once you can no longer take this quiz" in rest
    # Retaking does not reveal them either: a new attempt asks them again.
    again = start(student_client, qs)
    assert again.pk != attempt.pk


def test_once_no_attempts_are_left_the_unanswered_keys_are_shown(student_client, teacher):
    qs = f.question_set(teacher, questions(2), title="One go", max_attempts=1)
    attempt = start(student_client, qs)
    student_client.post(f"/attempts/{attempt.pk}/finish/")
    page = summary(student_client, attempt)
    assert f"The right answer:</strong> {KEY}" in page and WHY in page
    assert "Take “One go” again" not in page


# --- Answers after the attempts are used ---------------------------------------------------------------


def test_safe_defaults_show_right_or_wrong_then_the_answers_once_the_attempts_are_used(student_client, teacher):
    qs = f.question_set(teacher, questions(2), max_attempts=2, show_score="each_question", show_answers="after_close")
    attempt = start(student_client, qs)
    feedback = text(answer(student_client, attempt, 1, correct=False))
    assert "Incorrect" in feedback and "Your answer:</strong>" in feedback
    assert KEY not in feedback and WHY not in feedback
    assert "shown after the due date (or, if there is none, once you have used all your attempts)" in feedback
    assert KEY not in text(student_client.get(f"/attempts/{attempt.pk}/items/1/"))
    answer(student_client, attempt, 2, correct=True)

    first = summary(student_client, attempt)
    assert "50%" in first and KEY not in first.split("Question by question", 1)[1].replace(
        f"Your answer:</strong> {KEY}", ""
    )
    assert WHY not in first
    assert "Take “" in first  # one attempt left

    second = take(student_client, qs, [True, True])
    assert second.pk != attempt.pk
    # The last attempt is used: both attempts now show their answers.
    assert WHY in summary(student_client, second)
    assert f"The right answer:</strong> {KEY}" in summary(student_client, attempt)
    # ... and no third attempt.
    refused = student_client.post(f"/quizzes/{qs.pk}/start/", follow=True)
    assert "You have used all 2 attempts" in text(refused)


def test_after_the_due_date_the_answers_are_shown_and_the_set_cannot_be_retaken(student_client, student, teacher):
    qs = f.question_set(
        teacher, questions(2), visibility="class", show_score="each_question", show_answers="after_close"
    )
    assignment = assigned(qs, student, due=timezone.now() + datetime.timedelta(days=1))
    attempt = take(student_client, qs, [False, True])
    assert WHY not in summary(student_client, attempt)

    Assignment.objects.filter(pk=assignment.pk).update(due_at=timezone.now() - datetime.timedelta(minutes=1))
    page = summary(student_client, attempt)
    assert WHY in page and f"The right answer:</strong> {KEY}" in page
    assert "Take “" not in page
    refused = student_client.post(f"/quizzes/{qs.pk}/start/", follow=True)
    assert "is closed to you: its due date has passed" in text(refused)
    assert Attempt.objects.filter(student=student).count() == 1
    home = text(student_client.get("/")).split('id="home-assignments"')[1]
    assert "Closed" in home and "Try again" not in home


def test_never_shows_neither_score_nor_answers(student_client, student, teacher):
    qs = f.question_set(teacher, questions(2), max_attempts=1, show_score="never", show_answers="never")
    attempt = start(student_client, qs)
    feedback = text(answer(student_client, attempt, 1, correct=False))
    assert "Answer recorded" in feedback and "Incorrect" not in feedback and KEY not in feedback
    answer(student_client, attempt, 2, correct=True)
    page = summary(student_client, attempt)
    assert "not to show scores" in page and "%" not in page.split("Question by question")[0].split("score-card")[1]
    assert "Incorrect" not in page and "Correct" not in page and WHY not in page
    assert "What to review next" not in page


def test_a_teacher_releasing_the_answers_later_shows_them(client, student, teacher):
    qs = f.question_set(teacher, questions(2), max_attempts=3, show_score="never", show_answers="never")
    client.force_login(student)
    attempt = take(client, qs, [False, True])
    assert "not to show scores" in summary(client, attempt)

    client.force_login(teacher)
    response = client.post(
        reverse("quiz:set_settings", args=[qs.pk]),
        {
            "title": qs.title,
            "visibility": "public",
            "max_attempts": 3,
            "show_score": "after_attempt",
            "show_answers": "after_attempt",
        },
    )
    assert response.status_code == 302
    client.force_login(student)
    page = summary(client, attempt)
    assert "50%" in page and WHY in page
    # My progress counts it now, and the wrong answer is scheduled for review.
    assert "got 1 right (50%)" in text(client.get("/progress/"))
    assert ReviewCard.objects.filter(student=student).count() == 2


# --- Nothing about an open attempt's correctness, anywhere ---------------------------------------------


def test_at_end_feedback_leaks_neither_through_progress_nor_the_review_queue(student_client, student, teacher):
    kirov = f.figure("Kirov")
    qs = f.question_set(
        teacher, questions(3, figure=kirov), max_attempts=1, show_score="after_attempt", show_answers="after_attempt"
    )
    attempt = start(student_client, qs)
    answer(student_client, attempt, 1, correct=False)
    answer(student_client, attempt, 2, correct=True)

    progress = text(student_client.get("/progress/"))
    assert "1 of 2 right" not in progress and "0 of 1 right" not in progress and "(50%)" not in progress
    assert f'data-topic="{kirov.key}"' not in progress  # no mastery row from the open attempt
    assert "2 of 3 answered" in progress
    # No review card yet: its due date would tell a wrong answer (due in a minute) from a right one.
    assert not ReviewCard.objects.filter(student=student).exists()
    home = text(student_client.get("/"))
    assert "Review due: 0" in home
    assert student_client.post(reverse("quiz:review_start")).status_code == 302
    assert not Attempt.objects.filter(student=student, mode="review").exists()

    answer(student_client, attempt, 3, correct=True)
    progress = text(student_client.get("/progress/"))
    assert "2 of 3 right" in progress and "67%" in progress
    assert f'data-topic="{kirov.key}"' in progress
    cards = ReviewCard.objects.filter(student=student)
    assert cards.count() == 3 and all(card.reviews == 1 for card in cards)
    assert Answer.objects.filter(student=student, review_log__isnull=True).count() == 0


def test_the_home_page_gives_no_best_score_while_it_is_hidden(student_client, student, teacher):
    qs = f.question_set(
        teacher, questions(2), visibility="class", max_attempts=2, show_score="after_close", show_answers="after_close"
    )
    assigned(qs, student)
    take(student_client, qs, [True, False])
    home = text(student_client.get("/"))
    assert "Done – score not shown yet" in home and "best 50%" not in home
    take(student_client, qs, [True, True])
    assert "Done – best 100%" in text(student_client.get("/"))


def test_a_due_date_passing_shows_the_score_on_the_next_visit(student_client, student, teacher):
    qs = f.question_set(teacher, questions(2), visibility="class", show_score="after_close", show_answers="after_close")
    assignment = assigned(qs, student, due=timezone.now() + datetime.timedelta(hours=1))
    take(student_client, qs, [True, False])
    assert "got 1 right" not in text(student_client.get("/progress/"))
    assert not ReviewCard.objects.filter(student=student).exists()

    Assignment.objects.filter(pk=assignment.pk).update(due_at=timezone.now() - datetime.timedelta(seconds=1))
    # Nothing was written when the due date passed; the next page the student opens catches up.
    progress = text(student_client.get("/progress/"))
    assert "got 1 right (50%)" in progress
    assert ReviewCard.objects.filter(student=student).count() == 2


def test_the_quiz_page_says_when_scores_will_be_shown(student_client, teacher):
    qs = f.question_set(teacher, questions(2), max_attempts=1, show_score="after_close", show_answers="after_close")
    attempt = start(student_client, qs)
    page = text(student_client.get(f"/attempts/{attempt.pk}/"))
    assert "Score so far" not in page
    assert "scores are shown after the due date (or, if there is none, once you have used all your attempts)" in page
    listing = text(student_client.get("/quizzes/"))
    assert "scores are shown after the due date (with no due date: once no attempts are left)" in listing


def test_a_due_date_wins_over_the_attempt_limit(client, student, teacher):
    # One attempt used, the due date still ahead: nothing of the key yet, not even through a
    # classmate's second account that has "used its attempt" by stopping at once.
    qs = f.question_set(teacher, questions(2), visibility="class", max_attempts=1, show_answers="after_close")
    assignment = assigned(qs, student, due=timezone.now() + datetime.timedelta(days=1))
    throwaway = make_user("sandro2")
    Enrollment.objects.create(classroom=assignment.classroom, student=throwaway)
    attempt = start_and_stop(client, throwaway, qs)
    assert_key_withheld(client, attempt)

    Assignment.objects.filter(pk=assignment.pk).update(due_at=timezone.now() - datetime.timedelta(seconds=1))
    page = summary(client, attempt)
    assert f"The right answer:</strong> {KEY}" in page and WHY in page


def test_a_set_whose_answers_are_out_stays_closed_when_a_later_due_date_would_reopen_it(client, student, teacher):
    qs = f.question_set(teacher, questions(2), visibility="class", max_attempts=3, show_answers="after_close")
    first_class = assigned(qs, student, due=timezone.now() + datetime.timedelta(hours=1))
    client.force_login(student)
    attempt = take(client, qs, [True, False])
    Assignment.objects.filter(pk=first_class.pk).update(due_at=timezone.now() - datetime.timedelta(seconds=1))
    assert WHY in summary(client, attempt)  # the answers are out to this student

    # The teacher assigns the set to a second class of theirs, due later; the student joins it.
    second_class = Classroom.objects.create(teacher=teacher, name="9C")
    Assignment.objects.create(
        classroom=second_class, question_set=qs, due_at=timezone.now() + datetime.timedelta(days=2)
    )
    response = client.post(reverse("quiz:join_class"), {"code": second_class.join_code})
    assert response.status_code == 302
    refused = client.post(f"/quizzes/{qs.pk}/start/", follow=True)
    assert "is closed to you" in text(refused)
    assert Attempt.objects.filter(student=student).count() == 1


def test_a_deleted_set_shows_no_key_of_its_unanswered_questions(client, student, teacher):
    shared = questions(2)
    kept = f.question_set(teacher, shared, title="Kept", max_attempts=1, show_answers="after_close")
    doomed = f.question_set(teacher, shared, title="Doomed", max_attempts=1, show_answers="after_close")
    client.force_login(student)
    start(client, kept)  # open, answers withheld
    attempt = start(client, doomed)
    doomed.delete()
    client.post(f"/attempts/{attempt.pk}/finish/")
    assert_key_withheld(client, attempt)


def test_a_public_set_also_assigned_waits_for_its_due_date_for_everyone(client, student, teacher):
    # An account outside the class takes the public set and stops at once: nothing before the
    # class's due date (it would reach the class within the minute).
    qs = f.question_set(teacher, questions(2), visibility="public", max_attempts=1, show_answers="after_close")
    assignment = assigned(qs, student, due=timezone.now() + datetime.timedelta(days=3))
    outsider = make_user("outsider")
    attempt = start_and_stop(client, outsider, qs)
    assert_key_withheld(client, attempt)
    Assignment.objects.filter(pk=assignment.pk).update(due_at=timezone.now() - datetime.timedelta(seconds=1))
    assert WHY in summary(client, attempt)


def test_a_second_class_without_a_due_date_does_not_release_the_answers(client, student, teacher):
    qs = f.question_set(teacher, questions(2), visibility="class", max_attempts=1, show_answers="after_close")
    assigned(qs, student, due=timezone.now() + datetime.timedelta(days=5))
    undated = Classroom.objects.create(teacher=teacher, name="7B")
    Assignment.objects.create(classroom=undated, question_set=qs)
    attempt = start_and_stop(client, student, qs)
    client.post(reverse("quiz:join_class"), {"code": undated.join_code})
    assert_key_withheld(client, attempt)


def test_removing_the_student_from_the_class_does_not_release_the_answers(client, student, teacher):
    qs = f.question_set(teacher, questions(2), visibility="class", max_attempts=1, show_answers="after_close")
    assignment = assigned(qs, student, due=timezone.now() + datetime.timedelta(days=5))
    attempt = start_and_stop(client, student, qs)
    client.force_login(teacher)
    client.post(reverse("quiz:class_remove_student", args=[assignment.classroom.pk]), {"student": student.pk})
    client.force_login(student)
    assert_key_withheld(client, attempt)
