"""The rules every question obeys (quiz/question_rules.py): each rule's code, the runner that
collects them, the thresholds each audience runs them with, and each audience's wording."""

import pytest
from django.core.exceptions import ValidationError

from history.models import Assessment, Claim, Passage
from quiz.answer_modes import OptionDraft, mode_for
from quiz.generation.base import QuestionDraft
from quiz.interop.common import ImportFailed, check_question
from quiz.models import Kind
from quiz.question_rules import GENERATOR, IMPORTER, TEACHER, Count, NotBlank, option_key, prompt_written, run
from quiz.teaching.authoring import Draft, generation_draft

PASSAGE = Passage(position=4, speaker_label="SM", text="Kirov was loved in Leningrad, said the professor.")
QUOTE = "Kirov was loved in Leningrad"


def single(**changes):
    draft = QuestionDraft(
        kind=Kind.WHEN,
        generator_key="when:x",
        prompt="When?",
        explanation="Because.",
        options=[OptionDraft("1934", is_correct=True), OptionDraft("1935"), OptionDraft("1936")],
    )
    return _changed(draft, changes)


def ordering(**changes):
    # Stored out of the right order, as generation and authoring store them.
    options = [
        OptionDraft("b", correct_position=2),
        OptionDraft("c", correct_position=3),
        OptionDraft("a", correct_position=1),
    ]
    draft = QuestionDraft(
        kind=Kind.CHRONOLOGY, generator_key="chronology:x", prompt="Order", explanation="Dates.", options=options
    )
    return _changed(draft, changes)


def matching(**changes):
    lefts = [OptionDraft(f"L{i}", side="left", match=3 + i) for i in range(3)]
    draft = QuestionDraft(
        kind=Kind.MATCHING,
        generator_key="matching:x",
        prompt="Match",
        explanation="Posts.",
        options=lefts + [OptionDraft(f"R{i}", side="right") for i in range(3)],
    )
    return _changed(draft, changes)


def claim_assessment(assessment=Assessment.DISPUTED, key="Disputed by historians", **changes):
    claim = Claim(key="c", statement="Kirov was loved.", passage=PASSAGE, quote=QUOTE, assessment=assessment)
    options = [OptionDraft(text, is_correct=text == key) for _, text in Assessment.choices]
    draft = QuestionDraft(
        kind=Kind.CLAIM_ASSESSMENT,
        generator_key="claim:x",
        prompt="How do historians assess it?",
        explanation="The evidence.",
        options=options,
        passage=PASSAGE,
        quote=QUOTE,
        claim=claim,
    )
    return _changed(draft, changes)


def _changed(draft, changes):
    for name, value in changes.items():
        setattr(draft, name, value)
    return draft


def codes(audience, draft):
    return [error.code for error in audience.check(draft)]


def options_changed(build, change):
    draft = build()
    change(draft.options)
    return draft


