"""Questions are stable records: re-generation keeps them, a changed fact retires the old
question (past answers keep pointing at it), removed content retires its questions, and
the command reports what it did."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from history.models import Role
from quiz import generation
from quiz.answer_modes import OptionDraft
from quiz.generation import base, when
from quiz.generation.base import QuestionDraft, validate
from quiz.models import Answer, Attempt, AttemptItem, Kind, Question

from .generation_builders import crowd, event, figure, live, role, run

pytestmark = pytest.mark.django_db

KEY = "who_held_role:yagoda-nkvd"


@pytest.fixture
def content():
    yagoda = figure("yagoda", "Genrikh Yagoda", "Yagoda")
    role(yagoda, "People's Commissar for Internal Affairs", "1934-07", "1936-09", key="yagoda-nkvd")
    crowd(4, start_year=1930)
    return yagoda


def answer(question):
    student = get_user_model().objects.create_user("learner")
    attempt = Attempt.objects.create(student=student, title="Practice", question_count=1)
    item = AttemptItem.objects.create(attempt=attempt, question=question, position=1)
    chosen = question.options.get(is_correct=True)
    return Answer.objects.create(
        item=item, student=student, question=question, selected_option=chosen, is_correct=True, score=1
    )


def test_a_second_run_keeps_everything_and_creates_nothing(content):
    first = run()
    ids = set(Question.objects.values_list("pk", flat=True))
    second = run()
    assert second.totals.created == 0 and second.totals.retired == 0
    assert second.totals.kept == first.totals.created > 0
    assert set(Question.objects.values_list("pk", flat=True)) == ids


def test_a_changed_fact_retires_the_old_question_and_past_answers_keep_it(content):
    run()
    old = live(key=KEY)
    old_options = list(old.options.values_list("pk", "text", "is_correct"))
    given = answer(old)

    Role.objects.filter(key="yagoda-nkvd").update(end_date="1936-10-01")
    summary = run()
    assert summary.stats[Kind.WHO_HELD_ROLE].retired == 1 and summary.stats[Kind.WHO_HELD_ROLE].created == 1

    old.refresh_from_db()
    assert old.is_retired and old.retired_reason == "source facts changed" and old.retired_at
    assert "September 1936" in old.prompt, "history is not rewritten"
    assert list(old.options.values_list("pk", "text", "is_correct")) == old_options
    given.refresh_from_db()
    assert given.question == old and given.selected_option.question == old

    new = live(key=KEY)
    assert new.pk != old.pk and "October 1936" in new.prompt
    assert new.fingerprint != old.fingerprint

    # The fact changes back: the original question returns rather than a third copy.
    Role.objects.filter(key="yagoda-nkvd").update(end_date="1936-09-01")
    summary = run()
    old.refresh_from_db()
    assert not old.is_retired and old.retired_reason == "" and live(key=KEY) == old
    assert summary.stats[Kind.WHO_HELD_ROLE].restored == 1
    assert Question.objects.get(pk=new.pk).is_retired


def test_removed_content_retires_its_questions(content):
    run()
    question = live(key=KEY)
    Role.objects.filter(key="yagoda-nkvd").delete()
    summary = run()
    question.refresh_from_db()
    assert question.is_retired and question.retired_reason == "content removed"
    assert summary.stats[Kind.WHO_HELD_ROLE].retired >= 1


def test_a_question_an_admin_retired_stays_retired(content):
    run()
    question = live(key=KEY)
    Question.objects.filter(pk=question.pk).update(is_retired=True, retired_reason="retired by boss")
    summary = run()
    question.refresh_from_db()
    assert question.is_retired and question.retired_reason == "retired by boss"
    assert not Question.objects.filter(generator_key=KEY, is_retired=False).exists()
    assert summary.totals.created == 0


def test_teacher_questions_are_never_touched(content):
    mine = Question.objects.create(
        kind=Kind.WHO_HELD_ROLE, prompt="My own question", origin="teacher", generator_key=KEY
    )
    run()
    run()
    mine.refresh_from_db()
    assert not mine.is_retired


def test_the_command_shows_progress_and_a_summary(content):
    event("kirov", "Assassination of Kirov", "1934-12-01")
    out = StringIO()
    call_command("generate_questions", stdout=out)
    text = out.getvalue()
    assert text.startswith("Generating questions (seed 1934)…")
    for label in Kind.labels[:8]:
        assert f"  {label}" in text, label
    assert "Summary" in text and "  total " in text
    assert "Skipped (" in text and "chronology:kirov: fewer than 3 events" in text
    assert "live generated questions" in text

    out = StringIO()
    call_command("generate_questions", stdout=out)
    total = next(line for line in out.getvalue().splitlines() if line.startswith("  total"))
    assert total.split()[1] == "0", "the second run creates nothing"


def test_the_command_is_silent_at_verbosity_zero(content):
    out = StringIO()
    call_command("generate_questions", verbosity=0, stdout=out)
    assert out.getvalue() == "" and Question.objects.exists()


def test_the_command_can_limit_kinds_and_change_the_seed(content):
    out = StringIO()
    call_command("generate_questions", "--kind", "when", "--kind", "who_held_role", "--seed", "5", stdout=out)
    assert "seed 5" in out.getvalue()
    assert set(Question.objects.values_list("kind", flat=True)) == {Kind.WHO_HELD_ROLE}
    assert "Who held this role?" in out.getvalue() and "Cloze" not in out.getvalue()
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("generate_questions", "--kind", "multiple_choice", stdout=StringIO())


def test_an_invalid_draft_is_skipped_with_its_reason_and_never_saved(content, monkeypatch):
    def broken(content, rng):
        yield QuestionDraft(
            kind=Kind.WHEN,
            generator_key="when:broken",
            prompt="When?",
            explanation="Because.",
            options=[OptionDraft("1934", is_correct=True), OptionDraft("1934 "), OptionDraft("1935", is_correct=True)],
        )

    monkeypatch.setattr(when, "generate", broken)
    summary = run(only=[Kind.WHEN])
    [record] = summary.skipped
    assert record.key == "when:broken"
    assert "two options have the same text" in record.reason and "not exactly one correct choice" in record.reason
    assert not Question.objects.exists()


def a_draft(kind, prompt, options):
    """A question of `kind` (its generator key "<kind>:x") with these options."""
    return QuestionDraft(kind=kind, generator_key=f"{kind}:x", prompt=prompt, explanation="Because.", options=options)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.options.append(OptionDraft("")), "an option is empty"),
        (lambda d: d.options.append(OptionDraft("PARIS")), "two options have the same text"),
        (lambda d: setattr(d.options[1], "is_correct", True), "not exactly one correct choice"),
        (lambda d: d.options.pop(), "at least 3 needed"),
        (lambda d: setattr(d, "explanation", " "), "empty explanation"),
        (lambda d: setattr(d, "difficulty", 1.5), "outside 0..1"),
        (lambda d: setattr(d, "kind", Kind.CLOZE), "no citation"),
    ],
)
def test_the_rules_every_draft_must_obey(change, message):
    draft = a_draft(
        Kind.WHEN, "Where?", [OptionDraft("Paris", is_correct=True), OptionDraft("Rome"), OptionDraft("Berlin")]
    )
    assert validate(draft) == []
    change(draft)
    assert any(message in error for error in validate(draft))


def test_ordering_and_matching_rules():
    ordering = a_draft(
        Kind.CHRONOLOGY,
        "Order",
        [
            OptionDraft("a", correct_position=2),
            OptionDraft("b", correct_position=2),
            OptionDraft("c", correct_position=3),
        ],
    )
    assert "the correct positions are not a permutation of 1..n" in validate(ordering)
    matching = a_draft(
        Kind.MATCHING,
        "Match",
        [
            OptionDraft("L1", side="left", match=3),
            OptionDraft("L2", side="left", match=3),
            OptionDraft("L3", side="left", match=4),
            OptionDraft("R1", side="right"),
            OptionDraft("R2", side="right"),
            OptionDraft("R3", side="right"),
        ],
    )
    assert "the left-to-right matches are not a one-to-one pairing" in validate(matching)


def test_each_kind_has_a_module_named_for_it():
    modules = {module.__name__.rsplit(".", 1)[1]: module for module in generation.generators()}
    assert set(modules) == {
        "roles",
        "when",
        "chronology",
        "attribution",
        "claim_assessment",
        "cloze",
        "matching",
        "find_evidence",
        "spot_error",
        "evidence_kind",
        "source_criticism",
    }
    assert generation.generated_kinds() == [k for k in Kind.values if k not in {"multiple_choice", "true_false"}]
    assert base.DEFAULT_SEED == 1934


def test_adding_content_leaves_questions_about_other_content_alone(content):
    event("kirov", "Assassination of Kirov", "1934-12-01")
    event("nkvd", "NKVD created", "1934-07-10")
    event("plan", "Second five-year plan", "1933", "1937")
    run()
    before = set(Question.objects.filter(is_retired=False).values_list("pk", flat=True))
    # A new event and a new office holder, unrelated to the existing questions' facts.
    event("nep", "NEP introduced", "1921-03")
    newcomer = figure("newcomer", "Brand New", "Newcomer")
    role(newcomer, "Keeper of the Archive", "1890", "1891", key="newcomer-archive")
    summary = run()
    for kind in (Kind.WHO_HELD_ROLE, Kind.ROLE_OF_FIGURE, Kind.WHEN):
        assert summary.stats[kind].retired == 0, kind
    kept = before & set(Question.objects.filter(is_retired=False).values_list("pk", flat=True))
    assert len(kept) >= len(before) - summary.stats[Kind.CHRONOLOGY].retired - summary.stats[Kind.MATCHING].retired
    assert live(key="when:kirov").pk in before


def test_teachers_sets_follow_a_corrected_question_and_attempts_keep_what_they_showed(content, client):
    from quiz.attempts import create_attempt
    from quiz.models import QuestionSet, SetItem
    from tests.factories import make_user

    run()
    old = live(key=KEY)
    teacher = make_user("setowner", teacher=True)
    question_set = QuestionSet.objects.create(
        owner=teacher, title="NKVD chiefs", visibility="public", max_attempts=0, show_answers="each_question"
    )
    SetItem.objects.create(question_set=question_set, question=old, position=1)
    student = make_user("taker")
    before = create_attempt(student, [old], mode="set", title="Before", question_set=question_set)

    Role.objects.filter(key="yagoda-nkvd").update(end_date="1936-10-01")
    out = StringIO()
    call_command("generate_questions", stdout=out)
    new = live(key=KEY)
    # The set holds the corrected question, and says so; the earlier attempt still shows the old one.
    assert list(question_set.items.values_list("question", flat=True)) == [new.pk]
    assert "Question sets now use the corrected version of 1 question whose facts changed." in out.getvalue()
    assert before.items.get().question == old
    # Students can still start the set: it did not silently lose its question.
    Attempt.objects.filter(pk=before.pk).update(finished_at=before.started_at)
    client.force_login(student)
    started = client.post(f"/quizzes/{question_set.pk}/start/")
    assert started.status_code == 302 and "/attempts/" in started.url
    assert Attempt.objects.filter(student=student).latest("pk").items.get().question == new

    # Content removed: no successor, so the set's item stays on the retired question (left out of new attempts).
    Role.objects.filter(key="yagoda-nkvd").delete()
    call_command("generate_questions", stdout=StringIO())
    assert list(question_set.items.values_list("question", flat=True)) == [new.pk]
