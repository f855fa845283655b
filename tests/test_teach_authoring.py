"""Teachers writing their own questions: the generator's rules, friendly messages, editing."""

import pytest
from django.urls import reverse

from quiz.generation import base as generation_rules
from quiz.models import Option, Origin, Question
from quiz.teaching.authoring import Draft, generation_draft, validate
from tests import factories
from tests.html_support import has


def single_post(**overrides):
    data = {
        "prompt": "Who was Kirov?",
        "explanation": "He led the Leningrad party.",
        "difficulty": "0.5",
        "option_1": "Leningrad party chief",
        "option_2": "NKVD head",
        "option_3": "Premier",
        "correct": "1",
    }
    data.update(overrides)
    return data


def ordering_post(*items):
    data = {"prompt": "Earliest first", "explanation": "Dates.", "difficulty": "0.5"}
    data.update((f"item_{n}", item) for n, item in enumerate(items, start=1))
    return data


def create(client, kind, data, **params):
    query = "&".join(f"{k}={v}" for k, v in {"kind": kind, **params}.items())
    return client.post(reverse("quiz:question_create") + "?" + query, data)


def test_kind_chooser_then_form(teacher_client):
    chooser = teacher_client.get(reverse("quiz:question_create"))
    assert chooser.status_code == 200 and has(chooser, None, name="kind")
    assert teacher_client.get(reverse("quiz:question_create"), {"kind": "bogus"}).status_code == 400
    form = teacher_client.get(reverse("quiz:question_create"), {"kind": "matching"})
    assert form.status_code == 200 and "Pair 1: item" in form.content.decode()


