"""Round trips through the public surface: export a set over HTTP, upload the file to the
importer, confirm, and compare the imported questions with the originals."""

import pytest
from django.urls import reverse

from quiz.interop.common import general_feedback
from quiz.models import Kind, Option, Origin, Question
from tests import factories as f
from tests.interop_support import export, import_file, set_questions, shape

pytestmark = pytest.mark.django_db


# --- Questions of every exportable kind --------------------------------------------------


def all_kinds(owner):
    single = f.single_choice(
        "Who was first secretary in Leningrad in 1934? (a = b: {braces} #hash ~tilde)",
        ["Kirov", "Yagoda", "Zhdanov"],
        correct=0,
        kind=Kind.WHO_HELD_ROLE,
        explanation="Kirov led Leningrad from 1926 & was killed in 1934 <not a tag>.",
    )
    Option.objects.filter(question=single, text="Yagoda").update(feedback="No: Yagoda headed the NKVD.")
    Option.objects.filter(question=single, text="Kirov").update(feedback="Right.")
    role = f.single_choice(
        "What was Yagoda's post?", ["NKVD chief", "Marshal", "Premier"], correct=0, kind=Kind.ROLE_OF_FIGURE
    )
    when = f.single_choice("When was Kirov killed?", ["1934", "1936", "1938"], correct=0, kind=Kind.WHEN, quote=False)
    attribution = f.single_choice(
        "According to the interview, who said it?",
        ["The interviewer", "Maskharashvili"],
        correct=1,
        kind=Kind.ATTRIBUTION,
    )
    claim = f.single_choice(
        "How do historians assess this claim?",
        ["Corroborated", "Disputed", "Contradicted", "Unverifiable"],
        correct=2,
        kind=Kind.CLAIM_ASSESSMENT,
    )
    cloze = f.cloze(
        "Fill the gap in this quotation (§3): “Kirov was popular in _____, everyone knew it.”",
        ["Leningrad", "Moscow", "Kiev"],
        correct=0,
    )
    true_false = f.single_choice("Kirov was killed in Smolny.", ["True", "False"], correct=0, kind=Kind.TRUE_FALSE)
    Option.objects.filter(question=true_false, text="False").update(feedback="He was shot in Smolny.")
    false_key = f.single_choice("Kirov died in 1937.", ["True", "False"], correct=1, kind=Kind.TRUE_FALSE, quote=False)
    multiple = f.single_choice("Line one\nline two?", ["Yes", "No"], correct=1, kind=Kind.MULTIPLE_CHOICE, quote=False)
    matching = f.matching(
        "Match each person to the post.",
        [("Kirov", "Leningrad party chief"), ("Yagoda", "NKVD head"), ("Tukhachevsky", "Marshal -> army")],
    )
    Option.objects.create(question=matching, text="Comintern chairman", side=Option.Side.RIGHT, position=150)
    ordering = f.ordering(
        "Put these in order, earliest first.", ["Kirov killed", "First show trial", "Tukhachevsky shot"]
    )
    questions = [single, role, when, attribution, claim, cloze, true_false, false_key, multiple, matching, ordering]
    return f.question_set(owner, questions, title="Everything: Terror 1934–38", visibility="private"), questions


# Single-choice kinds come back as generic multiple choice: the formats do not carry our kinds.
EXPECTED_KIND = {
    Kind.WHO_HELD_ROLE: Kind.MULTIPLE_CHOICE,
    Kind.ROLE_OF_FIGURE: Kind.MULTIPLE_CHOICE,
    Kind.WHEN: Kind.MULTIPLE_CHOICE,
    Kind.ATTRIBUTION: Kind.MULTIPLE_CHOICE,
    Kind.CLAIM_ASSESSMENT: Kind.MULTIPLE_CHOICE,
    Kind.MULTIPLE_CHOICE: Kind.MULTIPLE_CHOICE,
    Kind.CLOZE: Kind.CLOZE,
    Kind.TRUE_FALSE: Kind.TRUE_FALSE,
    Kind.MATCHING: Kind.MATCHING,
    Kind.CHRONOLOGY: Kind.CHRONOLOGY,
}


@pytest.mark.parametrize("fmt,filename", [("gift", "export.gift"), ("moodle_xml", "export.xml")])
def test_every_exportable_kind_survives_a_round_trip(teacher_client, teacher, fmt, filename):
    qset, originals = all_kinds(teacher)
    text = export(teacher_client, qset, fmt)
    imported_set = import_file(teacher_client, filename, text)

    expected = [q for q in originals if not (fmt == "gift" and q.kind == Kind.CHRONOLOGY)]
    imported = set_questions(imported_set)
    assert len(imported) == len(expected)
    for original, copy in zip(expected, imported):
        assert copy.kind == EXPECTED_KIND[original.kind], original.prompt
        assert copy.prompt == original.prompt
        assert shape(copy) == shape(original), original.prompt
        # The explanation comes back as general feedback, with the citation written into it.
        assert copy.explanation == general_feedback(original)
        assert copy.origin == Origin.IMPORTED and copy.author == teacher
    assert imported_set.owner == teacher and imported_set.visibility == "private"
    assert imported_set.title == "Everything: Terror 1934–38"


def test_the_citation_is_written_into_the_general_feedback(teacher_client, teacher):
    psg = f.passage("Kirov was very popular in Leningrad, said the professor.")
    q = f.single_choice("Where was Kirov popular?", ["Leningrad", "Moscow"], psg=psg, quote="very popular in Leningrad")
    qset = f.question_set(teacher, [q], visibility="private")
    for fmt in ("gift", "moodle_xml"):
        text = export(teacher_client, qset, fmt)
        assert f"passage §{psg.position}" in text
        assert "very popular in Leningrad" in text


def test_gift_cannot_express_ordering_and_says_so(teacher_client, teacher):
    qset, _ = all_kinds(teacher)
    text = export(teacher_client, qset, "gift")
    assert '// NOT EXPORTED: ordering question "' not in text  # quotes are typographic
    assert (
        "// NOT EXPORTED: ordering question “Put these in order, earliest first.” — GIFT cannot express ordering"
        in text
    )
    page = teacher_client.get(reverse("quiz:interop_export", args=[qset.pk]))
    assert "GIFT: Ordering question: GIFT cannot express ordering" in page.content.decode()
    assert page.context["gift_skipped"] == 1 and page.context["xml_skipped"] == 0


def test_moodle_xml_ordering_lists_items_in_the_right_order(teacher_client, teacher):
    q = f.ordering("Order these.", ["A first", "B second", "C third"])
    # Store them out of order to be sure the export sorts by the key, not by position.
    Option.objects.filter(question=q, text="A first").update(position=9)
    qset = f.question_set(teacher, [q], visibility="private")
    text = export(teacher_client, qset, "moodle_xml")
    assert '<question type="ordering">' in text
    assert text.index("A first") < text.index("B second") < text.index("C third")


def test_retired_questions_are_left_out_with_a_note(teacher_client, teacher):
    live = f.single_choice("Live question?", ["Yes", "No"])
    retired = f.single_choice("Retired question?", ["Yes", "No"])
    Question.objects.filter(pk=retired.pk).update(is_retired=True, retired_reason="source facts changed")
    qset = f.question_set(teacher, [live, retired], visibility="private")
    for fmt, filename in (("gift", "a.gift"), ("moodle_xml", "a.xml")):
        text = export(teacher_client, qset, fmt)
        assert "NOT EXPORTED: retired question" in text
        copy = import_file(teacher_client, filename, text)
        assert [q.prompt for q in set_questions(copy)] == ["Live question?"]
