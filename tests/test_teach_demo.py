"""setup_demo gives the demo teacher a class with the demo student and an assigned set."""

import io

import pytest
from django.core.management import call_command

from quiz.models import Assignment, Classroom, Enrollment, QuestionSet, SetItem


def run():
    out = io.StringIO()
    call_command("setup_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_setup_demo_builds_the_class_and_set_once(question_bank):
    output = run()
    classroom = Classroom.objects.get(name="Demo class")
    assert classroom.teacher.username == "teacher"
    assert list(classroom.students.values_list("username", flat=True)) == ["student"]
    question_set = QuestionSet.objects.get(owner=classroom.teacher)
    assert question_set.items.count() == 12
    # The demo shows every generated kind, not just the first few.
    from quiz.generation import generated_kinds

    kinds = set(question_set.items.values_list("question__kind", flat=True))
    assert kinds == set(generated_kinds())
    assert not question_set.items.filter(question__is_retired=True).exists()
    assert Assignment.objects.get().classroom == classroom
    assert f"join code {classroom.join_code}" in output and "(created)" in output
    run()
    assert Classroom.objects.count() == 1 and Enrollment.objects.count() == 1
    assert QuestionSet.objects.count() == 1 and Assignment.objects.count() == 1
    assert SetItem.objects.count() == question_set.items.count()


@pytest.mark.django_db
def test_setup_demo_with_an_empty_bank_skips_the_set():
    output = run()
    assert "question bank is empty" in output
    assert Classroom.objects.filter(name="Demo class").exists() and not QuestionSet.objects.exists()
    # Once the bank exists, running again adds the set.
    from tests import factories

    factories.single_choice("Generated?")
    run()
    assert QuestionSet.objects.count() == 1 and Assignment.objects.count() == 1
