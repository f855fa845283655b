"""Results: per-student scores, item analysis with flags, per-student progress, CSV export,
and query counts that do not grow with the class."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quiz.models import Assignment, Attempt, Classroom, Enrollment
from quiz.teaching.item_analysis import FLAG_DISTRACTOR_BEATS_KEY, FLAG_NEGATIVE_DISCRIMINATION
from quiz.teaching.results import safe_cell
from tests import factories
from tests.factories import make_user, recorded_attempt, students
from tests.taking_support import answer_data, answer_url

NOW = timezone.now()


@pytest.fixture
def scenario(teacher):
    """Four questions, four students who finished, one who has not, one still going.
    Question 2 is broken: the three strongest students chose distractor B, the weakest the key."""
    questions = [factories.single_choice(f"Question {i}?", (f"A{i}", f"B{i}", f"C{i}"), correct=0) for i in range(1, 5)]
    question_set = factories.question_set(teacher, questions, visibility="private", title="Kirov quiz")
    classroom = Classroom.objects.create(teacher=teacher, name="11A")
    assignment = Assignment.objects.create(classroom=classroom, question_set=question_set)
    opts = [{o.text[0]: o for o in q.options.all()} for q in questions]
    s1, s2, s3, s4, s5, s6 = students(6)
    for s in (s1, s2, s3, s4, s5, s6):
        Enrollment.objects.create(classroom=classroom, student=s)
    R, W = "A", "B"
    grid = {s1: [R, W, R, R], s2: [R, W, R, R], s3: [R, W, R, W], s4: [W, R, W, W]}
    for student, marks in grid.items():
        recorded_attempt(
            student, assignment, [opts[i][m] for i, m in enumerate(marks)], started=NOW - datetime.timedelta(hours=3)
        )
    # s1 tries again later and does worse: best 75%, latest 25%; time adds up to 8 minutes.
    recorded_attempt(s1, assignment, [opts[0]["A"], opts[1]["C"], opts[2]["C"], None], minutes=3)
    recorded_attempt(s6, assignment, [opts[0]["A"], None, None, None], finished=False)
    return {
        "assignment": assignment,
        "questions": questions,
        "students": (s1, s2, s3, s4, s5, s6),
        "classroom": classroom,
    }


def test_results_per_student(teacher_client, scenario):
    response = teacher_client.get(reverse("quiz:assignment_results", args=[scenario["assignment"].pk]))
    assert response.status_code == 200
    rows = {row.username: row for row in response.context["students"]}
    assert rows["s001"].best == "75%" and rows["s001"].latest == "25%" and rows["s001"].time == "8 min 00 s"
    assert rows["s001"].attempts_finished == 2 and rows["s001"].status == "Done"
    assert rows["s004"].best == rows["s004"].latest == "25%"
    assert rows["s005"].status == "Not started" and rows["s005"].best == ""
    assert rows["s006"].status == "In progress"


def test_item_analysis_and_flags(teacher_client, scenario):
    response = teacher_client.get(reverse("quiz:assignment_results", args=[scenario["assignment"].pk]))
    items = response.context["items"]
    assert response.context["analysed"] == 4  # first finished attempts only
    assert [i.facility_percent for i in items] == [75, 25, 75, 50]
    assert [i.stats.discrimination for i in items] == [1.0, -1.0, 1.0, 1.0]
    broken = items[1]
    assert broken.stats.flags == [FLAG_NEGATIVE_DISCRIMINATION, FLAG_DISTRACTOR_BEATS_KEY]
    assert [(o.text, n) for o, n in broken.distractors] == [("B2", 3)]
    assert all(not i.stats.flags for i in items if i is not broken)
    html = response.content.decode()
    # The flags are visible words with an icon, not colour alone.
    assert html.count(FLAG_NEGATIVE_DISCRIMINATION) == 1 and html.count(FLAG_DISTRACTOR_BEATS_KEY) == 1
    assert "1 question may be broken" in html
    assert "upper–lower group method" in html


def test_results_csv(teacher_client, scenario):
    s1 = scenario["students"][0]
    s1.first_name, s1.last_name = '=HYPERLINK("http://evil")', "Smith"
    s1.save()
    response = teacher_client.get(reverse("quiz:assignment_csv", args=[scenario["assignment"].pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:6] == ["Username", "Name", "Status", "Attempts started", "Attempts finished", "Best score"]
    assert len(rows) == 1 + 6
    by_user = {row[0]: row for row in rows[1:]}
    assert by_user["s001"][1] == '\'=HYPERLINK("http://evil") Smith'
    assert by_user["s001"][2:8] == ["Done", "2", "2", "75%", "25%", "8 min 00 s"]
    assert by_user["s005"][2] == "Not started"


@pytest.mark.parametrize(
    "value,expected",
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Ann", "Ann"),
        (None, ""),
        (3, "3"),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_student_progress_and_weakest_topics(teacher_client, teacher):
    kirov, yagoda = factories.figure("Kirov"), factories.figure("Yagoda")
    murder = factories.event("Kirov's murder")
    q1 = factories.single_choice("On Kirov?", figures=[kirov], events=[murder])
    q2 = factories.single_choice("On Yagoda?", figures=[yagoda])
    question_set = factories.question_set(teacher, [q1, q2], visibility="private", title="Topics")
    classroom = Classroom.objects.create(teacher=teacher, name="11A")
    assignment = Assignment.objects.create(classroom=classroom, question_set=question_set)
    (student,) = students(1)
    Enrollment.objects.create(classroom=classroom, student=student)
    right = lambda q: q.options.get(is_correct=True)  # noqa: E731
    wrong = lambda q: q.options.filter(is_correct=False).first()  # noqa: E731
    recorded_attempt(student, assignment, [wrong(q1), right(q2)])
    # Practice outside the teacher's assignments is not shown to the teacher.
    elsewhere = make_user("elsewhere", teacher=True)
    other = Assignment.objects.create(
        classroom=Classroom.objects.create(teacher=elsewhere, name="X"), question_set=question_set
    )
    recorded_attempt(student, other, [wrong(q1), wrong(q2)])
    page = teacher_client.get(reverse("quiz:class_student", args=[classroom.pk, student.pk]))
    assert page.status_code == 200
    figures = page.context["figures"]
    assert [(f["question__figures__name"], f["correct"], f["total"]) for f in figures] == [
        ("Kirov Full", 0, 1),
        ("Yagoda Full", 1, 1),
    ]
    assert [(e["question__events__name"], e["total"]) for e in page.context["events"]] == [("Kirov's murder", 1)]
    html = page.content.decode()
    assert "Topics" in html and "Done – best 50%" in html


def queries_for(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200
    return len(ctx.captured_queries)


def test_results_query_count_is_constant_in_students(teacher_client, teacher):
    questions = [factories.single_choice(f"Q{i}?") for i in range(5)]
    question_set = factories.question_set(teacher, questions, visibility="private")

    def build(n, name):
        classroom = Classroom.objects.create(teacher=teacher, name=name)
        assignment = Assignment.objects.create(classroom=classroom, question_set=question_set)
        for i, student in enumerate(students(n, prefix=name)):
            Enrollment.objects.create(classroom=classroom, student=student)
            options = [list(q.options.all())[i % 3] for q in questions]
            recorded_attempt(student, assignment, options)
            if i % 2:
                recorded_attempt(student, assignment, options[::-1], started=NOW - datetime.timedelta(minutes=30))
        return assignment, classroom

    small, small_class = build(5, "a")
    big, big_class = build(60, "b")
    for name in ("quiz:assignment_results", "quiz:assignment_csv"):
        assert queries_for(teacher_client, reverse(name, args=[small.pk])) == queries_for(
            teacher_client, reverse(name, args=[big.pk])
        )
    assert queries_for(teacher_client, reverse("quiz:class_detail", args=[small_class.pk])) == queries_for(
        teacher_client, reverse("quiz:class_detail", args=[big_class.pk])
    )
    big_student = big_class.students.first()
    small_student = small_class.students.first()
    assert queries_for(
        teacher_client, reverse("quiz:class_student", args=[small_class.pk, small_student.pk])
    ) == queries_for(teacher_client, reverse("quiz:class_student", args=[big_class.pk, big_student.pk]))
    home_before = queries_for(teacher_client, reverse("quiz:teacher_home"))
    for i in range(10):
        factories.question_set(teacher, questions[:2], visibility="private", title=f"More {i}")
        Classroom.objects.create(teacher=teacher, name=f"More {i}")
    assert queries_for(teacher_client, reverse("quiz:teacher_home")) == home_before


def test_results_through_the_real_student_flow(client, teacher, student):
    """The student starts from the home page, answers over HTTP, finishes; the teacher sees it."""
    q1, q2 = factories.single_choice("One?"), factories.single_choice("Two?")
    question_set = factories.question_set(teacher, [q1, q2], visibility="private", title="Real flow")
    classroom = Classroom.objects.create(teacher=teacher, name="11A")
    assignment = Assignment.objects.create(classroom=classroom, question_set=question_set)
    Enrollment.objects.create(classroom=classroom, student=student)
    client.force_login(student)
    client.post(reverse("quiz:start_set", args=[question_set.pk]), {"assignment": assignment.pk})
    attempt = Attempt.objects.get()
    for item in attempt.items.select_related("question").order_by("position"):
        client.post(answer_url(attempt, item.position), answer_data(item, correct=item.position == 1))
    client.post(reverse("quiz:finish", args=[attempt.pk]))
    client.force_login(teacher)
    response = client.get(reverse("quiz:assignment_results", args=[assignment.pk]))
    (row,) = response.context["students"]
    assert row.status == "Done" and row.best == "50%"
    assert [i.facility_percent for i in response.context["items"]] == [100, 0]
