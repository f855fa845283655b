"""Independence within an attempt: a practice or review session, or a set built automatically,
never holds two questions where one gives the other away; a teacher's set keeps its items and
the set editor says which give each other away; the bank reports its near-duplicates."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from history.models import Event, Figure
from quiz.independence import conflicts
from quiz.models import Attempt, Kind, Question, QuestionSet
from tests import factories as f
from tests.factories import ago, take
from tests.generation_builders import crowd, figure, role, run
from tests.html_support import find_all, text_of

pytestmark = pytest.mark.django_db

# Demo questions 1 and 2: the first one's feedback says Zinoviev also chaired the Petrograd Soviet.
TROTSKY_CHAIRED = "who_held_role:trotsky-petrograd-soviet"
ZINOVIEV_OFFICE = "role_of_figure:zinoviev-petrograd-soviet"


def bank(*keys):
    return [Question.objects.live().get(generator_key=key) for key in keys]


def answered_wrong(student, questions):
    """The student got these wrong, the first longest ago: the weakest (and most overdue) first."""
    for hours, question in enumerate(reversed(questions), start=1):
        take(student, [(question, False)], when=ago(hours=hours))


def practise(client, topic):
    response = client.post("/practice/", {"topic": topic})
    assert response.status_code == 302 and "/attempts/" in response["Location"]
    return Attempt.objects.filter(mode=Attempt.Mode.PRACTICE).latest("pk")


def keys_of(attempt):
    return list(attempt.items.order_by("position").values_list("question__generator_key", flat=True))


# --- What a question asks and gives away -------------------------------------------------


def test_the_zinoviev_feedback_is_recorded_as_giving_his_office_away(question_bank):
    trotsky_chaired, zinoviev_office = bank(TROTSKY_CHAIRED, ZINOVIEV_OFFICE)
    assert "Zinoviev held it from December 1917 to 1926" in trotsky_chaired.explanation
    assert trotsky_chaired.asks == ["role:trotsky-petrograd-soviet"]
    assert "role:zinoviev-petrograd-soviet" in trotsky_chaired.reveals
    assert zinoviev_office.asks == ["role:zinoviev-petrograd-soviet"]
    assert conflicts(trotsky_chaired, zinoviev_office)


def test_every_generated_question_records_what_it_asks(question_bank):
    # A kind whose facts no longer read (a changed wording of a matching's options) would be
    # independent of everything again.
    assert not [q.generator_key for q in question_bank if not q.asks]


def test_the_attribution_and_cloze_items_on_one_sentence_ask_the_same_fact(question_bank):
    says, gap = bank(
        "attribution:says:kirov-a-new-face",
        "cloze:name:kirov-a-new-face",
    )
    for question in (says, gap):
        assert "sentence:kirov-a-new-face" in question.asks
    assert conflicts(says, gap)


# --- Practice and review sessions ----------------------------------------------------------


def test_a_review_session_never_holds_a_question_with_the_feedback_that_answers_it(
    question_bank, student_client, student
):
    trotsky_chaired, zinoviev_office, nep = bank(TROTSKY_CHAIRED, ZINOVIEV_OFFICE, "when:nep-introduced")
    answered_wrong(student, [trotsky_chaired, zinoviev_office, nep])
    assert "Review due: 3" in student_client.get("/progress/").content.decode()

    response = student_client.post("/review/start/")
    session = Attempt.objects.get(mode=Attempt.Mode.REVIEW)
    assert response["Location"] == f"/attempts/{session.pk}/"
    # The most overdue first; the question its feedback answers waits, still due, for the next session.
    assert keys_of(session) == [TROTSKY_CHAIRED, "when:nep-introduced"]
    assert "Review due: 3" in student_client.get("/progress/").content.decode()


def test_one_office_asked_both_ways_never_shares_a_practice(question_bank, student_client, student):
    twins = bank(
        "who_held_role:zinoviev-petrograd-soviet",
        ZINOVIEV_OFFICE,
        "matching:offices:zinoviev",
        "matching:offices:kirov",
    )
    answered_wrong(student, twins)

    practice = practise(student_client, "figure:zinoviev")
    held = keys_of(practice)
    # The weakest of them comes first, the others that ask the same office stay out; the
    # practice is still full, from the rest of what there is on Zinoviev.
    assert held[0] == "who_held_role:zinoviev-petrograd-soviet"
    assert not {q.generator_key for q in twins[1:]} & set(held)
    assert len(held) == 10


def test_a_date_the_feedback_gives_is_never_asked_in_the_same_practice(question_bank, student_client, student):
    when, chronology = bank("when:kirov-assassination", "chronology:kirov-assassination")
    assert "1 December 1934" in chronology.explanation
    answered_wrong(student, [when, chronology])

    held = keys_of(practise(student_client, "event:kirov-assassination"))
    assert held[0] == "when:kirov-assassination" and "chronology:kirov-assassination" not in held


def test_the_kirov_attribution_items_and_their_gap_fill_twins_never_share_a_practice(
    question_bank, student_client, student
):
    on_claims = Question.objects.live().filter(
        figures__key="kirov", kind__in=[Kind.ATTRIBUTION, Kind.CLOZE], claim__isnull=False
    )
    twins = [q for q in on_claims if on_claims.filter(claim=q.claim).count() > 1]
    assert len(twins) >= 5
    answered_wrong(student, twins[:10])

    practice = practise(student_client, "figure:kirov")
    claims = [item.question.claim_id for item in practice.items.select_related("question") if item.question.claim_id]
    assert len(claims) == len(set(claims)), "two questions on one sentence"


def practice_topics() -> list[str]:
    topics = {f"figure:{k}" for k in Figure.objects.filter(questions__isnull=False).values_list("key", flat=True)}
    topics |= {f"event:{k}" for k in Event.objects.filter(questions__isnull=False).values_list("key", flat=True)}
    return sorted(topics)


def repeated_facts(items) -> list[str]:
    """What a practice asks twice, read from the questions themselves rather than their recorded
    facts: a claim's sentence, an office, or an event's date beside a chronology or years
    matching that gives it."""
    sentences = [q.claim_id for q in items if q.kind in (Kind.ATTRIBUTION, Kind.CLOZE)]
    offices = [q.generator_key.partition(":")[2] for q in items if q.kind in ("who_held_role", "role_of_figure")]
    asked = {e.pk for q in items if q.kind == Kind.WHEN for e in q.events.all()}
    dated = {e.pk for q in items if q.kind in (Kind.CHRONOLOGY, Kind.MATCHING) for e in q.events.all()}
    found = ["a sentence"] if len(sentences) != len(set(sentences)) else []
    found += ["an office"] if len(offices) != len(set(offices)) else []
    return found + (["a date"] if asked & dated else [])


def test_every_practice_over_the_real_bank_holds_no_two_that_give_each_other_away(question_bank, student_client):
    topics = practice_topics()
    assert len(topics) > 40
    for topic in topics:
        practice = practise(student_client, topic)
        items = [
            item.question for item in practice.items.select_related("question").prefetch_related("question__events")
        ]
        pairs = [(a, b) for i, a in enumerate(items) for b in items[i + 1 :]]
        assert not [(a.generator_key, b.generator_key) for a, b in pairs if conflicts(a, b)], topic
        assert repeated_facts(items) == [], topic


# --- Sets ------------------------------------------------------------------------------------


def test_the_set_editor_says_which_items_give_each_other_away_and_students_still_get_them_all(
    question_bank, teacher_client, teacher, student
):
    trotsky_chaired, nep, zinoviev_office, zinoviev_chaired = bank(
        TROTSKY_CHAIRED, "when:nep-introduced", ZINOVIEV_OFFICE, "who_held_role:zinoviev-petrograd-soviet"
    )
    question_set = f.question_set(teacher, [trotsky_chaired, nep, zinoviev_office, zinoviev_chaired], title="Offices")

    page = teacher_client.get(f"/teach/sets/{question_set.pk}/")
    assertContains(page, "Some questions give each other away.")
    [warning] = find_all(page, "div", id="give-aways")
    assert [text_of(item) for item in find_all(warning, "li")] == [
        "Question 1 gives away the answer to question 3.",
        "Question 1 gives away the answer to question 4.",
        "Questions 3 and 4 ask the same thing.",
    ]

    # The set is the teacher's choice: a student taking it gets every item.
    student_client = Client()
    student_client.force_login(student)
    started = student_client.post(f"/quizzes/{question_set.pk}/start/")
    assert started.status_code == 302
    assert Attempt.objects.get(mode=Attempt.Mode.SET).items.count() == 4


def test_the_set_editor_has_no_warning_for_independent_items(question_bank, teacher_client, teacher):
    question_set = f.question_set(teacher, bank(TROTSKY_CHAIRED, "when:nep-introduced"), title="Fine")
    assertNotContains(teacher_client.get(f"/teach/sets/{question_set.pk}/"), "give each other away")


def test_the_demo_set_built_from_the_bank_holds_no_two_that_give_each_other_away(question_bank):
    call_command("setup_demo", stdout=StringIO())
    items = [item.question for item in QuestionSet.objects.get(title__startswith="Demo quiz").items.all()]
    assert len(items) == 12 and {q.kind for q in items} >= {Kind.WHO_HELD_ROLE, Kind.ROLE_OF_FIGURE}
    keys = {q.generator_key for q in items}
    assert TROTSKY_CHAIRED in keys and ZINOVIEV_OFFICE not in keys
    assert not [(a, b) for i, a in enumerate(items) for b in items[i + 1 :] if conflicts(a, b)]


# --- The bank's report ----------------------------------------------------------------------


def test_generate_questions_counts_near_duplicates_and_lists_them_on_request(question_bank):
    out = StringIO()
    call_command("generate_questions", stdout=out)
    text = out.getvalue()
    found = re.search(r"^Near-duplicates: (\d+) pairs of questions ask the same fact", text, re.M)
    assert found and int(found.group(1)) > 100
    assert text.index("Summary") < found.start() < text.index("Question bank ready")
    assert "--near-duplicates lists them" in text

    out = StringIO()
    call_command("generate_questions", "--near-duplicates", stdout=out)
    listed = [line for line in out.getvalue().splitlines() if " ~ " in line]
    assert len(listed) == int(found.group(1))
    for pair in (
        # One office asked both ways; the same sentence asked twice.
        "  who_held_role:zinoviev-petrograd-soviet ~ role_of_figure:zinoviev-petrograd-soviet: role:zinoviev-petrograd-soviet",
        "  attribution:says:kirov-a-new-face ~ cloze:name:kirov-a-new-face: sentence:kirov-a-new-face",
    ):
        assert pair in listed


def test_regeneration_brings_the_facts_of_kept_questions_up_to_date_without_retiring_them():
    trotsky, zinoviev = figure("trotsky", "Leon Trotsky", "Trotsky"), figure("zinoviev", "Grigory Zinoviev", "Zinoviev")
    role(trotsky, "Chairman of the Petrograd Soviet", "1917", "1917", key="trotsky-petrograd")
    crowd(4)
    run()
    question = Question.objects.get(generator_key="who_held_role:trotsky-petrograd")
    assert question.reveals == ["role:trotsky-petrograd"]

    # A second holder of the office: the explanation now names him, a new question.
    role(zinoviev, "Chairman of the Petrograd Soviet", "1917-12", "1926", key="zinoviev-petrograd")
    run()
    question = Question.objects.live().get(generator_key="who_held_role:trotsky-petrograd")
    assert question.reveals == ["role:trotsky-petrograd", "role:zinoviev-petrograd"]

    # Facts lost (a bank from before they were recorded) come back, and nothing is retired for it.
    Question.objects.update(asks=[], reveals=[])
    summary = run()
    assert summary.totals.created == 0 and summary.totals.retired == 0
    question.refresh_from_db()
    assert question.asks == ["role:trotsky-petrograd"] and not question.is_retired
    assert question.reveals == ["role:trotsky-petrograd", "role:zinoviev-petrograd"]
