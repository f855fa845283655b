"""Item analysis: the maths on small examples worked out by hand, and on the results page, no
flag until enough students have answered."""

import pytest
from django.urls import reverse

from quiz.models import Assignment, Classroom, Enrollment
from quiz.teaching.item_analysis import (
    FLAG_DISTRACTOR_BEATS_KEY,
    FLAG_NEGATIVE_DISCRIMINATION,
    MIN_RESPONSES_TO_JUDGE,
    Response,
    analyse,
    discrimination,
    facility,
    group_size,
    upper_lower_groups,
)
from tests import factories
from tests.factories import recorded_attempt, students

# Ten students; s1 scored highest (10) down to s10 (1).
TOTALS = {f"s{i:02d}": 11 - i for i in range(1, 11)}


def responses(question, correct_students, choices=None):
    choices = choices or {}
    return [Response(student, question, student in correct_students, choices.get(student)) for student in TOTALS]


def test_facility_is_share_correct():
    assert facility([True, False, True, True]) == 0.75
    assert facility([]) is None


@pytest.mark.parametrize("students,size", [(2, 1), (5, 1), (10, 3), (11, 3), (60, 16)])
def test_groups_are_27_percent_with_at_least_one(students, size):
    assert group_size(students) == size


def test_upper_and_lower_groups_rank_by_total():
    upper, lower = upper_lower_groups(TOTALS)
    assert upper == ["s01", "s02", "s03"]
    assert lower == ["s08", "s09", "s10"]


def test_discrimination_hand_computed():
    # Upper group s01-s03: s01, s02 right (2/3). Lower group s08-s10: s08 right (1/3). D = 1/3.
    correct = {s: s in {"s01", "s02", "s04", "s05", "s08"} for s in TOTALS}
    assert discrimination(TOTALS, correct) == pytest.approx(1 / 3)


def test_discrimination_needs_two_students_and_counts_missing_as_wrong():
    assert discrimination({"a": 3}, {"a": True}) is None
    # b never answered: counts as wrong, so the item separates a from b perfectly.
    assert discrimination({"a": 3, "b": 1}, {"a": True}) == 1.0


def test_ties_are_broken_by_student_id_reproducibly():
    totals = {"s1": 5, "s2": 5, "s3": 5, "s4": 5}
    assert upper_lower_groups(totals) == (["s1"], ["s4"])


def test_analyse_full_item_with_distractors_and_flags():
    # Question q: options A (key), B, C. s01-s03 picked A, s04-s08 picked B, s09-s10 picked C.
    choices = {s: "A" for s in ("s01", "s02", "s03")}
    choices.update({s: "B" for s in ("s04", "s05", "s06", "s07", "s08")})
    choices.update({s: "C" for s in ("s09", "s10")})
    rows = responses("q", {"s01", "s02", "s03"}, choices)
    (stats,) = analyse(rows, TOTALS, keys={"q": ["A"]})
    assert stats.responses == 10
    assert stats.correct == 3
    assert stats.facility == 0.3
    # Upper all right (3/3), lower all wrong (0/3).
    assert stats.discrimination == 1.0
    assert stats.option_counts == {"A": 3, "B": 5, "C": 2}
    assert stats.top_distractors == [("B", 5), ("C", 2)]
    # B (5) beats the key A (3) even though the item discriminates well.
    assert stats.flags == [FLAG_DISTRACTOR_BEATS_KEY]


def test_negative_discrimination_is_flagged():
    # Right: s01 and the three weakest. Upper 1/3, lower 3/3: D = -2/3.
    (stats,) = analyse(responses("q", {"s01", "s08", "s09", "s10"}), TOTALS)
    assert stats.discrimination == pytest.approx(-2 / 3)
    assert stats.facility == 0.4
    assert stats.flags == [FLAG_NEGATIVE_DISCRIMINATION]


