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


def question_of(questions, prompt, kind):
    """The imported question with this prompt, which must be of `kind`."""
    question = questions[prompt]
    assert question.kind == kind
    return question


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


# --- GIFT ------------------------------------------------------------------------------------


def test_realistic_gift_file_previews_then_imports(teacher_client, teacher):
    content = (DATA / "interop_realistic.gift").read_text()
    preview = upload(teacher_client, "terror-questions.gift", content)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "7 questions ready to import, 2 skipped" in page
    assert "Short answer questions are not supported" in page and "Line 45" in page
    assert "Numerical questions are not supported" in page and "Line 47" in page
    assert "Correct answer" in page and "Nothing has been saved yet" in page
    assert QuestionSet.objects.count() == 0 and Question.objects.count() == 0
    # The title comes from the last part of the $CATEGORY path.
    assert preview.context["confirm"].initial["title"] == "Leningrad"

    response = confirm(teacher_client, preview)
    qset = QuestionSet.objects.get()
    assert response.status_code == 302
    assert qset.title == "Leningrad" and qset.owner == teacher and qset.visibility == "private"
    questions = by_prompt(qset)
    assert len(questions) == 7
    assert all(q.origin == Origin.IMPORTED and q.author == teacher for q in questions.values())

    kirov = question_of(questions, "Who led the Leningrad party organisation in 1934?", Kind.MULTIPLE_CHOICE)
    assert shape(kirov)["options"] == [
        ("Sergei Kirov", True, "Right: he was first secretary from 1926."),
        ("Genrikh Yagoda", False, "No: Yagoda headed the NKVD."),
        ("Nikolai Yezhov", False, "No: Yezhov rose later."),
    ]
    assert kirov.explanation == "Kirov was murdered in Smolny on 1 December 1934."

    # [html]: the text is kept, the script, handlers and javascript: link are gone.
    html_q = questions["Which body did Yagoda head?\n\nSee the timeline"]
    assert [o.text for o in html_q.options.all()] == ["The NKVD", "The Red Army", "The Comintern"]
    assert_sanitised(all_text(qset))

    escaped = questions["Which of these is written with GIFT's special characters ~ = # { } : escaped?"]
    assert shape(escaped)["options"] == [
        ("a = b {set}", True, "Correct: braces and equals were escaped."),
        ("50% ~ maybe", False, ""),
        ("C# sharp", False, ""),
    ]

    true_q = question_of(questions, "Kirov was assassinated in 1934.", Kind.TRUE_FALSE)
    # {T#feedback for a wrong answer#feedback for a right answer}
    assert shape(true_q)["options"] == [("True", True, "Yes."), ("False", False, "It happened on 1 December 1934.")]
    false_q = questions["Tukhachevsky was acquitted in 1937."]
    assert shape(false_q)["options"] == [("True", False, ""), ("False", True, "")]

    matching = question_of(questions, "Match each person to the post they held.", Kind.MATCHING)
    assert shape(matching) == {
        "pairs": [
            ("Kirov", "Leningrad party chief"),
            ("Yagoda", "People's Commissar for Internal Affairs"),
            ("Tukhachevsky", "Marshal of the Soviet Union"),
        ],
        "distractors": ["Chairman of the Comintern"],
    }

    cloze = question_of(questions, "Kirov was shot in the _____ building in Leningrad.", Kind.CLOZE)
    assert [(o.text, o.is_correct) for o in cloze.options.all()] == [
        ("Smolny", True),
        ("Kremlin", False),
        ("Winter Palace", False),
    ]


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


def test_realistic_moodle_xml_file_previews_then_imports(teacher_client, teacher):
    content = (DATA / "interop_realistic.xml").read_text()
    preview = upload(teacher_client, "moodle-export.xml", content)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "5 questions ready to import, 1 skipped" in page
    assert "Yagoda&#x27;s successor" in page and "Short answer questions are not supported" in page
    assert "&lt;question type=&quot;shortanswer&quot;&gt; on line 151" in page
    assert preview.context["confirm"].initial["title"] == "The Great Terror"
    assert Question.objects.count() == 0

    confirm(teacher_client, preview)
    qset = QuestionSet.objects.get()
    questions = by_prompt(qset)
    assert len(questions) == 5
    assert_sanitised(all_text(qset))

    kirov = question_of(questions, "Who led the Leningrad party organisation in 1934?", Kind.MULTIPLE_CHOICE)
    assert kirov.explanation == "Kirov was first secretary from 1926 until his murder."
    assert shape(kirov)["options"] == [
        ("Sergei Kirov", True, "Right."),
        ("Genrikh Yagoda", False, "No: he headed the NKVD."),
        ("Nikolai Yezhov", False, ""),
    ]

    tf = question_of(questions, "Kirov was assassinated in 1934.", Kind.TRUE_FALSE)
    assert shape(tf)["options"] == [("True", True, "Yes: 1 December 1934."), ("False", False, "It was 1934.")]

    matching = questions["Match each person to the post they held."]
    assert len(shape(matching)["pairs"]) == 3 and shape(matching)["distractors"] == ["Chairman of the Comintern"]
    assert matching.options.filter(side=Option.Side.RIGHT).count() == 4

    ordering = question_of(questions, "Put these events in order, earliest first.", Kind.CHRONOLOGY)
    assert shape(ordering)["order"] == [
        "Kirov is assassinated",
        "The first Moscow show trial",
        "Tukhachevsky is executed",
    ]
    assert ordering.explanation == "Kirov's murder (1934) came first."

    cloze = question_of(questions, "Kirov was shot in the _____ building.", Kind.CLOZE)
    assert shape(cloze)["options"] == [
        ("Smolny", True, "Right"),
        ("Kremlin", False, "No"),
        ("Winter Palace", False, ""),
    ]


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

