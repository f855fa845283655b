"""The synthetic data generator behind `make bench`, at a tiny scale, run as `make bench` runs it:
the `bench_data` command of the bench-only app that bench/settings.py installs."""

import io
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum
from fsrs import Card

from bench import settings as bench_settings
from config import settings as product_settings
from quiz.answer_modes import MODES
from quiz.models import (
    Answer,
    Assignment,
    Attempt,
    Classroom,
    Kind,
    Option,
    Question,
    QuestionSet,
    ReviewCard,
)
from tests.factories import make_user

pytestmark = pytest.mark.django_db

TINY = {"students": 12, "classes": 3, "sets": 6, "answers": 400, "big_class": 5, "hot_answers": 100}


def build_bank():
    """A small bank with every answer mode: single choice, ordering and matching."""
    for i in range(14):
        q = Question.objects.create(kind=Kind.WHEN, prompt=f"When did event {i} happen?", difficulty=i / 14)
        for k in range(4):
            Option.objects.create(question=q, text=f"193{k}", position=k, is_correct=k == i % 4)
    order = Question.objects.create(kind=Kind.CHRONOLOGY, prompt="Put these in order")
    for k in range(4):
        Option.objects.create(question=order, text=f"step {k}", position=k, correct_position=k + 1)
    match = Question.objects.create(kind=Kind.MATCHING, prompt="Match each person to the role")
    for k in range(3):
        right = Option.objects.create(question=match, text=f"role {k}", position=10 + k, side="right")
        Option.objects.create(question=match, text=f"person {k}", position=k, side="left", match=right)
    # A retired question must never be used.
    retired = Question.objects.create(kind=Kind.WHEN, prompt="Retired", is_retired=True)
    Option.objects.create(question=retired, text="x", is_correct=True)
    Option.objects.create(question=retired, text="y")
    return retired


@pytest.fixture(autouse=True)
def _bench_settings(settings):
    settings.INSTALLED_APPS = bench_settings.INSTALLED_APPS


def run(**overrides):
    out = io.StringIO()
    call_command("bench_data", stdout=out, **{**TINY, **overrides})
    return out.getvalue()


def test_generates_the_requested_shape():
    retired = build_bank()
    output = run()
    assert "Generated" in output and " s." in output  # reports how long it took

    users = get_user_model().objects.filter(username__startswith="bench_")
    students = users.filter(enrollments__isnull=False).distinct()
    assert students.count() == TINY["students"]
    teachers = users.filter(groups__name="Teacher")
    assert teachers.count() == 1 and all(t.has_perm("quiz.teach") for t in teachers)
    assert Classroom.objects.filter(teacher__in=teachers).count() == TINY["classes"]
    sizes = sorted(Classroom.objects.annotate(n=Count("enrollments")).values_list("n", flat=True))
    assert sizes[-1] == TINY["big_class"] and sum(sizes) == TINY["students"]
    assert QuestionSet.objects.filter(owner__in=teachers).count() == TINY["sets"]
    assert Assignment.objects.count() > TINY["classes"]

    assert Answer.objects.count() == TINY["answers"]
    hot = QuestionSet.objects.get(title="Bench hot set")
    assert Answer.objects.filter(item__attempt__question_set=hot).count() == TINY["hot_answers"]
    # Only the biggest class answers the hot set.
    big = Classroom.objects.annotate(n=Count("enrollments")).order_by("-n").first()
    assert set(Attempt.objects.filter(question_set=hot).values_list("assignment__classroom", flat=True)) == {big.pk}
    assert not Answer.objects.filter(question=retired).exists()


def check_single(answer, options, own):
    chosen = options[answer.selected_option_id]
    assert chosen.question_id == answer.question_id
    assert answer.response == {"option": chosen.pk}
    assert answer.is_correct == chosen.is_correct
    assert answer.score == (1.0 if chosen.is_correct else 0.0)


def check_ordering(answer, options, own):
    order = answer.response["order"]
    expected = [o.pk for o in sorted(own, key=lambda o: o.correct_position)]
    assert sorted(order) == sorted(expected)
    assert answer.is_correct == (order == expected)
    # The same partial credit the app's own scoring gives.
    ranked = [options[pk] for pk in order]
    assert answer.score == pytest.approx(MODES["ordering"].credit(ranked))


def check_matching(answer, options, own):
    pairs = answer.response["pairs"]
    lefts = {str(o.pk): o.match_id for o in own if o.side == "left"}
    assert set(pairs) == set(lefts)
    assert answer.is_correct == (pairs == lefts)


CHECKS = {"single": check_single, "ordering": check_ordering, "matching": check_matching}