# Every code a rule raises, with a draft that raises it.
FAILURES = [
    ("unknown_kind", lambda: single(kind="bogus")),
    ("no_slot", lambda: single(generator_key=" ")),
    ("empty_prompt", lambda: single(prompt="  ")),
    ("empty_explanation", lambda: single(explanation="")),
    ("difficulty_range", lambda: single(difficulty=1.5)),
    ("no_citation", lambda: single(kind=Kind.CLOZE)),
    ("half_citation", lambda: single(passage=PASSAGE)),
    ("quote_not_in_passage", lambda: single(passage=PASSAGE, quote="Kirov was hated")),
    ("no_claim", lambda: claim_assessment(claim=None)),
    ("not_the_assessment", lambda: claim_assessment(key="Corroborated by historians")),
    ("option_too_long", lambda: options_changed(single, lambda o: setattr(o[1], "feedback", "x" * 501))),
    ("other_modes_data", lambda: options_changed(single, lambda o: setattr(o[1], "correct_position", 2))),
    ("too_few_choices", lambda: options_changed(single, lambda o: o.pop())),
    ("no_correct", lambda: options_changed(single, lambda o: setattr(o[0], "is_correct", False))),
    ("several_correct", lambda: options_changed(single, lambda o: setattr(o[1], "is_correct", True))),
    ("blank_option", lambda: options_changed(single, lambda o: setattr(o[1], "text", " "))),
    ("duplicate_option", lambda: options_changed(single, lambda o: setattr(o[1], "text", " 1934 "))),
    (
        "item_count",
        lambda: ordering(options=[OptionDraft("b", correct_position=2), OptionDraft("a", correct_position=1)]),
    ),
    ("blank_item", lambda: options_changed(ordering, lambda o: setattr(o[0], "text", ""))),
    ("duplicate_item", lambda: options_changed(ordering, lambda o: setattr(o[0], "text", "C"))),
    ("ranks_not_permutation", lambda: options_changed(ordering, lambda o: setattr(o[0], "correct_position", 3))),
    ("shown_in_order", lambda: options_changed(ordering, lambda o: o.sort(key=lambda option: option.correct_position))),
    ("no_side", lambda: options_changed(matching, lambda o: setattr(o[5], "side", ""))),
    (
        "too_few_pairs",
        lambda: matching(options=[OptionDraft("L", side="left", match=1), OptionDraft("R", side="right")]),
    ),
    ("blank_pair", lambda: options_changed(matching, lambda o: setattr(o[4], "text", " "))),
    ("duplicate_left", lambda: options_changed(matching, lambda o: setattr(o[1], "text", "l0"))),
    ("duplicate_right", lambda: options_changed(matching, lambda o: setattr(o[4], "text", "r0"))),
    ("pairing", lambda: options_changed(matching, lambda o: setattr(o[1], "match", 3))),
    ("right_has_partner", lambda: options_changed(matching, lambda o: setattr(o[3], "match", 0))),
]
CODES = [code for code, _ in FAILURES]


@pytest.mark.parametrize("build", [single, ordering, matching, claim_assessment], ids=lambda b: b.__name__)
def test_a_valid_question_of_every_mode_passes_every_audience(build):
    for audience in (GENERATOR, TEACHER, IMPORTER):
        assert audience.check(build()) == [], audience.name


@pytest.mark.parametrize("code, build", FAILURES, ids=CODES)
def test_each_rule_raises_its_code(code, build):
    assert code in codes(GENERATOR, build())


def test_the_runner_collects_every_rule_s_errors_in_order():
    draft = single(prompt="", explanation="", difficulty=2)
    assert codes(GENERATOR, draft) == ["empty_prompt", "empty_explanation", "difficulty_range"]
    both = run(draft, [NotBlank("blank"), prompt_written, Count("few", "only %(count)s", fewest=4)])
    assert [(e.code, list(e)) for e in both] == [("empty_prompt", ["empty prompt"]), ("few", ["only 3"])]


def test_an_unknown_kind_is_the_only_error_reported():
    assert GENERATOR.messages(single(kind="bogus", prompt="")) == ["unknown kind 'bogus'"]
    assert TEACHER.messages(single(kind="bogus", prompt="")) == ["Choose a question kind."]


def test_a_repeated_text_is_named_once_however_often_it_repeats():
    draft = options_changed(single, lambda o: o.extend([OptionDraft("1934"), OptionDraft("1935 ")]))
    assert TEACHER.messages(draft) == [
        "The option “1934” appears twice (options must differ, ignoring case).",
        "The option “1935” appears twice (options must differ, ignoring case).",
    ]
    # The generator's summary says it once.
    assert GENERATOR.messages(draft) == ["two options have the same text"]


def test_a_matching_prompt_may_read_like_an_answer():
    """Students choose among the answers only: no left repeats and no right repeats."""
    assert GENERATOR.check(options_changed(matching, lambda o: setattr(o[0], "text", "R0"))) == []