def test_create_single_choice(teacher_client, teacher):
    response = create(teacher_client, "who_held_role", single_post())
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.origin == Origin.TEACHER and question.author == teacher
    options = list(question.options.order_by("position"))
    assert [o.text for o in options] == ["Leningrad party chief", "NKVD head", "Premier"]
    assert [o.is_correct for o in options] == [True, False, False]
    # Saved exactly as the generator would accept it.
    assert (
        generation_rules.validate(
            generation_draft(
                Draft(
                    kind="who_held_role",
                    prompt=question.prompt,
                    explanation=question.explanation,
                    choices=[o.text for o in options],
                    correct=0,
                )
            )
        )
        == []
    )


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"prompt": "  "}, "This field is required."),
        ({"option_2": "leningrad PARTY chief"}, "appears twice"),
        ({"correct": ""}, "Mark exactly one option as the correct answer."),
        ({"correct": "5"}, "The option marked correct is blank."),
        ({"option_3": ""}, "Give at least 3 options."),
        ({"explanation": ""}, "Write an explanation"),
    ],
)
def test_single_choice_rules(teacher_client, overrides, message):
    response = create(teacher_client, "who_held_role", single_post(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Question.objects.exists()


def test_ordering_items_are_stored_not_in_order(teacher_client):
    assert create(teacher_client, "chronology", ordering_post("1932", "1934", "1936")).status_code == 302
    options = list(Question.objects.get().options.order_by("position"))
    assert sorted(o.correct_position for o in options) == [1, 2, 3]
    assert [o.correct_position for o in options] != [1, 2, 3]
    assert {o.text: o.correct_position for o in options} == {"1932": 1, "1934": 2, "1936": 3}


def test_ordering_items_must_be_distinct(teacher_client):
    response = create(teacher_client, "chronology", ordering_post("1932", "1934", " 1932 "))
    assert response.status_code == 400 and "appears twice" in response.content.decode()


def test_matching_is_a_bijection(teacher_client):
    pairs = {
        "left_1": "Kirov",
        "right_1": "Leningrad",
        "left_2": "Yagoda",
        "right_2": "NKVD",
        "left_3": "Molotov",
        "right_3": "Sovnarkom",
    }
    base = {"prompt": "Match", "explanation": "Posts.", "difficulty": "0.5"}
    bad = create(teacher_client, "matching", {**base, **pairs, "right_3": "nkvd"})
    assert bad.status_code == 400 and "appears twice on the right" in bad.content.decode()
    half = create(teacher_client, "matching", {**base, **pairs, "left_4": "Yezhov"})
    assert half.status_code == 400 and "both a left and a right" in half.content.decode()
    assert create(teacher_client, "matching", {**base, **pairs}).status_code == 302
    question = Question.objects.get()
    lefts = question.options.filter(side=Option.Side.LEFT).select_related("match")
    assert {o.text: o.match.text for o in lefts} == {"Kirov": "Leningrad", "Yagoda": "NKVD", "Molotov": "Sovnarkom"}
    assert question.options.filter(side=Option.Side.RIGHT).count() == 3


def test_quote_kinds_need_an_exact_citation(teacher_client):
    psg = factories.passage("Kirov was loved in Leningrad, said the professor.")
    base = single_post(
        prompt="According to the interview, where was Kirov loved?",
        option_1="Leningrad",
        option_2="Moscow",
        option_3="Kiev",
    )
    missing = create(teacher_client, "attribution", base)
    assert missing.status_code == 400 and "choose the passage" in missing.content.decode()
    wrong = create(teacher_client, "attribution", {**base, "passage": psg.pk, "quote": "Kirov was hated"})
    assert wrong.status_code == 400 and "do not occur in passage" in wrong.content.decode()
    ok = create(teacher_client, "attribution", {**base, "passage": psg.pk, "quote": "Kirov was loved in Leningrad"})
    assert ok.status_code == 302
    assert Question.objects.get().passage == psg


def test_validate_on_hand_built_drafts():
    assert (
        validate(Draft(kind="cloze", prompt="x", explanation="y", choices=["a", "b", "c"], correct=0)) != []
    )  # cloze needs a citation
    assert (
        validate(Draft(kind="when", prompt="When?", explanation="y", choices=["1934", "1935", "1936"], correct=2)) == []
    )
    assert "appears twice" in " ".join(
        validate(Draft(kind="when", prompt="When?", explanation="y", choices=["1934", "1934 ", "1936"], correct=0))
    )


def test_new_question_can_go_straight_into_a_set(teacher_client, teacher):
    question_set = factories.question_set(teacher, [], visibility="private")
    response = create(
        teacher_client, "when", single_post(option_1="1934", option_2="1935", option_3="1936"), set=question_set.pk
    )
    assert response["Location"] == reverse("quiz:set_detail", args=[question_set.pk])
    assert list(question_set.items.values_list("question__prompt", flat=True)) == ["Who was Kirov?"]


def test_edit_own_unanswered_question_only(teacher_client, teacher, other_teacher):
    create(teacher_client, "when", single_post(option_1="1934", option_2="1935", option_3="1936"))
    question = Question.objects.get()
    form = teacher_client.get(reverse("quiz:question_edit", args=[question.pk]))
    assert form.status_code == 200 and has(form, None, value="1935")
    response = teacher_client.post(
        reverse("quiz:question_edit", args=[question.pk]),
        single_post(prompt="When did it happen?", option_1="1934", option_2="1935", option_3="1937", correct="2"),
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.prompt == "When did it happen?"
    assert question.options.get(is_correct=True).text == "1935"
    theirs = factories.single_choice("Theirs", origin=Origin.TEACHER, author=other_teacher)
    generated = factories.single_choice("Generated")
    assert teacher_client.get(reverse("quiz:question_edit", args=[theirs.pk])).status_code == 404
    assert teacher_client.get(reverse("quiz:question_edit", args=[generated.pk])).status_code == 404


def test_answered_question_cannot_be_edited(teacher_client, teacher, student):
    from quiz.attempts import create_attempt

    create(teacher_client, "when", single_post(option_1="1934", option_2="1935", option_3="1936"))
    question = Question.objects.get()
    from quiz.models import Answer, Attempt

    attempt = create_attempt(student, [question], mode=Attempt.Mode.SET, title="t")

    Answer.objects.create(item=attempt.items.get(), student=student, question=question, is_correct=True, score=1)
    response = teacher_client.post(reverse("quiz:question_edit", args=[question.pk]), single_post(prompt="Changed"))
    assert response.status_code == 409
    question.refresh_from_db()
    assert question.prompt == "Who was Kirov?"


def test_claim_assessment_key_must_match_the_historians(teacher_client):
    from history.models import Assessment

    claim = factories.claim("Kirov was killed on Stalin's orders.", assessment=Assessment.DISPUTED)
    form = teacher_client.get(reverse("quiz:question_create"), {"kind": "claim_assessment"}).content.decode()
    assert has(form, None, value="Disputed by historians")  # the verdicts are offered ready-made
    data = {
        "prompt": "How do historians assess this claim?",
        "explanation": "The evidence is contested.",
        "difficulty": "0.5",
        "claim": claim.pk,
        "option_1": "Corroborated by historians",
        "option_2": "Disputed by historians",
        "option_3": "Contradicted by historians",
        "correct": "1",
    }
    wrong = create(teacher_client, "claim_assessment", data)
    assert wrong.status_code == 400
    assert "Historians assess this claim as “Disputed by historians”" in wrong.content.decode()
    assert not Question.objects.exists()
    # Right key; the claim's own passage and quote become the citation.
    assert create(teacher_client, "claim_assessment", {**data, "correct": "2"}).status_code == 302
    question = Question.objects.get()
    assert question.claim == claim and question.passage == claim.passage and question.quote == claim.quote
    assert question.options.get(is_correct=True).text == "Disputed by historians"


def test_true_false_questions_need_just_true_and_false(teacher_client):
    form = teacher_client.get(reverse("quiz:question_create"), {"kind": "true_false"}).content.decode()
    assert has(form, None, value="True") and has(form, None, value="False")
    data = single_post(prompt="Kirov was killed in 1934.", option_1="True", option_2="False", option_3="", correct="1")
    response = create(teacher_client, "true_false", data)
    assert response.status_code == 302
    question = Question.objects.get()
    assert [(o.text, o.is_correct) for o in question.options.order_by("position")] == [("True", True), ("False", False)]
    # A single option is still refused.
    response = create(
        teacher_client, "true_false", single_post(prompt="Another", option_1="True", option_2="", option_3="")
    )
    assert response.status_code == 400 and "Give at least 2 options." in response.content.decode()
    assert Question.objects.count() == 1
