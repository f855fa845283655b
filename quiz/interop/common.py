"""What GIFT and Moodle XML import/export share: what a parse gives (ParsedFile of
ParsedQuestion and Skipped), text sanitising, upload checks, saving an import in one
transaction, collecting a set for export, and what an export gives (FormatWriter: an
ExportFile of Exported and LeftOut results).

A parsed question's session form (`ParsedQuestion.as_dict`, read back with `from_dict`) is a
plain JSON-safe dict, so that a preview can be kept in the session between the upload and the
confirmation (never re-posted by the browser). The validation rules read that form too:

    {"kind": "multiple_choice", "prompt": "...", "explanation": "...", "category": "...",
     "name": "...", "where": "line 12",
     "options": [{"text": "...", "is_correct": True, "feedback": "..."}],   # single choice
     "order": ["first", "second", ...],                                     # ordering
     "pairs": [["left", "right"], ...], "distractors": ["right", ...],      # matching
     "warnings": ["..."]}
"""

import html
import re
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from typing import ClassVar

import nh3
from django.db import transaction
from django.db.models import Prefetch, Q

from config.errors import Invalid

from ..answer_modes import OptionDraft, mode_for
from ..generation.base import QuestionDraft
from ..models import (
    Kind,
    Option,
    Origin,
    Question,
    QuestionSet,
    SetItem,
    Visibility,
)
from ..question_rules import IMPORTER
from . import limits
from .limits import MAX_UPLOAD_BYTES
from .outline import outline, restore

TITLE_MAX = 200
# How a cloze prompt marks its gap (as the question generator and Moodle's missing-word import do).
BLANK = "_____"
BLANK_RE = re.compile(r"_{3,}")
# Stands in for the gap while the text around it is cleaned as one piece (a private-use character).
GAP = "\ue000"

GIFT = "gift"
MOODLE_XML = "moodle_xml"
FORMAT_LABELS = {GIFT: "GIFT", MOODLE_XML: "Moodle XML"}
EXTENSIONS = {".gift": GIFT, ".txt": GIFT, ".xml": MOODLE_XML}


class ImportFailed(Invalid):
    """The file cannot be imported; the message names the line or element and is shown as is."""


def over_limit(code, where, count=None):
    """ImportFailed for a file over the cap `code` (limits.MESSAGES), naming where it is."""
    return ImportFailed(f"{where}: {limits.MESSAGES[code].format(limit=limits.LIMITS[code], count=count)}")


def check_length(code, where, text):
    if len(text) > limits.LIMITS[code]:
        raise over_limit(code, where, len(text))


def check_count(code, where, count):
    if count > limits.LIMITS[code]:
        raise over_limit(code, where, count)


# Why questions are skipped or changed, in the words both formats use.
SHORT_ANSWER_SKIPPED = "Short answer questions are not supported (this app has no typed answers) and will be skipped."
NUMERICAL_SKIPPED = "Numerical questions are not supported and will be skipped."
PARTIAL_CREDIT_WARNING = "Partial-credit answers are imported as wrong answers."


# --- What a parse gives ----------------------------------------------------------------


