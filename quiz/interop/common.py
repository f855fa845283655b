"""What GIFT and Moodle XML import/export share: the parsed-question shape, text
sanitising, upload checks, saving an import in one transaction, and collecting a set
for export.

A parsed question is a plain JSON-safe dict so that a preview can be kept in the session
between the upload and the confirmation (never re-posted by the browser):

    {"kind": "multiple_choice", "prompt": "...", "explanation": "...", "category": "...",
     "name": "...", "where": "line 12",
     "options": [{"text": "...", "is_correct": True, "feedback": "..."}],   # single choice
     "order": ["first", "second", ...],                                     # ordering
     "pairs": [["left", "right"], ...], "distractors": ["right", ...],      # matching
     "warnings": ["..."]}
"""

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3
from django.db import transaction
from django.db.models import Prefetch, Q

from config.errors import Invalid

from . import limits
from .limits import MAX_UPLOAD_BYTES
from .outline import outline, restore
from ..answer_modes import mode_for
from ..models import (
    Kind,
    Option,
    Origin,
    Question,
    QuestionSet,
    SetItem,
    Visibility,
)

TITLE_MAX = 200
# How a cloze prompt marks its gap (as the question generator and Moodle's missing-word import do).
BLANK = "_____"
BLANK_RE = re.compile(r"_{3,}")

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


@dataclass
class ParsedFile:
    format: str
    questions: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # {"where", "name", "reason"}
    categories: list = field(default_factory=list)

    def add_category(self, category, where):
        """Record a category once, however often the file repeats it."""
        check_length("category", where, category)
        if category not in self.categories:
            self.categories.append(category)
            check_count("categories", where, len(self.categories))

    def as_dict(self):
        return {
            "format": self.format,
            "questions": self.questions,
            "skipped": self.skipped,
            "categories": self.categories,
        }


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
    """Raise ImportFailed when a parsed question cannot become a valid question of ours."""
    where = q["where"]
    check_length("name", where, q.get("name", ""))
    label = f"{where} ({q['name']})" if q.get("name") else where
    check_length("prompt", label, q["prompt"])
    check_length("explanation", label, q.get("explanation", ""))
    check_count("answers", label, answer_count(q))
    if not q["prompt"].strip():
        raise ImportFailed(f"{label}: the question has no text.")
    problem = mode_for(q["kind"]).parsed_error(q)
    if problem:
        raise ImportFailed(f"{label}: {problem}")
    _check_lengths(label, mode_for(q["kind"]).parsed_texts(q))


def _check_lengths(label, texts):
    for text in texts:
        check_length("option", label, text)


def answer_count(q):
    """What the answers cap counts: choices, matching pairs and their extra answers, ordering items."""
    return len(q["options"]) + len(q["pairs"]) + len(q["distractors"]) + len(q["order"])


# --- Upload ----------------------------------------------------------------------------


def read_upload(upload, chosen_format="auto"):
    """Check an uploaded file and return (text, format). Raises ImportFailed."""
    name = upload.name or ""
    lower = name.lower()
    ext = next((e for e in EXTENSIONS if lower.endswith(e)), None)
    if ext is None:
        raise ImportFailed(f"“{name}” is not a GIFT (.gift or .txt) or Moodle XML (.xml) file.")
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ImportFailed(f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is 1 MB.")
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportFailed("The file is larger than 1 MB, the limit.")
    if not data.strip():
        raise ImportFailed("The file is empty.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFailed(
            f"Line {line}: the file is not UTF-8 text (byte 0x{data[exc.start]:02x}). Save it as UTF-8 and try again."
        ) from None
    if "\x00" in text:
        raise ImportFailed("The file contains binary data, not text.")
    looks_xml = text.lstrip().startswith(("<?xml", "<quiz"))
    if chosen_format == GIFT and looks_xml:
        raise ImportFailed("Line 1: this file is Moodle XML, not GIFT. Choose “Moodle XML” or let the format be worked out.")
    if chosen_format in (GIFT, MOODLE_XML):
        fmt = chosen_format
    else:
        fmt = EXTENSIONS[ext]
        if ext == ".txt" and text.lstrip().startswith("<"):
            fmt = MOODLE_XML
    return text, fmt


def default_title(parsed, filename):
    """The last name in the file's first category path that is a name of its own (not Moodle's
    `$course$` or `top`), else the file name."""
    for category in parsed.get("categories", []):
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
def save_import(parsed, *, owner, title):
    """Create a private set owned by `owner` with the parsed questions: all or nothing.
    A few bulk inserts whatever the number of questions."""
    questions = parsed["questions"]
    for q in questions:
        check_question(q)
    qset = QuestionSet.objects.create(owner=owner, title=title[:TITLE_MAX], visibility=Visibility.PRIVATE)
    rows = Question.objects.bulk_create(
        Question(
            kind=q["kind"],
            prompt=q["prompt"],
            explanation=q.get("explanation", ""),
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
        first, second = mode_for(q["kind"]).options_from_parsed(row, q, Option)
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
        .select_related("question__passage")
        .prefetch_related(Prefetch("question__options", queryset=Option.objects.order_by("position", "id")))
        .order_by("position", "id")
    )
    return [item.question for item in items]


def general_feedback(question):
    """The explanation, with the citation (passage and quote) written out: the formats have
    no field for it."""
    parts = [question.explanation.strip()] if question.explanation.strip() else []
    if question.passage_id:
        cite = f"Source: the interview, passage §{question.passage.position} ({question.passage.speaker_label})"
        if question.quote.strip():
            cite += f": “{question.quote.strip()}”"
        parts.append(cite)
    elif question.quote.strip():
        parts.append(f"Source: “{question.quote.strip()}”")
    return "\n\n".join(parts)


def split_cloze(prompt):
    """(before, after) around the first blank, or None when the prompt has none."""
    match = BLANK_RE.search(prompt)
    if not match:
        return None
    return prompt[: match.start()], prompt[match.end() :]


def true_false_key(question):
    """For a true/false question whose options are exactly True and False: (answer, fb_true, fb_false)."""
    options = list(question.options.all())
    texts = {o.text.strip().lower(): o for o in options}
    if len(options) != 2 or set(texts) != {"true", "false"}:
        return None
    return texts["true"].is_correct, texts["true"].feedback, texts["false"].feedback


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
