"""Importing realistic GIFT and Moodle XML files, and refusing malformed ones (error names the
line or element, nothing is saved)."""

from pathlib import Path

import pytest

from quiz.models import Kind, Option, Origin, Question, QuestionSet, SetItem
from tests.interop_support import confirm, import_file, set_questions, shape, upload

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def by_prompt(qset):
    return {q.prompt: q for q in set_questions(qset)}


def all_text(qset):
    """Every stored string of the imported questions, to look for anything unsafe."""
    parts = []
    for q in set_questions(qset):
        parts += [q.prompt, q.explanation]
        for o in q.options.all():
            parts += [o.text, o.feedback]
    return "\n".join(parts)


def assert_sanitised(text):
    lowered = text.lower()
    for unsafe in ("<script", "alert(", "onerror", "onclick", "onmouseover", "javascript:", "document.cookie", "<"):
        assert unsafe not in lowered, unsafe


def preview_realistic(client, data_file, name, title, *page_says):
    """Upload one of the realistic files as `name`: the preview says each of `page_says`, proposes
    `title`, and no question is saved yet."""
    preview = upload(client, name, (DATA / data_file).read_text())
    assert preview.status_code == 200
    page = preview.content.decode()
    for said in page_says:
        assert said in page, said
    assert preview.context["confirm"].initial["title"] == title
    assert Question.objects.count() == 0
    return preview


def imported(client, preview):
    """Confirm the preview and check no stored text is unsafe: the response, the new set, its questions by prompt."""
    response = confirm(client, preview)
    qset = QuestionSet.objects.get()
    assert_sanitised(all_text(qset))
    return response, qset, by_prompt(qset)


# What is compared of an imported question.
def options(question):
    return shape(question)["options"]


def texts(question):
    return [o.text for o in question.options.all()]


def marked(question):
    return [(o.text, o.is_correct) for o in question.options.all()]


def feedback(question):
    return [o.feedback for o in question.options.all()]


def kind(question):
    return question.kind


def order(question):
    return shape(question)["order"]


def explanation(question):
    return question.explanation


def assert_imported(questions, expected):
    """For each (prompt, view, value) of `expected`, view(question) is value."""
    for prompt, view, value in expected:
        assert view(questions[prompt]) == value, prompt


# --- GIFT ------------------------------------------------------------------------------------

KIROV = "Who led the Leningrad party organisation in 1934?"
TRUE = "Kirov was assassinated in 1934."
MATCHING = "Match each person to the post they held."
GIFT_CLOZE = "Kirov was shot in the _____ building in Leningrad."
# The options both files give these questions, right or wrong; their feedback differs.
KIROV_OPTIONS = [("Sergei Kirov", True), ("Genrikh Yagoda", False), ("Nikolai Yezhov", False)]
CLOZE_OPTIONS = [("Smolny", True), ("Kremlin", False), ("Winter Palace", False)]
GIFT_EXPECTED = [
    (KIROV, kind, Kind.MULTIPLE_CHOICE),
    (KIROV, marked, KIROV_OPTIONS),
    (
        KIROV,
        feedback,
        ["Right: he was first secretary from 1926.", "No: Yagoda headed the NKVD.", "No: Yezhov rose later."],
    ),
    (KIROV, explanation, "Kirov was murdered in Smolny on 1 December 1934."),
    # [html]: the text is kept, the script, handlers and javascript: link are gone.
    ("Which body did Yagoda head?\n\nSee the timeline", texts, ["The NKVD", "The Red Army", "The Comintern"]),
    (
        "Which of these is written with GIFT's special characters ~ = # { } : escaped?",
        options,
        [
            ("a = b {set}", True, "Correct: braces and equals were escaped."),
            ("50% ~ maybe", False, ""),
            ("C# sharp", False, ""),
        ],
    ),
    (TRUE, kind, Kind.TRUE_FALSE),
    # {T#feedback for a wrong answer#feedback for a right answer}
    (TRUE, options, [("True", True, "Yes."), ("False", False, "It happened on 1 December 1934.")]),
    ("Tukhachevsky was acquitted in 1937.", options, [("True", False, ""), ("False", True, "")]),
    (MATCHING, kind, Kind.MATCHING),
    (
        MATCHING,
        shape,
        {
            "pairs": [
                ("Kirov", "Leningrad party chief"),
                ("Yagoda", "People's Commissar for Internal Affairs"),
                ("Tukhachevsky", "Marshal of the Soviet Union"),
            ],
            "distractors": ["Chairman of the Comintern"],
        },
    ),
    (GIFT_CLOZE, kind, Kind.CLOZE),
    (GIFT_CLOZE, marked, CLOZE_OPTIONS),
]


