"""What an import and an export give: typed results, not text to search.

A parse gives a ParsedFile of ParsedQuestion and Skipped, and survives the session as it was.
An export gives an ExportFile: each question of the set is Exported, or LeftOut with the reason
the teacher is told; the file says so in a comment, and no exported question's text carries a
marker for the caller to find."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains

from quiz import answer_modes
from quiz.interop import gift, moodle_xml
from quiz.interop.common import (
    NOT_EXPRESSIBLE,
    RETIRED,
    UNKNOWN_KIND,
    Exported,
    LeftOut,
    ParsedFile,
    ParsedQuestion,
    Skipped,
    set_questions,
)
from quiz.models import Kind, Option, Question
from tests import factories as f

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
EXPORTS = {"GIFT": gift.export, "Moodle XML": moodle_xml.export}


def a_set(owner, questions):
    qset = f.question_set(owner, questions, title="Results", visibility="private")
    return qset, set_questions(qset)


def retire(question):
    Question.objects.filter(pk=question.pk).update(is_retired=True, retired_reason="source facts changed")


# --- Import: typed results that survive the session ------------------------------------


@pytest.mark.parametrize(
    "parse,name", [(gift.parse, "interop_realistic.gift"), (moodle_xml.parse, "interop_realistic.xml")]
)
def test_a_parse_gives_typed_questions_and_skips_that_survive_the_session(parse, name):
    parsed = parse((DATA / name).read_text(encoding="utf-8"))
    assert parsed.questions and all(isinstance(q, ParsedQuestion) and q.kind for q in parsed.questions)
    assert all(isinstance(s, Skipped) and s.reason for s in parsed.skipped)
    assert ParsedFile.from_dict(parsed.as_dict()) == parsed


def test_the_preview_lists_what_was_skipped_and_why(teacher_client):
    gift_text = "Who led Leningrad? {=Kirov ~Yagoda}\n\nHow many? {#3}\n\nWrite an essay. {}\n"
    upload = SimpleUploadedFile("mixed.gift", gift_text.encode())
    preview = teacher_client.post(reverse("quiz:interop_import"), {"file": upload}, follow=True)
    assert [s.where for s in preview.context["skipped"]] == ["Line 3", "Line 5"]
    assert [s.reason for s in preview.context["skipped"]] == [
        "Numerical questions are not supported and will be skipped.",
        "Essay questions (an empty answer block) are not supported and will be skipped.",
    ]
    assertContains(
        preview,
        "<li><strong>How many?</strong> (Line 3): Numerical questions are not supported and will be skipped.</li>",
        html=True,
    )


# --- Export: what became of each question -----------------------------------------------


def test_each_question_is_exported_or_left_out_saying_why(teacher):
    live = f.single_choice("Who led Leningrad?", ["Kirov", "Yagoda", "Zhdanov"])
    retired = f.single_choice("Who was retired?", ["Kirov", "Yagoda", "Zhdanov"])
    ordering = f.ordering("Put these in order.", ["First", "Second", "Third"])
    retire(retired)
    qset, questions = a_set(teacher, [live, retired, ordering])

    gift_file = gift.export(qset, questions)
    assert [type(r) for r in gift_file.results] == [Exported, LeftOut, LeftOut]
    assert [r.question.pk for r in gift_file.results] == [live.pk, retired.pk, ordering.pk]
    assert [(r.code, r.reason) for r in gift_file.left_out] == [
        (RETIRED, "Retired: not exported."),
        (NOT_EXPRESSIBLE, "Ordering question: GIFT cannot express ordering (use Moodle XML)."),
    ]
    xml_file = moodle_xml.export(qset, questions)
    assert [type(r) for r in xml_file.results] == [Exported, LeftOut, Exported]
    assert [(r.code, r.reason) for r in xml_file.left_out] == [(RETIRED, "Retired: not exported.")]
    # The file says what it left out where the question would have been.
    assert "// NOT EXPORTED: retired question “Who was retired?”" in gift_file.text
    assert "// NOT EXPORTED: ordering question “Put these in order.” — GIFT cannot express ordering" in gift_file.text
    assert "  <!-- NOT EXPORTED: retired question “Who was retired?” -->" in xml_file.text


def test_no_exported_question_carries_a_marker(teacher):
    cloze = f.cloze("Kirov was popular in _____ in 1934.", ["Leningrad", "Moscow", "Kiev"])
    matching = f.matching("Match them.")
    Option.objects.filter(question=matching).update(feedback="Noted.")
    questions = [
        f.single_choice("Who?", ["Kirov", "Yagoda", "Zhdanov"]),
        f.single_choice("Kirov was killed in 1934.", ["True", "False"], kind=Kind.TRUE_FALSE),
        cloze,
        f.cloze("A gap at the end: _____", ["a", "b", "c"]),
        f.cloze("No gap at all.", ["a", "b", "c"]),
        matching,
        f.ordering(),
    ]
    qset, questions = a_set(teacher, questions)
    for label, export in EXPORTS.items():
        exported = [r for r in export(qset, questions).results if isinstance(r, Exported)]
        assert exported, label
        assert not [r.text for r in exported if "NOT EXPORTED" in r.text], label


def test_a_prompt_that_says_not_exported_is_still_exported(teacher_client, teacher):
    """The export page counts left-out questions from the results, not from the file's text: a
    question whose own words say NOT EXPORTED, written with a note, is still counted in."""
    question = f.matching("NOT EXPORTED yet: match each person to the post.")
    Option.objects.filter(question=question).update(feedback="A note the formats drop.")
    qset = f.question_set(teacher, [question], visibility="private")
    page = teacher_client.get(reverse("quiz:interop_export", args=[qset.pk]))
    assert page.context["gift_skipped"] == 0 and page.context["xml_skipped"] == 0
    assert page.context["rows"][0]["notes"] == [
        "GIFT: Feedback on matching pairs is not carried by GIFT.",
        "Moodle XML: Feedback on matching pairs is not carried by Moodle XML.",
    ]


def test_the_export_page_tells_the_teacher_which_questions_are_left_out_and_why(teacher_client, teacher):
    live = f.single_choice("Who led Leningrad?", ["Kirov", "Yagoda", "Zhdanov"])
    retired = f.single_choice("Who was retired?", ["Kirov", "Yagoda", "Zhdanov"])
    retire(retired)
    ordering = f.ordering("Put these in order.", ["First", "Second", "Third"])
    qset = f.question_set(teacher, [live, retired, ordering], visibility="private")
    page = teacher_client.get(reverse("quiz:interop_export", args=[qset.pk]))
    assert page.context["gift_skipped"] == 2 and page.context["xml_skipped"] == 1
    notes = {row["question"].pk: row["notes"] for row in page.context["rows"]}
    assert notes == {
        live.pk: [],
        retired.pk: ["GIFT: Retired: not exported.", "Moodle XML: Retired: not exported."],
        ordering.pk: ["GIFT: Ordering question: GIFT cannot express ordering (use Moodle XML)."],
    }
    assertContains(page, '<li><span aria-hidden="true">⚠</span> GIFT: Retired: not exported.</li>', html=True)
    assertContains(page, "<strong>2 questions cannot be expressed in GIFT</strong>", html=True)
    assertContains(page, "<strong>1 question cannot be exported.</strong>", html=True)


def test_a_question_of_an_unknown_kind_is_left_out_by_both_formats(teacher):
    question = f.single_choice("An old kind?", ["a", "b", "c"])
    Question.objects.filter(pk=question.pk).update(kind="essay")
    qset, questions = a_set(teacher, [question])
    gift_file, xml_file = gift.export(qset, questions), moodle_xml.export(qset, questions)
    for exported in (gift_file, xml_file):
        assert [(r.code, r.reason) for r in exported.results] == [(UNKNOWN_KIND, "Unknown kind: not exported.")]
    assert "// NOT EXPORTED: “An old kind?” — unknown kind" in gift_file.text
    assert "<!-- NOT EXPORTED: “An old kind?” (unknown kind) -->" in xml_file.text


def test_an_answer_mode_without_export_hooks_is_left_out_saying_why(monkeypatch, teacher):
    """Adding an answer type is adding one class: until it writes itself, both formats leave
    its questions out and say why, rather than failing."""

    class Numeric(answer_modes.AnswerMode):
        name = "numeric"

    monkeypatch.setitem(answer_modes.MODES, "numeric", Numeric())
    monkeypatch.setitem(answer_modes.KIND_MODES, Kind.WHEN, "numeric")
    question = f.single_choice("In which year?", ["1934", "1936", "1938"], kind=Kind.WHEN)
    qset, questions = a_set(teacher, [question])
    gift_file, xml_file = gift.export(qset, questions), moodle_xml.export(qset, questions)
    assert [r.reason for r in gift_file.left_out] == ["Numeric question: GIFT cannot express numeric."]
    assert [r.reason for r in xml_file.left_out] == ["Numeric question: Moodle XML cannot express numeric."]
    assert "// NOT EXPORTED: numeric question “In which year?” — GIFT cannot express numeric" in gift_file.text
    assert (
        "<!-- NOT EXPORTED: numeric question “In which year?” — Moodle XML cannot express numeric -->" in xml_file.text
    )