def test_answers_are_consistent_with_the_options_and_keys():
    build_bank()
    run()
    options = {o.pk: o for o in Option.objects.all()}
    by_question = {}
    for o in options.values():
        by_question.setdefault(o.question_id, []).append(o)
    answers = Answer.objects.select_related("item__attempt", "question")
    assert answers.exists()
    assert {a.question.mode.name for a in answers} == set(CHECKS)  # every mode is answered
    correct = 0
    for answer in answers:
        item, own = answer.item, by_question[answer.question_id]
        assert answer.question_id == item.question_id
        assert answer.student_id == item.attempt.student_id
        # The order shown is a permutation of the question's own options.
        assert sorted(item.option_order) == sorted(o.pk for o in own)
        CHECKS[answer.question.mode.name](answer, options, own)
        assert 0 <= answer.score <= 1
        correct += answer.is_correct
    # A seeded mix of right and wrong answers, not all one way.
    assert 0.2 < correct / answers.count() < 0.95


def check_attempt_tallies(attempt):
    answers = Answer.objects.filter(item__attempt=attempt)
    assert attempt.question_count == attempt.n_items
    assert attempt.answered_count == attempt.n_answers
    assert attempt.correct_count == answers.filter(is_correct=True).count()
    assert attempt.score == pytest.approx(answers.aggregate(s=Sum("score"))["s"] or 0)
    assert attempt.is_finished == (attempt.n_answers == attempt.n_items)
    # As the app records answers: the right answers are out from the first one on, and
    # an unfinished attempt was left on the question after its last answer.
    assert (attempt.answers_shown_at is not None) == (attempt.n_answers > 0)
    assert attempt.items.filter(shown_at__isnull=False).count() == min(attempt.n_items, attempt.n_answers + 1)
    assert attempt.student.enrollments.filter(classroom=attempt.assignment.classroom).exists()
    assert attempt.question_set_id == attempt.assignment.question_set_id
    positions = list(attempt.items.values_list("position", flat=True))
    assert sorted(positions) == list(range(1, attempt.n_items + 1))


def test_attempt_tallies_items_and_review_cards_agree_with_the_answers():
    build_bank()
    run()
    for attempt in Attempt.objects.annotate(
        n_items=Count("items", distinct=True),
        n_answers=Count("items__answer", distinct=True),
    ):
        check_attempt_tallies(attempt)
    pairs = Counter(Answer.objects.values_list("student_id", "question_id"))
    cards = {(c.student_id, c.question_id): c for c in ReviewCard.objects.all()}
    assert set(cards) == set(pairs)
    assert all(cards[key].reviews == n for key, n in pairs.items())
    assert all(c.fsrs_state["card_id"] == c.question_id for c in cards.values())
    # The scheduler can read every card, and agrees on when it is due.
    for c in cards.values():
        assert Card.from_dict(c.fsrs_state).due == c.due


def test_scoring_is_the_apps_own(monkeypatch):
    """A change to how the app scores shows in the bench data: the bench has no scoring of its own."""
    build_bank()
    monkeypatch.setattr(type(MODES["ordering"]), "credit", lambda self, ordered: 0.25)
    run()
    ordering = Answer.objects.filter(question__kind=Kind.CHRONOLOGY)
    assert ordering.exists()
    assert set(ordering.values_list("score", "is_correct")) == {(0.25, False)}


def test_same_seed_same_data_and_rerun_is_idempotent():
    build_bank()
    run()
    first = list(Answer.objects.order_by("pk").values_list("is_correct", "score"))
    assert "already present" in run()
    assert Answer.objects.count() == TINY["answers"]
    with pytest.raises(CommandError, match="--reset"):
        run(students=20)
    run(reset=True)
    assert list(Answer.objects.order_by("pk").values_list("is_correct", "score")) == first


def test_reset_removes_only_synthetic_data():
    build_bank()
    real = make_user("real_student")
    teacher = make_user("real_teacher", teacher=True)
    room = Classroom.objects.create(teacher=teacher, name="Real class")
    room.enrollments.create(student=real)
    qs = QuestionSet.objects.create(owner=teacher, title="Real set")
    question = Question.objects.filter(kind=Kind.WHEN).first()
    attempt = Attempt.objects.create(student=real, title="Real", question_count=1, answered_count=1)
    item = attempt.items.create(question=question, position=1)
    Answer.objects.create(item=item, student=real, question=question, is_correct=True, score=1)
    run()
    out = io.StringIO()
    call_command("bench_data", reset_only=True, stdout=out)
    assert "Removed" in out.getvalue()
    assert not get_user_model().objects.filter(username__startswith="bench_").exists()
    assert Answer.objects.count() == 1 and Attempt.objects.count() == 1
    assert QuestionSet.objects.get() == qs and Classroom.objects.get() == room
    assert ReviewCard.objects.count() == 0
    assert Question.objects.count() == 17  # the bank itself is never touched


def test_the_products_settings_do_not_install_the_generator(settings):
    settings.INSTALLED_APPS = product_settings.INSTALLED_APPS
    with pytest.raises(CommandError, match="Unknown command"):
        run()


def test_refuses_without_a_question_bank():
    with pytest.raises(CommandError, match="generate_questions"):
        run()