def test_realistic_gift_file_previews_then_imports(teacher_client, teacher):
    preview = preview_realistic(
        teacher_client,
        "interop_realistic.gift",
        "terror-questions.gift",
        # The title comes from the last part of the $CATEGORY path.
        "Leningrad",
        "7 questions ready to import, 2 skipped",
        "Short answer questions are not supported",
        "Line 45",
        "Numerical questions are not supported",
        "Line 47",
        "Correct answer",
        "Nothing has been saved yet",
    )
    assert QuestionSet.objects.count() == 0

    response, qset, questions = imported(teacher_client, preview)
    assert response.status_code == 302
    assert qset.title == "Leningrad" and qset.owner == teacher and qset.visibility == "private"
    assert len(questions) == 7
    assert all(q.origin == Origin.IMPORTED and q.author == teacher for q in questions.values())
    assert_imported(questions, GIFT_EXPECTED)


def test_comments_inside_a_question_do_not_split_it(teacher_client):
    content = "::Q::Who led Leningrad?\n// a comment between the lines\n{=Kirov ~Yagoda}\n"
    qset = import_file(teacher_client, "q.gift", content)
    (q,) = set_questions(qset)
    assert q.prompt == "Who led Leningrad?"


def test_the_title_typed_by_the_teacher_wins(teacher_client):
    preview = upload(teacher_client, "x.gift", "Q? {=a ~b}", title="My own title")
    assert preview.context["confirm"].initial["title"] == "My own title"
    confirm(teacher_client, preview, title="Changed at the preview")
    assert QuestionSet.objects.get().title == "Changed at the preview"


def test_title_falls_back_to_the_file_name(teacher_client):
    preview = upload(teacher_client, "great_terror-quiz.txt", "Q? {=a ~b}")
    assert preview.context["confirm"].initial["title"] == "great terror quiz"


# --- Moodle XML ------------------------------------------------------------------------------

ORDERING = "Put these events in order, earliest first."
XML_CLOZE = "Kirov was shot in the _____ building."
XML_EXPECTED = [
    (KIROV, kind, Kind.MULTIPLE_CHOICE),
    (KIROV, explanation, "Kirov was first secretary from 1926 until his murder."),
    (KIROV, marked, KIROV_OPTIONS),
    (KIROV, feedback, ["Right.", "No: he headed the NKVD.", ""]),
    (TRUE, kind, Kind.TRUE_FALSE),
    (TRUE, options, [("True", True, "Yes: 1 December 1934."), ("False", False, "It was 1934.")]),
    (ORDERING, kind, Kind.CHRONOLOGY),
    (ORDERING, explanation, "Kirov's murder (1934) came first."),
    (ORDERING, order, ["Kirov is assassinated", "The first Moscow show trial", "Tukhachevsky is executed"]),
    (XML_CLOZE, kind, Kind.CLOZE),
    (XML_CLOZE, marked, CLOZE_OPTIONS),
    (XML_CLOZE, feedback, ["Right", "No", ""]),
]


def test_realistic_moodle_xml_file_previews_then_imports(teacher_client, teacher):
    preview = preview_realistic(
        teacher_client,
        "interop_realistic.xml",
        "moodle-export.xml",
        "The Great Terror",
        "5 questions ready to import, 1 skipped",
        "Yagoda&#x27;s successor",
        "Short answer questions are not supported",
        "&lt;question type=&quot;shortanswer&quot;&gt; on line 151",
    )

    _, _, questions = imported(teacher_client, preview)
    assert len(questions) == 5
    assert_imported(questions, XML_EXPECTED)
    matching = questions[MATCHING]
    assert len(shape(matching)["pairs"]) == 3 and shape(matching)["distractors"] == ["Chairman of the Comintern"]
    assert matching.options.filter(side=Option.Side.RIGHT).count() == 4