@dataclass
class ParsedQuestion:
    """A question read from a file, not yet saved. The parsers fill in `kind` once they have
    read the answers, which say what it is."""

    kind: str
    prompt: str
    where: str  # "Line 12", or the element and its line
    name: str = ""
    category: str = ""
    explanation: str = ""
    options: list[OptionDraft] = field(default_factory=list)  # single choice
    order: list[str] = field(default_factory=list)  # ordering, in the right order
    pairs: list[tuple[str, str]] = field(default_factory=list)  # matching: (left, right)
    distractors: list[str] = field(default_factory=list)  # matching: right-hand texts with no partner
    warnings: list[str] = field(default_factory=list)  # what importing changes or drops

    @property
    def mode(self):
        return mode_for(self.kind)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    def as_dict(self) -> dict:
        """The session form (the module docstring shows it)."""
        return {
            "kind": self.kind,
            "prompt": self.prompt,
            "where": self.where,
            "name": self.name,
            "category": self.category,
            "explanation": self.explanation,
            "options": [{"text": o.text, "is_correct": o.is_correct, "feedback": o.feedback} for o in self.options],
            "order": list(self.order),
            "pairs": [[left, right] for left, right in self.pairs],
            "distractors": list(self.distractors),
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "ParsedQuestion":
        return cls(
            **{
                **data,
                "options": [OptionDraft(**option) for option in data["options"]],
                "pairs": [(left, right) for left, right in data["pairs"]],
            }
        )


@dataclass(frozen=True)
class Skipped:
    """A question in the file that this app cannot take, and why; the preview lists it."""

    where: str
    name: str
    reason: str


@dataclass
class ParsedFile:
    format: str
    questions: list[ParsedQuestion] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)

    def add_category(self, category, where):
        """Record a category once, however often the file repeats it."""
        check_length("category", where, category)
        if category not in self.categories:
            self.categories.append(category)
            check_count("categories", where, len(self.categories))

    def make_room(self, where):
        """Refuse the file before reading one question more than it may hold (skipped ones
        count too: each is kept in the preview)."""
        check_count("questions", where, len(self.questions) + len(self.skipped) + 1)

    def add(self, outcome: "ParsedQuestion | Skipped"):
        """Keep a question read from the file, once it passes the rules, or a skipped one."""
        if isinstance(outcome, Skipped):
            self.skipped.append(outcome)
            return
        check_question(outcome.as_dict())
        self.questions.append(outcome)

    def require_questions(self):
        if not self.questions and not self.skipped:
            raise ImportFailed(f"No questions were found in the {FORMAT_LABELS[self.format]} file.")

    def as_dict(self) -> dict:
        """The session form."""
        return {
            "format": self.format,
            "questions": [q.as_dict() for q in self.questions],
            "skipped": [asdict(s) for s in self.skipped],
            "categories": list(self.categories),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "ParsedFile":
        return cls(
            format=data["format"],
            questions=[ParsedQuestion.from_dict(q) for q in data["questions"]],
            skipped=[Skipped(**s) for s in data["skipped"]],
            categories=list(data["categories"]),
        )


# --- Text ------------------------------------------------------------------------------

_BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"}


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.images = 0

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag == "img":
            self.images += 1

    def handle_endtag(self, tag):
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        # HTML whitespace: any run is one space; explicit breaks come from tags.
        self.parts.append(re.sub(r"\s+", " ", data))


IMAGES_WARNING = "Images are not imported; only the text is kept."


def html_to_text(value, warnings=None):
    """Imported text is HTML (GIFT [html]/[moodle], Moodle XML CDATA). Reduce it to an outline
    in one linear pass (text and line-breaking tags, nested at most MAX_NESTING deep: raises
    NestingTooDeep; see outline.py), sanitise that with nh3, then keep only the text: questions
    in this app are plain text and are always shown escaped."""
    if not value:
        return ""
    cleaned = nh3.clean(outline(value))
    extractor = _TextExtractor()
    extractor.feed(cleaned)
    extractor.close()
    if extractor.images and warnings is not None and IMAGES_WARNING not in warnings:
        warnings.append(IMAGES_WARNING)
    text = restore("".join(extractor.parts))
    lines = [line.strip() for line in text.split("\n")]
    # Collapse the blank lines that block tags leave behind.
    out = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return out


def text_to_html(value):
    """Our plain text as HTML for export: escaped, line breaks kept. A carriage return (a
    browser's textarea sends \r\n) is a line break too: left raw, GIFT readers would start a new
    line there, and two would end the question."""
    lines = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return html.escape(lines, quote=False).replace("\n", "<br>")


def shorten(text, limit=60):
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- Validation of a parsed question ---------------------------------------------------


def check_question(q):
    """Raise ImportFailed when a parsed question (its session form) cannot become a valid
    question of ours: over one of the file's caps (limits.py), or failing the rules every
    imported question obeys (quiz/question_rules.py, the IMPORTER audience), naming the first
    problem and where it is."""
    where = q["where"]
    check_length("name", where, q.get("name", ""))
    label = f"{where} ({q['name']})" if q.get("name") else where
    check_length("prompt", label, q["prompt"])
    check_length("explanation", label, q.get("explanation", ""))
    check_count("answers", label, answer_count(q))
    options = mode_for(q["kind"]).parsed_options(q)
    draft = QuestionDraft(q["kind"], "", q["prompt"], options, q.get("explanation", ""))
    problems = IMPORTER.messages(draft)
    if problems:
        raise ImportFailed(f"{label}: {problems[0]}")
    _check_lengths(label, [text for o in options for text in (o.text, o.feedback)])


def _check_lengths(label, texts):
    for text in texts:
        check_length("option", label, text)


def answer_count(q):
    """What the answers cap counts: choices, matching pairs and their extra answers, ordering items."""
    return len(q["options"]) + len(q["pairs"]) + len(q["distractors"]) + len(q["order"])


# --- Upload ----------------------------------------------------------------------------


def read_upload(upload, chosen_format="auto"):
    """Check an uploaded file and return (text, format). Raises ImportFailed."""
    extension = _extension(upload.name or "")
    text = _decode(_read_capped(upload))
    return text, _format_of(text, extension, chosen_format)


def _extension(name):
    lower = name.lower()
    extension = next((e for e in EXTENSIONS if lower.endswith(e)), None)
    if extension is None:
        raise ImportFailed(f"“{name}” is not a GIFT (.gift or .txt) or Moodle XML (.xml) file.")
    return extension


def _read_capped(upload):
    """The file's bytes: refused by its declared size before reading, by what it holds after."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ImportFailed(f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is 1 MB.")
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportFailed("The file is larger than 1 MB, the limit.")
    if not data.strip():
        raise ImportFailed("The file is empty.")
    return data


def _decode(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFailed(
            f"Line {line}: the file is not UTF-8 text (byte 0x{data[exc.start]:02x}). Save it as UTF-8 and try again."
        ) from None
    if "\x00" in text:
        raise ImportFailed("The file contains binary data, not text.")
    return text


def _format_of(text, extension, chosen_format):
    """The format the teacher chose, else the extension's; a .txt file that starts with a tag is XML."""
    if chosen_format == GIFT and text.lstrip().startswith(("<?xml", "<quiz")):
        raise ImportFailed(
            "Line 1: this file is Moodle XML, not GIFT. Choose “Moodle XML” or let the format be worked out."
        )
    if chosen_format in (GIFT, MOODLE_XML):
        return chosen_format
    if extension == ".txt" and text.lstrip().startswith("<"):
        return MOODLE_XML
    return EXTENSIONS[extension]


def default_title(parsed: ParsedFile, filename):
    """The last name in the file's first category path that is a name of its own (not Moodle's
    `$course$` or `top`), else the file name."""
    for category in parsed.categories:
        names = split_category_path(category)
        if names and _CONTEXT_VARIABLE.match(names[0]):
            names = names[1:]
        if names and names[0].lower() == "top":
            names = names[1:]
        if names and names[-1]:
            return names[-1][:TITLE_MAX]
    stem = re.sub(r"\.(gift|txt|xml)$", "", filename or "", flags=re.I)
    stem = re.sub(r"[-_]+", " ", stem).strip()
    return (stem or "Imported questions")[:TITLE_MAX]


# --- Saving ----------------------------------------------------------------------------


@transaction.atomic
def save_import(parsed: ParsedFile, *, owner, title):
    """Create a private set owned by `owner` with the parsed questions: all or nothing.
    A few bulk inserts whatever the number of questions."""
    questions = parsed.questions
    for q in questions:
        check_question(q.as_dict())
    qset = QuestionSet.objects.create(owner=owner, title=title[:TITLE_MAX], visibility=Visibility.PRIVATE)
    rows = Question.objects.bulk_create(
        Question(
            kind=q.kind,
            prompt=q.prompt,
            explanation=q.explanation,
            origin=Origin.IMPORTED,
            author=owner,
        )
        for q in questions
    )
    SetItem.objects.bulk_create(
        SetItem(question_set=qset, question=row, position=position) for position, row in enumerate(rows, start=1)
    )
    options, lefts = [], []
    for row, q in zip(rows, questions):
        first, second = q.mode.options_from_parsed(row, q, Option)
        options += first
        lefts += second
    Option.objects.bulk_create(options)
    # Matching prompts point at their right-hand partner, which now has an id.
    for left in lefts:
        left.match_id = left.match.pk
    Option.objects.bulk_create(lefts)
    return qset


# --- Export ----------------------------------------------------------------------------


def exportable_sets_for(user):
    """Sets a teacher may export: their own, and public ones."""
    return QuestionSet.objects.filter(Q(owner=user) | Q(visibility=Visibility.PUBLIC))


def set_questions(qset):
    """The set's questions in set order, with options and citation loaded in constant queries."""
    items = (
        SetItem.objects.filter(question_set=qset)
        .select_related("question__passage", "question__claim")
        .prefetch_related(Prefetch("question__options", queryset=Option.objects.order_by("position", "id")))
        .order_by("position", "id")
    )
    return [item.question for item in items]


def general_feedback(question):
    """The explanation, with the citation (passage and quote) and what historians say of the
    question's claim written out: the formats have no field for them, and the explanation
    leaves the note and reference to the claim."""
    parts = [question.explanation.strip()] if question.explanation.strip() else []
    if question.passage_id:
        cite = f"Source: the interview, passage §{question.passage.position} ({question.passage.speaker_label})"
        if question.quote.strip():
            cite += f": “{question.quote.strip()}”"
        parts.append(cite)
    elif question.quote.strip():
        parts.append(f"Source: “{question.quote.strip()}”")
    parts += historians_view(question)
    return "\n\n".join(parts)


def historians_view(question) -> list[str]:
    """The claim's label, note and reference as paragraphs; none when there is no claim or an
    explanation written before the note had its own place already quotes it (say it once)."""
    claim = question.claim
    note = claim.note.strip() if claim is not None else ""
    if claim is None or (note and note in question.explanation):
        return []
    view = [f"What historians say: {claim.get_assessment_display()}. {note}".strip()]
    if claim.reference.strip():
        view.append(f"Their sources: {claim.reference.strip()}")
    return view


def split_cloze(prompt):
    """(before, after) around the first blank, or None when the prompt has none."""
    match = BLANK_RE.search(prompt)
    if not match:
        return None
    return prompt[: match.start()], prompt[match.end() :]


# --- What an export gives ----------------------------------------------------------------


@dataclass(frozen=True)
class Exported:
    """A question as a format writes it, and what the format could not carry (a note for the
    teacher, or None)."""

    question: Question
    text: str
    note: str | None = None


@dataclass(frozen=True)
class LeftOut:
    """A question a file leaves out, and why. The teacher is told `reason`; the file holds a
    comment in the question's place, worded by the format from `code` (FormatWriter.stand_in)."""

    question: Question
    code: str  # RETIRED, UNKNOWN_KIND or NOT_EXPRESSIBLE
    reason: str

    @property
    def note(self) -> str:
        return self.reason


@dataclass(frozen=True)
class ExportFile:
    """An exported file, and what became of each question of the set, in set order."""

    text: str
    results: list[Exported | LeftOut]

    @property
    def left_out(self) -> list[LeftOut]:
        return [r for r in self.results if isinstance(r, LeftOut)]

    @property
    def notes(self) -> list[tuple[Question, str]]:
        """(question, note) for each question left out or written with a loss."""
        return [(r.question, r.note) for r in self.results if r.note]


RETIRED, UNKNOWN_KIND, NOT_EXPRESSIBLE = "retired", "unknown_kind", "not_expressible"
CLOZE_WITHOUT_GAP = "Cloze exported as multiple choice: the prompt has no gap (____)."


class FormatWriter:
    """An export format. `export` writes a set: a retired question, or one of a kind this app
    does not know, is left out here; every other one goes to its answer mode's export hook
    (`AnswerMode.export_to`), which calls the writer's method for its shape (`choice`,
    `true_false`, `cloze`, `ordering`, `matching`). Each gives Exported or LeftOut; a shape the
    format cannot express is left out with `cannot_express`."""

    label = ""
    # What the file says in a left-out question's place, by LeftOut.code: {label} is the
    # question's text, shortened, {mode} its answer mode and {format} the format's label.
    stand_ins: ClassVar[dict[str, str]] = {
        RETIRED: "retired question “{label}”",
        UNKNOWN_KIND: "“{label}” — unknown kind",
        NOT_EXPRESSIBLE: "{mode} question “{label}” — {format} cannot express {mode}",
    }

    def export(self, qset, questions) -> ExportFile:
        results = [self.question(question, number) for number, question in enumerate(questions, start=1)]
        texts = [r.text if isinstance(r, Exported) else self.stand_in(r) for r in results]
        return ExportFile(self.assemble(qset, texts), results)

    def question(self, question, number) -> Exported | LeftOut:
        if question.is_retired:
            return LeftOut(question, RETIRED, "Retired: not exported.")
        if not is_supported_kind(question.kind):
            return LeftOut(question, UNKNOWN_KIND, "Unknown kind: not exported.")
        return question.mode.export_to(self, question, number)

    def cannot_express(self, question, reason=None) -> LeftOut:
        mode = question.mode.name
        return LeftOut(
            question, NOT_EXPRESSIBLE, reason or f"{mode.capitalize()} question: {self.label} cannot express {mode}."
        )

    def stand_in(self, left_out: LeftOut) -> str:
        label = self.comment_text(shorten(left_out.question.prompt, 80))
        what = self.stand_ins[left_out.code].format(label=label, mode=left_out.question.mode.name, format=self.label)
        return self.comment(f"NOT EXPORTED: {what}")

    def matching_note(self, question) -> str | None:
        if any(o.feedback for o in question.options.all()):
            return f"Feedback on matching pairs is not carried by {self.label}."
        return None

    # What each format writes for itself.

    def assemble(self, qset, texts) -> str:
        """The file: its header, the questions' texts, its footer."""
        raise NotImplementedError

    def comment(self, text) -> str:
        raise NotImplementedError

    def comment_text(self, text) -> str:
        """`text` made safe inside a comment."""
        raise NotImplementedError

    def choice(self, question, number, options, note=None) -> Exported | LeftOut:
        raise NotImplementedError

    def true_false(self, question, number, answer, feedback_true, feedback_false) -> Exported | LeftOut:
        raise NotImplementedError

    def cloze(self, question, number, options) -> Exported | LeftOut:
        raise NotImplementedError

    def ordering(self, question, number, items) -> Exported | LeftOut:
        raise NotImplementedError

    def matching(self, question, number, pairs, distractors) -> Exported | LeftOut:
        raise NotImplementedError


# Moodle's category paths: names joined by "/", a "/" inside a name doubled, a name that then
# starts or ends with "/" padded with a space; the path starts with a context such as $course$.
_CONTEXT_VARIABLE = re.compile(r"^\$\w+\$$")
_PATH_SEPARATOR = re.compile(r"(?<!/)/(?!/)")


def category_path(title):
    """The Moodle category path of a set: one category, named for the set, in the course's top."""
    name = " ".join(title.split()).replace("/", "//")
    if name.startswith("/"):
        name = " " + name
    if name.endswith("/"):
        name += " "
    return f"$course$/top/{name}"


def split_category_path(path):
    return [name.replace("//", "/").strip() for name in _PATH_SEPARATOR.split(path)]


def slug_filename(title, suffix):
    base = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower()[:60] or "question-set"
    return f"{base}{suffix}"


def is_supported_kind(kind):
    return kind in Kind.values


KIND_LABELS = dict(Kind.choices)
