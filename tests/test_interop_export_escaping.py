"""Hostile set titles and prompts through export and re-import: every character GIFT or
Moodle XML treats specially comes back as it was, and none of them can add a question or a
category to the exported file. Exported over HTTP, imported through the upload and confirm
views (the helpers in tests/interop_support.py)."""

import pytest
from django.urls import reverse

from quiz.models import Kind, QuestionSet
from tests import factories as f
from tests.interop_support import confirm, export, import_file, set_questions, shape, upload

pytestmark = pytest.mark.django_db

FILENAMES = {"gift": "export.gift", "moodle_xml": "export.xml"}

HOSTILE_TITLES = [
    "Year 12 / Terror 1934–38",  # a slash nests Moodle categories unless escaped
    "Paths like a//b and a/ and /c",
    "$100 question: $course$ money",  # a leading $ is a Moodle category variable
    "Top",  # Moodle's own top category name
    "Braces {=Kirov ~Yagoda} and ::names:: #3",
    r"Backslash \ and \n and \{",
    "Matching a -> b and %50% weights",
    "// not a comment",
    "Dashes --- and -- in a comment -->",
]


@pytest.mark.parametrize("fmt", ["gift", "moodle_xml"])
@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_a_hostile_set_title_survives_export_and_reimport(teacher_client, teacher, fmt, title):
    q = f.single_choice("Who led Leningrad?", ["Kirov", "Yagoda"], quote=False)
    qset = f.question_set(teacher, [q], title=title, visibility="private")
    preview = upload(teacher_client, FILENAMES[fmt], export(teacher_client, qset, fmt))
    assert preview.status_code == 200, preview.context.get("import_error")
    # One question and one category: nothing in the title became a question or a category.
    assert len(preview.context["questions"]) == 1 and preview.context["skipped"] == []
    assert len(preview.context["categories"]) == 1
    assert preview.context["confirm"].initial["title"] == title


HOSTILE_PROMPTS = [
    # A carriage return is a line break to GIFT readers: two make a blank line, which ends a question.
    "First part\r\r$CATEGORY: $course$/top/Injected\r\r::Evil::Injected? {=evil ~good}",
    "Before a comment\r// the rest of this line would be dropped",
    "Windows line\r\nendings\r\nkept as lines",
    "::Q1::[html]{T}",
    "Weights %100% and %-50% and =right ~wrong #feedback ####general",
    "$CATEGORY: at the start",
    r"Ends with a backslash \\",
]


@pytest.mark.parametrize("fmt", ["gift", "moodle_xml"])
@pytest.mark.parametrize("prompt", HOSTILE_PROMPTS)
def test_a_hostile_prompt_survives_export_and_reimport(teacher_client, teacher, fmt, prompt):
    q = f.single_choice(prompt, ["Kirov {=a}", "Yagoda\r\rnext"], quote=False, explanation=prompt)
    qset = f.question_set(teacher, [q], title="Hostile prompts", visibility="private")
    preview = upload(teacher_client, FILENAMES[fmt], export(teacher_client, qset, fmt))
    assert preview.status_code == 200, preview.context.get("import_error")
    assert preview.context["categories"] == ["$course$/top/Hostile prompts"] and preview.context["skipped"] == []
    confirm(teacher_client, preview)
    (copy,) = set_questions(QuestionSet.objects.exclude(pk=qset.pk).get())
    # Line breaks come back as line breaks (\n), whichever way they were written.
    as_lines = prompt.replace("\r\n", "\n").replace("\r", "\n")
    assert copy.prompt == as_lines
    assert copy.explanation == as_lines
    assert [o.text for o in copy.options.order_by("position")] == ["Kirov {=a}", "Yagoda\n\nnext"]


@pytest.mark.parametrize("character", ["\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\ufffe"])
def test_characters_xml_cannot_hold_are_left_out_of_the_moodle_xml_export(teacher_client, teacher, character):
    """XML 1.0 has no way to write these (not even as &#...;): a file holding one is not XML."""
    q = f.single_choice(f"Who{character} led Leningrad?", [f"Kirov{character}", "Yagoda"], quote=False)
    qset = f.question_set(teacher, [q], title=f"Title{character}", visibility="private")
    (copy,) = set_questions(import_file(teacher_client, "export.xml", export(teacher_client, qset, "moodle_xml")))
    assert copy.prompt == "Who led Leningrad?"
    assert shape(copy)["options"] == [("Kirov", True, ""), ("Yagoda", False, "")]


def test_the_gift_category_escapes_slashes_as_moodle_does(teacher_client, teacher):
    qset = f.question_set(teacher, [f.single_choice(quote=False)], title="Year 12 / Terror", visibility="private")
    text = teacher_client.get(reverse("quiz:interop_export_gift", args=[qset.pk])).content.decode()
    assert "$CATEGORY: $course$/top/Year 12 // Terror\n" in text


def test_a_hostile_cloze_and_matching_question_survive(teacher_client, teacher):
    cloze = f.cloze("Before\r\r$CATEGORY: x _____ after {T} //", ["Smolny {a}", "Kremlin"], correct=0, quote=False)
    matching = f.matching("Match\r\r::x::", [("a -> b", "c\r\rd"), ("%50% e", "=f")], quote=False)
    qset = f.question_set(teacher, [cloze, matching], title="Mixed", visibility="private")
    for fmt in ("gift", "moodle_xml"):
        copies = set_questions(import_file(teacher_client, FILENAMES[fmt], export(teacher_client, qset, fmt)))
        assert [c.kind for c in copies] == [Kind.CLOZE, Kind.MATCHING]
        assert copies[0].prompt == "Before\n\n$CATEGORY: x _____ after {T} //"
        assert shape(copies[0])["options"] == [("Smolny {a}", True, ""), ("Kremlin", False, "")]
        assert copies[1].prompt == "Match\n\n::x::"
        assert shape(copies[1])["pairs"] == [("a -> b", "c\n\nd"), ("%50% e", "=f")]