def test_healthy_item_has_no_flags_and_question_order_is_kept():
    good = responses("good", {"s01", "s02", "s03", "s04"}, {s: "K" if s <= "s04" else "W" for s in TOTALS})
    results = analyse(good, TOTALS, keys={"good": ["K"]}, questions=["unanswered", "good"])
    assert [r.question for r in results] == ["unanswered", "good"]
    assert results[0].facility is None and results[0].discrimination is None and results[0].flags == []
    # K chosen 4 times, W 6 times: W beats K, so that flag fires; discrimination is +1.
    assert results[1].discrimination == 1.0
    assert results[1].flags == [FLAG_DISTRACTOR_BEATS_KEY]
    healthy = responses(
        "h", {"s01", "s02", "s03", "s04", "s05", "s06"}, {s: "K" if s <= "s06" else "W" for s in TOTALS}
    )
    (stats,) = analyse(healthy, TOTALS, keys={"h": ["K"]})
    assert stats.flags == []
    assert stats.top_distractors == [("W", 4)]


def test_too_few_answers_raise_no_flags():
    assert MIN_RESPONSES_TO_JUDGE == 3
    # One student chose the distractor: "chosen more often than the key", 1 to 0.
    (one,) = analyse([Response("a", "q", False, "B")], {"a": 0}, keys={"q": ["A"]})
    assert one.flags == [] and not one.judged and one.top_distractors == [("B", 1)]
    # Two: the stronger wrong, the weaker right gives D = -1, and B ties the key.
    two_rows = [Response("a", "q", False, "B"), Response("b", "q", True, "A")]
    (two,) = analyse(two_rows, {"a": 2, "b": 1}, keys={"q": ["A"]})
    assert two.discrimination == -1.0 and two.flags == []
    # Three answers are enough to judge: B (2) beats the key (1), and D is negative.
    three_rows = [*two_rows, Response("c", "q", False, "B")]
    (three,) = analyse(three_rows, {"a": 3, "b": 1, "c": 2}, keys={"q": ["A"]})
    assert three.judged and three.flags == [FLAG_NEGATIVE_DISCRIMINATION, FLAG_DISTRACTOR_BEATS_KEY]


# --- On the results page: enough answers before a question is flagged -------------------------


def analysis_scenario(teacher, picks):
    """One question (key A) answered by one student per letter in `picks`."""
    question = factories.single_choice("Question?", ("A", "B", "C"), correct=0)
    question_set = factories.question_set(teacher, [question], visibility="private")
    classroom = Classroom.objects.create(teacher=teacher, name="11A")
    assignment = Assignment.objects.create(classroom=classroom, question_set=question_set)
    options = {o.text: o for o in question.options.all()}
    for who, letter in zip(students(len(picks)), picks):
        Enrollment.objects.create(classroom=classroom, student=who)
        recorded_attempt(who, assignment, [options[letter]])
    return assignment


def results_page(client, assignment):
    response = client.get(reverse("quiz:assignment_results", args=[assignment.pk]))
    assert response.status_code == 200
    return response


def test_one_students_wrong_answer_does_not_flag_the_question(teacher_client, teacher):
    response = results_page(teacher_client, analysis_scenario(teacher, "B"))
    (item,) = response.context["items"]
    assert item.stats.flags == [] and response.context["flagged"] == 0
    html = response.content.decode()
    assert "Based on 1 student’s first finished attempt." in html
    assert "may be broken" not in html and "chosen more often than the right one" not in html
    assert "Too few answers to judge the questions yet" in html and "Too few answers to judge</span>" in html


def test_two_students_are_still_too_few_but_the_text_is_plural(teacher_client, teacher):
    # Both chose B over the key: without a minimum, two answers would flag it.
    response = results_page(teacher_client, analysis_scenario(teacher, "BB"))
    assert response.context["items"][0].stats.flags == []
    html = response.content.decode()
    assert "Based on 2 students’ first finished attempts." in html and "Too few answers to judge" in html


def test_three_answers_are_enough_to_flag(teacher_client, teacher):
    response = results_page(teacher_client, analysis_scenario(teacher, "BBA"))
    (item,) = response.context["items"]
    assert "A wrong option was chosen more often than the right one" in item.stats.flags
    html = response.content.decode()
    assert "1 question may be broken" in html and "Too few answers to judge" not in html