def _names(rules):
    return [getattr(rule, "__name__", type(rule).__name__) for rule in rules]


@pytest.mark.parametrize("kind", [Kind.WHEN, Kind.CHRONOLOGY, Kind.MATCHING])
def test_the_answer_mode_contributes_its_rules_and_their_wording(kind):
    mode = mode_for(kind)
    own = _names(mode.rules(GENERATOR, kind))
    every = _names(GENERATOR.rules_for(QuestionDraft(kind, "k", "p", [], "e")))
    start = every.index(own[0])
    assert every[start : start + len(own)] == own
    assert set(mode.error_messages) == {"teacher", "importer"}


def test_option_key_ignores_case_and_spacing():
    assert option_key("  Kirov\tMironovich ") == option_key("kirov mironovich")


# --- The generator: the rules' own terse words -------------------------------------------------


def test_the_generator_reads_the_rules_own_words():
    assert GENERATOR.error_messages == {}
    assert GENERATOR.messages(single(kind=Kind.CLOZE, explanation="")) == [
        "empty explanation",
        "no citation (passage and quote)",
    ]
    assert GENERATOR.messages(options_changed(single, lambda o: o.pop())) == ["only 2 choices (at least 3 needed)"]
    assert GENERATOR.messages(single(passage=PASSAGE, quote="Kirov was hated")) == [
        "the quote does not occur in passage §4"
    ]


# --- A teacher: the question form's words ---------------------------------------------------------


@pytest.mark.parametrize(
    "code, build", [f for f in FAILURES if f[0] != "no_slot"], ids=[c for c in CODES if c != "no_slot"]
)
def test_a_teacher_reads_every_code_in_their_own_words(code, build):
    generator_words = {e.code: list(e) for e in GENERATOR.check(build())}
    teacher_words = {e.code: list(e) for e in TEACHER.check(build())}
    assert teacher_words[code] != generator_words[code]
    assert all(message.endswith(".") for message in teacher_words[code])


@pytest.mark.parametrize(
    "draft, message",
    [
        (
            Draft(kind="when", prompt="", explanation="y", choices=["a", "b", "c"], correct=0),
            "Write the question's prompt.",
        ),
        (
            Draft(kind="when", prompt="x", choices=["a", "b", "c"], correct=0),
            "Write an explanation: students see it after answering.",
        ),
        (
            Draft(kind="cloze", prompt="x", explanation="y", choices=["a", "b", "c"], correct=0),
            "This kind of question rests on the interview's words: choose the passage and copy the exact words it quotes.",
        ),
        (
            Draft(
                kind="when",
                prompt="x",
                explanation="y",
                choices=["a", "b", "c"],
                correct=0,
                passage=PASSAGE,
                quote="Kirov was hated",
            ),
            "The quoted words do not occur in passage 4; copy them exactly.",
        ),
        (
            Draft(kind="when", prompt="x", explanation="y", choices=["a", "b", "c"], correct=0, quote="Kirov"),
            "Give both the passage and the words quoted from it, or neither.",
        ),
        (Draft(kind="when", prompt="x", explanation="y", choices=["a", "b"], correct=0), "Give at least 3 options."),
        (
            Draft(kind="true_false", prompt="x", explanation="y", choices=["True"], correct=0),
            "Give at least 2 options.",
        ),
        (
            Draft(kind="when", prompt="x", explanation="y", choices=["a", "b", "c"], correct=None),
            "Mark exactly one option as the correct answer.",
        ),
        (
            Draft(kind="when", prompt="x", explanation="y", choices=["a", " ", "c"], correct=0),
            "Options cannot be blank.",
        ),
        (
            Draft(kind="when", prompt="x", explanation="y", choices=["Kirov", "KIROV ", "c"], correct=0),
            "The option “KIROV” appears twice (options must differ, ignoring case).",
        ),
        (Draft(kind="chronology", prompt="x", explanation="y", order=["a", "b"]), "Give 3 to 5 items to put in order."),
        (
            Draft(kind="chronology", prompt="x", explanation="y", order=["a", "", "c"]),
            "Items to order cannot be blank.",
        ),
        (
            Draft(kind="chronology", prompt="x", explanation="y", order=["a", "b", "a "]),
            "The item “a” appears twice (items must be distinct).",
        ),
        (
            Draft(kind="matching", prompt="x", explanation="y", pairs=[("a", "1"), ("b", "2")]),
            "Give at least 3 pairs to match.",
        ),
        (
            Draft(kind="matching", prompt="x", explanation="y", pairs=[("a", "1"), ("b", "2"), ("c", "")]),
            "Every pair needs both a left and a right side.",
        ),
        (
            Draft(kind="matching", prompt="x", explanation="y", pairs=[("a", "1"), ("A", "2"), ("c", "3")]),
            "“A” appears twice on the left; each item must be matched once.",
        ),
        (
            Draft(kind="matching", prompt="x", explanation="y", pairs=[("a", "1"), ("b", "2"), ("c", "2")]),
            "“2” appears twice on the right; each answer must be used once.",
        ),
    ],
)
def test_a_teacher_s_draft_is_refused_in_the_form_s_words(draft, message):
    assert message in TEACHER.messages(generation_draft(draft))