def test_a_moodle_multiple_answer_question_is_skipped_not_guessed(teacher_client):
    content = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="multichoice">
    <name><text>Pick two</text></name>
    <questiontext format="html"><text>Which two?</text></questiontext>
    <single>false</single>
    <answer fraction="50"><text>a</text></answer>
    <answer fraction="50"><text>b</text></answer>
    <answer fraction="-100"><text>c</text></answer>
  </question>
  <question type="multichoice">
    <name><text>Pick one</text></name>
    <questiontext format="html"><text>Which one?</text></questiontext>
    <answer fraction="100"><text>a</text></answer>
    <answer fraction="0"><text>b</text></answer>
  </question>
</quiz>"""
    preview = upload(teacher_client, "q.xml", content)
    assert preview.context["skipped"][0].reason.startswith("Multiple-answer (checkbox) questions are not supported")
    assert [q.prompt for q in preview.context["questions"]] == ["Which one?"]


# --- Malformed files: a clear error naming the line/element, nothing saved ---------------

GIFT_ERRORS = {
    "unclosed brace": (
        "Who led Leningrad?\n{=Kirov ~Yagoda\n\nAnother? {=a ~b}\n",
        "Line 2: the answer block opened with '{' is never closed",
    ),
    "no correct answer": ("// header\n\nWho led Leningrad? {~Kirov ~Yagoda}\n", "Line 3: no answer is marked correct"),
    "two correct answers": (
        "Q1? {=a ~b}\n\n::Two::Who? {\n=Kirov\n=Zhdanov\n~Yagoda\n}\n",
        "Line 3 (Two): 2 answers are marked correct",
    ),
    "matching with one pair": (
        "Match. {\n=Kirov -> Leningrad\n}\n",
        "Line 1: a matching question needs at least two pairs (found 1)",
    ),
    "stray closing brace": ("Who? =a ~b}\n", "Line 1: a '}' has no matching '{'"),
    "nested brace": ("Who? {=a {b} ~c}\n", "Line 1: a '{' inside an answer block"),
    "answer without marker": ("Who?\n{\nKirov\n~Yagoda\n}\n", "Line 2: answers must start with = (right) or ~ (wrong)"),
    "duplicate answers": ("Who? {=Kirov ~Kirov}\n", "Line 1: two answers have the same text"),
    "only comments": ("// nothing here\n// at all\n", "No questions were found in the GIFT file"),
    "answer too long": (
        "Q1? {=a ~b}\n\nQ2?\n{=" + "x" * 501 + " ~b}\n",
        "Line 4: an answer or its feedback is 501 characters long; the limit is 500",
    ),
    "unclosed name": ("::Kirov\nWho? {=a ~b}\n", "Line 1: the question name opened with :: is never closed"),
}


def _counts():
    return (QuestionSet.objects.count(), Question.objects.count(), Option.objects.count(), SetItem.objects.count())


def refused(client, name, content):
    """Upload a file that must be refused (400) with nothing saved; the response."""
    before = _counts()
    response = upload(client, name, content)
    assert response.status_code == 400
    assert _counts() == before
    return response


@pytest.mark.parametrize("content,message", list(GIFT_ERRORS.values()), ids=list(GIFT_ERRORS))
def test_malformed_gift_is_refused_naming_the_line(teacher_client, content, message):
    response = refused(teacher_client, "bad.gift", content)
    assert message in response.context["import_error"], response.context["import_error"]
    assert "Nothing was saved" in response.content.decode()


XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
MC_RIGHT = '<answer fraction="100"><text>a</text></answer><answer fraction="0"><text>b</text></answer>'
XML_ERRORS = {
    "not well formed": (
        XML_HEAD + '<quiz>\n  <question type="multichoice">\n    <name><text>x</name>\n</quiz>',
        "Line 4, column 20: the XML is not well-formed (mismatched tag)",
    ),
    "doctype with entities": (
        XML_HEAD + '<!DOCTYPE quiz [\n  <!ENTITY lol "lol">\n]>\n<quiz>&lol;</quiz>',
        "Line 2: the file declares a DOCTYPE or entities",
    ),
    "external entity": (
        XML_HEAD + '<!DOCTYPE quiz SYSTEM "file:///etc/passwd">\n<quiz/>',
        "Line 2: the file declares a DOCTYPE",
    ),
    "wrong root": (XML_HEAD + "<html><body/></html>", "Line 2: the root element is <html>"),
    "no type": (XML_HEAD + "<quiz>\n<question>\n</question>\n</quiz>", "<question> on line 3 has no type attribute"),
    "no correct answer": (
        XML_HEAD
        + '<quiz>\n<question type="multichoice"><name><text>N</text></name><questiontext><text>Q?</text></questiontext>\n<answer fraction="0"><text>a</text></answer><answer fraction="0"><text>b</text></answer></question></quiz>',
        '<question type="multichoice"> on line 3 (N): no answer is marked correct',
    ),
    "two correct answers": (
        XML_HEAD
        + '<quiz>\n\n<question type="multichoice"><questiontext><text>Q?</text></questiontext>\n<answer fraction="100"><text>a</text></answer><answer fraction="100"><text>b</text></answer></question></quiz>',
        '<question type="multichoice"> on line 4: 2 answers are marked correct',
    ),
    "matching with one pair": (
        XML_HEAD
        + '<quiz>\n<question type="matching"><questiontext><text>Match</text></questiontext>\n<subquestion><text>Kirov</text><answer><text>Leningrad</text></answer></subquestion></question></quiz>',
        '<question type="matching"> on line 3: a matching question needs at least two pairs (found 1)',
    ),
    "bad fraction": (
        XML_HEAD
        + '<quiz>\n<question type="multichoice"><questiontext><text>Q?</text></questiontext>\n<answer fraction="lots"><text>a</text></answer></question></quiz>',
        "<answer> on line 4: fraction “lots” is not a number",
    ),
    "missing question text": (
        XML_HEAD + '<quiz>\n<question type="multichoice">' + MC_RIGHT + "</question></quiz>",
        '<question type="multichoice"> on line 3: the question has no <questiontext>',
    ),
    "latin-1 declared": (
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n<quiz/>',
        "Line 1: the file declares encoding “ISO-8859-1”; only UTF-8 is accepted",
    ),
}


@pytest.mark.parametrize("content,message", list(XML_ERRORS.values()), ids=list(XML_ERRORS))
def test_malformed_moodle_xml_is_refused_naming_the_element(teacher_client, content, message):
    response = refused(teacher_client, "bad.xml", content)
    assert message in response.context["import_error"], response.context["import_error"]


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("questions.docx", b"PK\x03\x04", "“questions.docx” is not a GIFT (.gift or .txt) or Moodle XML (.xml) file"),
        ("empty.gift", b"", "The submitted file is empty"),
        ("blank.xml", b"   \n\n ", "The file is empty"),
        ("latin1.gift", "Who?\n{=Kirov ~Jagoda ~Ežov}".encode("cp1250"), "Line 2: the file is not UTF-8 text"),
        ("big.gift", b"Q? {=a ~b}\n\n" * 90_000, "the limit is 1 MB"),
    ],
    ids=["wrong extension", "empty", "whitespace only", "wrong encoding", "oversized"],
)
def test_unusable_uploads_are_refused(teacher_client, name, content, message):
    response = refused(teacher_client, name, content)
    assert message in response.content.decode()


def test_an_empty_upload_field_is_a_form_error(teacher_client):
    response = teacher_client.post("/teach/import/", {})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert QuestionSet.objects.count() == 0


def test_a_utf8_bom_is_accepted(teacher_client):
    qset = import_file(teacher_client, "bom.gift", "\ufeffWho? {=Кіров ~Ягода}".encode("utf-8"))
    (q,) = set_questions(qset)
    assert [o.text for o in q.options.all()] == ["Кіров", "Ягода"]


def test_an_error_late_in_the_file_saves_nothing_from_earlier_questions(teacher_client):
    good = "\n\n".join(f"Question {i}? {{=a ~b}}" for i in range(20))
    response = upload(teacher_client, "mixed.gift", good + "\n\nBroken? {~a ~b}\n")
    assert response.status_code == 400
    assert "Line 41: no answer is marked correct" in response.context["import_error"]
    assert Question.objects.count() == 0


def test_the_chosen_format_is_used_and_checked(teacher_client):
    xml = (DATA / "interop_realistic.xml").read_text()
    response = upload(teacher_client, "questions.xml", xml, format="gift")
    assert response.status_code == 400
    assert "this file is Moodle XML, not GIFT" in response.context["import_error"]
    # A .txt file holding Moodle XML is recognised when the format is left to be worked out.
    preview = upload(teacher_client, "questions.txt", xml)
    assert preview.status_code == 200 and preview.context["format_label"] == "Moodle XML"
    assert QuestionSet.objects.count() == 0