GIFT_ERRORS = [
    (
        "unclosed brace",
        "Who led Leningrad?\n{=Kirov ~Yagoda\n\nAnother? {=a ~b}\n",
        "Line 2: the answer block opened with '{' is never closed",
    ),
    ("no correct answer", "// header\n\nWho led Leningrad? {~Kirov ~Yagoda}\n", "Line 3: no answer is marked correct"),
    (
        "two correct answers",
        "Q1? {=a ~b}\n\n::Two::Who? {\n=Kirov\n=Zhdanov\n~Yagoda\n}\n",
        "Line 3 (Two): 2 answers are marked correct",
    ),
    (
        "matching with one pair",
        "Match. {\n=Kirov -> Leningrad\n}\n",
        "Line 1: a matching question needs at least two pairs (found 1)",
    ),
    ("stray closing brace", "Who? =a ~b}\n", "Line 1: a '}' has no matching '{'"),
    ("nested brace", "Who? {=a {b} ~c}\n", "Line 1: a '{' inside an answer block"),
    ("answer without marker", "Who?\n{\nKirov\n~Yagoda\n}\n", "Line 2: answers must start with = (right) or ~ (wrong)"),
    ("duplicate answers", "Who? {=Kirov ~Kirov}\n", "Line 1: two answers have the same text"),
    ("only comments", "// nothing here\n// at all\n", "No questions were found in the GIFT file"),
    (
        "answer too long",
        "Q1? {=a ~b}\n\nQ2?\n{=" + "x" * 501 + " ~b}\n",
        "Line 4: an answer or its feedback is 501 characters long; the limit is 500",
    ),
    ("unclosed name", "::Kirov\nWho? {=a ~b}\n", "Line 1: the question name opened with :: is never closed"),
]


def _counts():
    return (QuestionSet.objects.count(), Question.objects.count(), Option.objects.count(), SetItem.objects.count())


@pytest.mark.parametrize("label,content,message", GIFT_ERRORS, ids=[e[0] for e in GIFT_ERRORS])
def test_malformed_gift_is_refused_naming_the_line(teacher_client, label, content, message):
    before = _counts()
    response = upload(teacher_client, "bad.gift", content)
    assert response.status_code == 400
    assert message in response.context["import_error"], response.context["import_error"]
    assert "Nothing was saved" in response.content.decode()
    assert _counts() == before


XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
MC_RIGHT = '<answer fraction="100"><text>a</text></answer><answer fraction="0"><text>b</text></answer>'
XML_ERRORS = [
    (
        "not well formed",
        XML_HEAD + '<quiz>\n  <question type="multichoice">\n    <name><text>x</name>\n</quiz>',
        "Line 4, column 20: the XML is not well-formed (mismatched tag)",
    ),
    (
        "doctype with entities",
        XML_HEAD + '<!DOCTYPE quiz [\n  <!ENTITY lol "lol">\n]>\n<quiz>&lol;</quiz>',
        "Line 2: the file declares a DOCTYPE or entities",
    ),
    (
        "external entity",
        XML_HEAD + '<!DOCTYPE quiz SYSTEM "file:///etc/passwd">\n<quiz/>',
        "Line 2: the file declares a DOCTYPE",
    ),
    ("wrong root", XML_HEAD + "<html><body/></html>", "Line 2: the root element is <html>"),
    ("no type", XML_HEAD + "<quiz>\n<question>\n</question>\n</quiz>", "<question> on line 3 has no type attribute"),
    (
        "no correct answer",
        XML_HEAD
        + '<quiz>\n<question type="multichoice"><name><text>N</text></name><questiontext><text>Q?</text></questiontext>\n<answer fraction="0"><text>a</text></answer><answer fraction="0"><text>b</text></answer></question></quiz>',
        '<question type="multichoice"> on line 3 (N): no answer is marked correct',
    ),
    (
        "two correct answers",
        XML_HEAD
        + '<quiz>\n\n<question type="multichoice"><questiontext><text>Q?</text></questiontext>\n<answer fraction="100"><text>a</text></answer><answer fraction="100"><text>b</text></answer></question></quiz>',
        '<question type="multichoice"> on line 4: 2 answers are marked correct',
    ),
    (
        "matching with one pair",
        XML_HEAD
        + '<quiz>\n<question type="matching"><questiontext><text>Match</text></questiontext>\n<subquestion><text>Kirov</text><answer><text>Leningrad</text></answer></subquestion></question></quiz>',
        '<question type="matching"> on line 3: a matching question needs at least two pairs (found 1)',
    ),
    (
        "bad fraction",
        XML_HEAD
        + '<quiz>\n<question type="multichoice"><questiontext><text>Q?</text></questiontext>\n<answer fraction="lots"><text>a</text></answer></question></quiz>',
        "<answer> on line 4: fraction “lots” is not a number",
    ),
    (
        "missing question text",
        XML_HEAD + '<quiz>\n<question type="multichoice">' + MC_RIGHT + "</question></quiz>",
        '<question type="multichoice"> on line 3: the question has no <questiontext>',
    ),
    (
        "latin-1 declared",
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n<quiz/>',
        "Line 1: the file declares encoding “ISO-8859-1”; only UTF-8 is accepted",
    ),
]


@pytest.mark.parametrize("label,content,message", XML_ERRORS, ids=[e[0] for e in XML_ERRORS])
def test_malformed_moodle_xml_is_refused_naming_the_element(teacher_client, label, content, message):
    before = _counts()
    response = upload(teacher_client, "bad.xml", content)
    assert response.status_code == 400
    assert message in response.context["import_error"], response.context["import_error"]
    assert _counts() == before


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
    before = _counts()
    response = upload(teacher_client, name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _counts() == before


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