def test_a_teacher_s_claim_assessment_is_keyed_to_the_historians_verdict():
    wrong = claim_assessment(key="Corroborated by historians")
    assert TEACHER.messages(wrong) == [
        "Historians assess this claim as “Disputed by historians”: mark that option as the correct one."
    ]
    assert TEACHER.messages(claim_assessment(claim=None)) == ["Choose the claim this question asks students to assess."]


def test_teachers_and_the_generator_share_the_thresholds():
    """A teacher's question is never one that generation would refuse: only the slot differs."""
    shared = {name: value for name, value in vars(TEACHER).items() if name not in {"name", "error_messages", "slots"}}
    assert shared == {name: value for name, value in vars(GENERATOR).items() if name in shared}
    assert GENERATOR.slots and not TEACHER.slots


# --- An importer: the message naming the line -----------------------------------------------------


def parsed(kind="multiple_choice", **fields):
    q = {
        "kind": kind,
        "prompt": "Who?",
        "where": "Line 3",
        "name": "",
        "explanation": "",
        "options": [],
        "order": [],
        "pairs": [],
        "distractors": [],
    }
    q.update(fields)
    return q


def answers(*texts, right=0):
    return [{"text": t, "is_correct": i == right, "feedback": ""} for i, t in enumerate(texts)]


def refusal(q):
    with pytest.raises(ImportFailed) as excinfo:
        check_question(q)
    return excinfo.value.message


@pytest.mark.parametrize(
    "q, message",
    [
        (parsed(prompt=" ", options=answers("a", "b")), "Line 3: the question has no text."),
        (parsed(options=answers("a")), "Line 3: a choice question needs at least two answers."),
        (parsed(options=answers("a", "b", right=None)), "Line 3: no answer is marked correct."),
        (
            parsed(options=[{"text": t, "is_correct": True, "feedback": ""} for t in "abc"]),
            "Line 3: 3 answers are marked correct; a single-choice question needs exactly one.",
        ),
        (parsed(options=answers("a", "")), "Line 3: an answer is empty."),
        (parsed(options=answers("Kirov", "Kirov")), "Line 3: two answers have the same text."),
        (parsed("chronology", order=["a"]), "Line 3: an ordering question needs at least two items."),
        (parsed("chronology", order=["a", "a"]), "Line 3: ordering items must be distinct and not empty."),
        (parsed("chronology", order=["a", ""]), "Line 3: ordering items must be distinct and not empty."),
        (parsed("matching", pairs=[("a", "1")]), "Line 3: a matching question needs at least two pairs (found 1)."),
        (
            parsed("matching", pairs=[("a", "1"), ("b", "")]),
            "Line 3: a matching pair is missing its left or right side.",
        ),
        (parsed("matching", pairs=[("a", "1"), ("a", "2")]), "Line 3: two matching items have the same text."),
        (parsed("matching", pairs=[("a", "NKVD"), ("b", "nkvd")]), "Line 3: two matching answers have the same text."),
        (parsed(name="Two", options=answers("a", "b", right=None)), "Line 3 (Two): no answer is marked correct."),
    ],
)
def test_an_import_is_refused_with_the_first_problem_naming_where_it_is(q, message):
    assert refusal(q) == message


