"""Property: any text survives export and re-import in both formats, whatever special
characters (GIFT's ~ = # { } :, backslashes, HTML's < > &, cloze escapes) it contains, and a
hostile set title or prompt (comment and category markers, carriage returns) neither changes
nor adds a question or a category."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.models import Kind, Option
from tests import factories as f
from tests.interop_support import export, import_file, set_questions, shape, upload

pytestmark = pytest.mark.django_db

# Words without whitespace (HTML collapses runs of it) and without underscores (the cloze gap).
ALPHABET = "abcXYZ019~=#{}:\\<>&\"'-%/;[]().,!?$é—“”→"
word = st.text(alphabet=ALPHABET, min_size=1, max_size=8)
text = st.lists(word, min_size=1, max_size=5).map(" ".join)
distinct_texts = st.lists(text, min_size=2, max_size=4, unique=True)

SLOW = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SLOW
@given(
    prompt=text, answers=distinct_texts, feedback=text, explanation=text, fmt=st.sampled_from(["gift", "moodle_xml"])
)
def test_single_choice_text_survives(teacher_client, teacher, prompt, answers, feedback, explanation, fmt):
    q = f.single_choice(
        prompt, answers, correct=len(answers) - 1, kind=Kind.MULTIPLE_CHOICE, quote=False, explanation=explanation
    )
    Option.objects.filter(question=q, position=0).update(feedback=feedback)
    qset = f.question_set(teacher, [q], visibility="private")
    (copy,) = set_questions(
        import_file(teacher_client, f"x.{'gift' if fmt == 'gift' else 'xml'}", export(teacher_client, qset, fmt))
    )
    assert (copy.prompt, copy.explanation, shape(copy)) == (q.prompt, q.explanation, shape(q))


@SLOW
@given(before=text, after=text, answers=distinct_texts, fmt=st.sampled_from(["gift", "moodle_xml"]))
def test_cloze_text_survives(teacher_client, teacher, before, after, answers, fmt):
    q = f.cloze(f"{before} _____ {after}", answers, correct=0, quote=False)
    qset = f.question_set(teacher, [q], visibility="private")
    (copy,) = set_questions(
        import_file(teacher_client, f"x.{'gift' if fmt == 'gift' else 'xml'}", export(teacher_client, qset, fmt))
    )
    assert copy.kind == Kind.CLOZE
    assert (copy.prompt, shape(copy)) == (q.prompt, shape(q))


@SLOW
@given(lefts=distinct_texts, rights=distinct_texts, fmt=st.sampled_from(["gift", "moodle_xml"]))
def test_matching_text_survives(teacher_client, teacher, lefts, rights, fmt):
    pairs = list(zip(lefts, rights))
    q = f.matching("Match them.", pairs, quote=False)
    qset = f.question_set(teacher, [q], visibility="private")
    (copy,) = set_questions(
        import_file(teacher_client, f"x.{'gift' if fmt == 'gift' else 'xml'}", export(teacher_client, qset, fmt))
    )
    assert shape(copy) == shape(q)


# Hostile titles and prompts: GIFT's and Moodle's special sequences, comment and category
# markers, and every way of writing a line break (a title is one line: its spaces are collapsed).
TOKENS = [
    "//",
    "::",
    "->",
    "%50%",
    "%-100%",
    "$CATEGORY:",
    "$course$",
    "top",
    "####",
    "[html]",
    "{T}",
    "=",
    "~",
    "#",
    "\\",
    "/",
]
token = st.one_of(word, st.sampled_from(TOKENS))
line_break = st.sampled_from([" ", "\n", "\r\n", "\r", "\n\n", "\r\r"])
hostile_prompt = st.lists(st.tuples(token, line_break), min_size=1, max_size=8).map(
    lambda parts: "".join(t + b for t, b in parts)[: -len(parts[-1][1])]
)
hostile_title = st.lists(token, min_size=1, max_size=6).map(" ".join)


@SLOW
@given(title=hostile_title, prompt=hostile_prompt, answers=distinct_texts, fmt=st.sampled_from(["gift", "moodle_xml"]))
def test_hostile_titles_and_prompts_survive_and_inject_nothing(teacher_client, teacher, title, prompt, answers, fmt):
    q = f.single_choice(prompt, answers, correct=0, kind=Kind.MULTIPLE_CHOICE, quote=False, explanation=prompt)
    qset = f.question_set(teacher, [q], title=title, visibility="private")
    preview = upload(teacher_client, f"x.{'gift' if fmt == 'gift' else 'xml'}", export(teacher_client, qset, fmt))
    assert preview.status_code == 200, preview.context.get("import_error")
    assert len(preview.context["questions"]) == 1 and preview.context["skipped"] == []
    assert len(preview.context["categories"]) == 1
    assert preview.context["confirm"].initial["title"] == title
    as_lines = prompt.replace("\r\n", "\n").replace("\r", "\n")
    (parsed,) = preview.context["questions"]
    assert (parsed.prompt, parsed.explanation) == (as_lines, as_lines)
    assert [o.text for o in parsed.options] == answers
