"""The assignment results page caches its expensive figures (per-student aggregates, item
analysis) keyed by a version of the assignment's attempts. These tests check that whatever a
teacher must see shows at once: a new answer, a finished attempt, a new attempt, a deleted
attempt, a student leaving, an edited question; and that the cache is really used, by the
page and by its CSV alike."""

import csv
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quiz.models import Assignment, Attempt, Classroom, Enrollment
from tests import factories
from tests.factories import make_user
from tests.taking_support import answer_data, answer_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(teacher, student):
    q1, q2, q3 = (factories.single_choice(f"Question {n}?", ("Right", "Wrong", "Other"), correct=0) for n in (1, 2, 3))
    question_set = factories.question_set(teacher, [q1, q2, q3], visibility="private", title="Cached")
    classroom = Classroom.objects.create(teacher=teacher, name="11A")
    assignment = Assignment.objects.create(classroom=classroom, question_set=question_set)
    Enrollment.objects.create(classroom=classroom, student=student)
    teacher_client, student_client = Client(), Client()
    teacher_client.force_login(teacher)
    student_client.force_login(student)
    return {
        "assignment": assignment,
        "classroom": classroom,
        "questions": (q1, q2, q3),
        "teacher": teacher_client,
        "student": student_client,
        "url": reverse("quiz:assignment_results", args=[assignment.pk]),
    }


def start(s):
    s["student"].post(
        reverse("quiz:start_set", args=[s["assignment"].question_set_id]), {"assignment": s["assignment"].pk}
    )
    return Attempt.objects.filter(assignment=s["assignment"]).latest("pk")


def answer(s, attempt, position, correct):
    item = attempt.items.select_related("question").get(position=position)
    response = s["student"].post(
        answer_url(attempt, position), answer_data(item, correct=correct), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200


def results(s):
    response = s["teacher"].get(s["url"])
    assert response.status_code == 200
    return response


def only_row(response):
    (row,) = response.context["students"]
    return row


def test_each_new_answer_shows_at_once(setup):
    s = setup
    assert only_row(results(s)).status == "Not started"
    attempt = start(s)
    assert only_row(results(s)).status == "In progress"
    answer(s, attempt, 1, correct=True)
    answer(s, attempt, 2, correct=False)
    # Seen while in progress (and so cached), then the last answer finishes the attempt.
    assert only_row(results(s)).status == "In progress"
    answer(s, attempt, 3, correct=True)
    response = results(s)
    row = only_row(response)
    assert row.status == "Done" and row.best == row.latest == "67%"
    assert response.context["analysed"] == 1
    assert [i.facility_percent for i in response.context["items"]] == [100, 0, 100]
    assert "67%" in response.content.decode()


def test_a_second_attempt_changes_latest_and_item_analysis_keeps_first(setup):
    s = setup
    first = start(s)
    for position in (1, 2, 3):
        answer(s, first, position, correct=True)
    assert only_row(results(s)).latest == "100%"
    second = start(s)
    assert second.pk != first.pk
    answer(s, second, 1, correct=False)
    row = only_row(results(s))
    assert "(+1 open)" in results(s).content.decode() and row.attempts_started == 2
    for position in (2, 3):
        answer(s, second, position, correct=False)
    response = results(s)
    row = only_row(response)
    assert row.best == "100%" and row.latest == "0%" and row.attempts_finished == 2
    # Item analysis counts each student's first finished attempt only.
    assert [i.facility_percent for i in response.context["items"]] == [100, 100, 100]


def test_finishing_early_and_deleting_an_attempt_show_at_once(setup):
    s = setup
    attempt = start(s)
    answer(s, attempt, 1, correct=True)
    assert only_row(results(s)).status == "In progress"
    s["student"].post(reverse("quiz:finish", args=[attempt.pk]))
    row = only_row(results(s))
    assert row.status == "Done" and row.best == "33%"
    Attempt.objects.filter(pk=attempt.pk).delete()
    response = results(s)
    assert only_row(response).status == "Not started"
    assert response.context["analysed"] == 0


def test_names_roster_and_questions_are_read_fresh(setup, student):
    s = setup
    attempt = start(s)
    for position in (1, 2, 3):
        answer(s, attempt, position, correct=position != 2)
    html = results(s).content.decode()
    assert "(left the class)" not in html
    student.first_name, student.last_name = "Sergei", "Kirov"
    student.save()
    Enrollment.objects.filter(student=student).delete()
    response = results(s)
    html = response.content.decode()
    assert "Sergei Kirov" in html and "(left the class)" in html
    # A question nobody has answered yet may still be edited; its new key shows at once.
    q4 = factories.single_choice("Question 4?", ("Alpha", "Beta"), correct=0)
    s["assignment"].question_set.items.create(question=q4, position=4)
    items = results(s).context["items"]
    assert items[-1].question == q4 and items[-1].key_text == "Alpha" and items[-1].stats.responses == 0
    q4.options.update(is_correct=False)
    q4.options.filter(text="Beta").update(is_correct=True)
    assert results(s).context["items"][-1].key_text == "Beta"


def test_new_student_joining_shows_at_once(setup):
    s = setup
    assert len(results(s).context["students"]) == 1
    newcomer = make_user("newcomer")
    Enrollment.objects.create(classroom=s["classroom"], student=newcomer)
    rows = {r.username: r for r in results(s).context["students"]}
    assert len(rows) == 2 and rows["newcomer"].status == "Not started"


def test_repeat_views_use_the_cache(setup):
    s = setup
    attempt = start(s)
    for position in (1, 2, 3):
        answer(s, attempt, position, correct=True)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            results(s)
        return len(ctx.captured_queries)

    cold = count()
    warm = count()
    # Per-student figures, first finished attempts and their answers come from the cache.
    assert warm == cold - 3
    answer_after = start(s)
    answer(s, answer_after, 1, correct=False)
    assert count() == cold
    assert count() == warm


def test_the_csv_shows_the_pages_cached_figures_and_new_answers_at_once(setup):
    s = setup
    csv_url = reverse("quiz:assignment_csv", args=[s["assignment"].pk])

    def csv_rows():
        with CaptureQueriesContext(connection) as ctx:
            response = s["teacher"].get(csv_url)
        header, *rows = csv.reader(io.StringIO(response.content.decode()))
        return [dict(zip(header, row)) for row in rows], len(ctx.captured_queries)

    attempt = start(s)
    answer(s, attempt, 1, correct=True)
    page_row = only_row(results(s))
    ([row], warm) = csv_rows()
    assert row["Status"] == page_row.status == "In progress"
    cache.clear()
    (_, cold) = csv_rows()
    # The per-student figures the page cached are the CSV's too.
    assert warm == cold - 1
    answer(s, attempt, 2, correct=False)
    answer(s, attempt, 3, correct=True)
    ([row], _) = csv_rows()
    page_row = only_row(results(s))
    assert [row["Status"], row["Best score"], row["Latest score"], row["Time spent"]] == [
        page_row.status,
        page_row.best,
        page_row.latest,
        page_row.time,
    ]
    assert row["Status"] == "Done" and row["Best score"] == "67%"