def test_an_importer_reads_the_first_error_only():
    q = parsed(prompt="", options=answers("a"))
    assert [
        e.code for e in IMPORTER.check(QuestionDraft(q["kind"], "", "", mode_for(q["kind"]).parsed_options(q), ""))
    ] == ["empty_prompt", "too_few_choices"]
    assert refusal(q) == "Line 3: the question has no text."


def test_an_answer_over_the_cap_is_refused_in_the_caps_words():
    q = parsed(
        options=[
            {"text": "a", "is_correct": True, "feedback": "f" * 501},
            {"text": "b", "is_correct": False, "feedback": ""},
        ]
    )
    assert refusal(q) == "Line 3: an answer or its feedback is 501 characters long; the limit is 500."


@pytest.mark.parametrize(
    "q, refused_by_the_bank",
    [
        (parsed(options=answers("Kirov", "Yagoda"), explanation="Why."), ["too_few_choices"]),
        (parsed(options=answers("Kirov", "Yagoda", "Yezhov")), ["empty_explanation"]),
        (
            parsed(
                "cloze", prompt="Kirov led _____.", options=answers("Leningrad", "Moscow", "Kiev"), explanation="Why."
            ),
            ["no_citation"],
        ),
        (parsed("chronology", order=["first", "second", "third"], explanation="Why."), ["shown_in_order"]),
        (parsed("chronology", order=["first", "second"], explanation="Why."), ["item_count", "shown_in_order"]),
        (
            parsed(
                "matching",
                pairs=[("Kirov", "Leningrad"), ("Zhdanov", "Leningrad"), ("Molotov", "Sovnarkom")],
                distractors=["Moscow"],
                explanation="Why.",
            ),
            ["pairing"],
        ),
        (parsed("matching", pairs=[("Kirov", "Leningrad"), ("Yagoda", "NKVD")], explanation="Why."), ["too_few_pairs"]),
    ],
    ids=[
        "two choices",
        "no explanation",
        "cloze without a quote",
        "items in order",
        "two items",
        "shared answer",
        "two pairs",
    ],
)
def test_what_an_import_may_be_that_the_bank_may_not(q, refused_by_the_bank):
    """Imports are not about the interview and follow Moodle's minimums (the module docstring)."""
    check_question(q)
    draft = QuestionDraft(q["kind"], "imported", q["prompt"], mode_for(q["kind"]).parsed_options(q), q["explanation"])
    assert IMPORTER.check(draft) == []
    assert codes(GENERATOR, draft) == refused_by_the_bank


def test_the_importer_s_thresholds():
    assert (IMPORTER.needs_explanation, IMPORTER.needs_citation, IMPORTER.one_to_one, IMPORTER.hides_key_order) == (
        False,
    ) * 4
    assert (IMPORTER.fewest_choices, IMPORTER.order_items, IMPORTER.fewest_pairs, IMPORTER.option_width) == (
        2,
        (2, None),
        2,
        None,
    )


def test_a_rule_error_is_a_django_validation_error():
    (error,) = TEACHER.check(single(difficulty=-1))
    assert isinstance(error, ValidationError)
    assert (error.code, error.params, list(error)) == (
        "difficulty_range",
        {"difficulty": -1},
        ["Difficulty -1 is outside 0..1."],
    )
