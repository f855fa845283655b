"""GIFT, Moodle's plain-text question format: reading and writing.

Reading follows Moodle's own rules: `//` comment lines, questions separated by blank
lines, `$CATEGORY:` lines, `::name::`, a `[html]`-style format tag, an answer block in
braces (`=` right, `~` wrong, `#` feedback, `####` general feedback, `->` matching,
{T}/{F}), backslash escapes for `~ = # { } :`, and text after the block making a
missing-word (cloze) question. Errors name the line.

A question is read in steps: its name, its answer block (the braces checked), the pieces
around the block, then what the answers make of it (true/false, matching, choice or cloze)
or why it is skipped. Writing is GiftWriter, the GIFT side of common.FormatWriter.
"""

import re
from dataclasses import dataclass, field, replace

from ..answer_modes import OptionDraft
from ..models import Kind
from . import common
from .common import ImportFailed, ParsedQuestion, Skipped, shorten
from .outline import NestingTooDeep

SPECIAL = "~=#{}:"
_TF = {"t": True, "true": True, "f": False, "false": False}
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_FORMAT_TAG = re.compile(r"^\[(html|moodle|plain|markdown)\]", re.IGNORECASE)

NO_ANSWER_BLOCK = "No answer block { … }: a description, not a question."
MULTIPLE_ANSWER_SKIPPED = "Multiple-answer questions (answers weighted ~%50% …) are not supported and will be skipped."
# Answer blocks this app cannot take, by how they start.
_UNSUPPORTED = {
    "": "Essay questions (an empty answer block) are not supported and will be skipped.",
    "#": common.NUMERICAL_SKIPPED,
    ">": "GIFT ordering (plugin syntax) is not supported; use Moodle XML for ordering questions.",
}


# --- Escapes ---------------------------------------------------------------------------


def escape(text):
    """Backslash-escape GIFT's special characters; newlines as \\n."""
    out = text.replace("\\", "\\\\")
    for ch in SPECIAL:
        out = out.replace(ch, "\\" + ch)
    return out.replace("\n", "\\n")


def unescape(text):
    return _ESCAPE.sub(lambda m: "\n" if m[1] == "n" else m[1], text)


# Escapes are found with regexes, not character by character: a 1 MB question stays quick.
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_RUNS: dict[str, re.Pattern] = {}  # a target or a set of separators -> its pattern


def _run(key, body):
    if key not in _RUNS:
        _RUNS[key] = re.compile(body, re.DOTALL)
    return _RUNS[key]


def _find(text, target, start=0):
    """Index of the first unescaped `target` at or after `start`, or -1."""
    before = _run(target, rf"(?:\\.|(?!{re.escape(target)})[^\\])*+")  # escapes and other text
    end = before.match(text, start).end()
    return end if text.startswith(target, end) else -1


def _split(text, separators):
    """Split on unescaped single-character separators; each piece keeps its separator."""
    piece = _run((separators,), rf"(?:\\.|[^\\{re.escape(separators)}])*+\\?")  # up to the next one
    end = piece.match(text).end()
    pieces = [text[:end]]
    while end < len(text):
        start, end = end, piece.match(text, end + 1).end()
        pieces.append(text[start:end])
    return pieces


# --- Reading: the file -----------------------------------------------------------------


class _Block:
    """A question's lines with their line numbers, joined with newlines."""

    def __init__(self, lines):
        self.lines = lines  # [(line number, text)]
        self.text = "\n".join(text for _, text in lines)

    @property
    def where(self):
        return f"Line {self.lines[0][0]}"

    def line_at(self, pos):
        return self.lines[self.text.count("\n", 0, max(pos, 0))][0]


def _blocks(text):
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    current = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("//"):
            continue  # comment lines do not end a question
        if not stripped:
            if current:
                yield _Block(current)
                current = []
            continue
        current.append((number, line))
    if current:
        yield _Block(current)


def _category_of(block):
    """The category a block's `$CATEGORY:` first line names, or None."""
    first = block.lines[0][1].strip()
    if not first.upper().startswith("$CATEGORY:"):
        return None
    return first[len("$CATEGORY:") :].strip()


def parse(text):
    """Parse GIFT text into a ParsedFile; raise ImportFailed naming the line on errors."""
    result = common.ParsedFile(format=common.GIFT)
    category = ""
    for block in _blocks(text):
        heading = _category_of(block)
        if heading is not None:
            category = heading
            result.add_category(category, block.where)
            if len(block.lines) == 1:
                continue
            block = _Block(block.lines[1:])
        result.make_room(block.where)
        result.add(_parse_question(block, category))
    result.require_questions()
    return result


# --- Reading: one question -------------------------------------------------------------


@dataclass
class _Cut:
    """A question cut around its answer block, before any of its text is cleaned."""

    name: str
    label: str  # the question's first line (and name): errors about its text point there
    where: str  # the answer block's line
    before: str  # the text before the block, its format tag removed
    answers: str  # inside the block, the general feedback taken out
    general: str | None  # the general feedback (after ####), if any
    after: str  # text after the block makes a missing-word question
    warnings: list[str] = field(default_factory=list)

    @property
    def answers_label(self):
        return f"{self.where} ({self.name})" if self.name else self.where

    @property
    def missing_word(self):
        return bool(self.after.strip())

    def clean(self, value):
        try:
            return common.html_to_text(unescape(value), self.warnings)
        except NestingTooDeep:
            raise common.over_limit("nesting", self.label) from None

    def prompt(self):
        if self.missing_word:
            # Clean the text around the gap as one piece so spacing survives, then mark the gap.
            return self.clean(self.before + common.GAP + self.after).replace(common.GAP, common.BLANK)
        return self.clean(self.before)


@dataclass
class _Answer:
    """One `=` or `~` answer of a block, its text not yet cleaned."""

    marker: str
    weight: float | None
    body: str
    feedback: str

    @property
    def is_correct(self):
        if self.marker == "=":
            return self.weight is None or self.weight >= 100
        return self.weight is not None and self.weight >= 100

    @property
    def partial(self):
        return self.marker == "~" and self.weight is not None and 0 < self.weight < 100


def _parse_question(block, category) -> ParsedQuestion | Skipped:
    """Its name, its answer block, the text around the block; then what the answers make of it."""
    name, body_start = _read_name(block)
    braces = _answer_block(block, body_start)
    if braces is None:
        return Skipped(block.where, name or shorten(unescape(block.text)), NO_ANSWER_BLOCK)
    cut = _cut(block, name, body_start, *braces)
    # Count the answers before cleaning any text.
    common.check_count("answers", cut.answers_label, sum(1 for piece in _split(cut.answers, "=~") if piece.strip()))
    question = ParsedQuestion(
        kind="",
        prompt=cut.prompt(),
        where=cut.where,
        name=name,
        category=category,
        explanation=cut.clean(cut.general) if cut.general is not None else "",
        warnings=cut.warnings,
    )
    unsupported = _UNSUPPORTED.get(cut.answers[:1])
    if unsupported:
        return _skip(question, unsupported)
    return _read_answers(cut, question)


def _read_name(block):
    """The `::name::` the question starts with ('' if none) and where the rest begins."""
    text = block.text
    stripped = text.lstrip()
    if not stripped.startswith("::"):
        return "", 0
    lead = len(text) - len(stripped)
    end = _find(text, "::", lead + 2)
    if end == -1:
        raise ImportFailed(f"{block.where}: the question name opened with :: is never closed.")
    name = unescape(text[lead + 2 : end]).strip()
    common.check_length("name", block.where, name)
    return name, end + 2


def _answer_block(block, start):
    """(open, close) of the one answer block, or None when there is none (a description).
    A brace out of place is an error naming its line."""
    text = block.text
    open_at = _find(text, "{", start)
    if open_at == -1:
        _refuse_stray_close(block, start, " (escape it as \\})")
        return None
    close_at = _find(text, "}", open_at + 1)
    if close_at == -1:
        raise ImportFailed(
            f"Line {block.line_at(open_at)}: the answer block opened with '{{' is never closed (a '}}' is missing)."
        )
    nested = _find(text, "{", open_at + 1)
    if nested != -1 and nested < close_at:
        raise ImportFailed(
            f"Line {block.line_at(nested)}: a '{{' inside an answer block; escape a literal brace as \\{{."
        )
    another = _find(text, "{", close_at + 1)
    if another != -1:
        raise ImportFailed(f"Line {block.line_at(another)}: a question may have only one answer block.")
    _refuse_stray_close(block, close_at + 1)
    return open_at, close_at


def _refuse_stray_close(block, start, hint=""):
    stray = _find(block.text, "}", start)
    if stray != -1:
        raise ImportFailed(f"Line {block.line_at(stray)}: a '}}' has no matching '{{'{hint}.")


def _cut(block, name, body_start, open_at, close_at):
    text = block.text
    answers = text[open_at + 1 : close_at].strip()
    general_at = _find(answers, "####")  # general feedback follows an unescaped ####
    return _Cut(
        name=name,
        label=f"{block.where} ({name})" if name else block.where,
        where=f"Line {block.line_at(open_at)}",
        before=_without_format_tag(text[body_start:open_at]),
        answers=answers[:general_at].strip() if general_at != -1 else answers,
        general=answers[general_at + 4 :] if general_at != -1 else None,
        after=text[close_at + 1 :],
    )


def _without_format_tag(before):
    stripped = before.lstrip()
    tag = _FORMAT_TAG.match(stripped)
    return stripped[tag.end() :] if tag else before


def _skip(question, reason):
    return Skipped(question.where, question.name or shorten(question.prompt), reason)


def _read_answers(cut, question) -> ParsedQuestion | Skipped:
    head = _split(cut.answers, "#")
    if _TF.get(head[0].strip().lower()) is not None:
        return _true_false(cut, question, head)
    answers = _answer_list(cut)
    if any(answer.marker == "~" for answer in answers):
        return _choice(cut, question, answers)
    if any(_find(answer.body, "->") != -1 for answer in answers):
        return _matching(cut, question, answers)
    return _skip(question, common.SHORT_ANSWER_SKIPPED)


def _answer_list(cut):
    pieces = [p for p in _split(cut.answers, "=~") if p.strip()]
    if pieces and pieces[0][0] not in "=~":
        raise ImportFailed(
            f"{cut.where}: answers must start with = (right) or ~ (wrong); found “{shorten(unescape(pieces[0].strip()), 30)}”."
        )
    return [_answer(piece) for piece in pieces]


def _answer(piece):
    marker, body = piece[0], piece[1:].strip()
    weight = _WEIGHT.match(body)
    if weight:
        body = body[weight.end() :].strip()
    feedback_at = _find(body, "#")
    feedback = body[feedback_at + 1 :] if feedback_at != -1 else ""
    body = body[:feedback_at] if feedback_at != -1 else body
    return _Answer(marker, float(weight.group(1)) if weight else None, body, feedback)


def _true_false(cut, question, head):
    answer = _TF[head[0].strip().lower()]
    # {T#feedback for a wrong answer#feedback for a right answer}
    wrong_fb = cut.clean(head[1][1:]) if len(head) > 1 else ""
    right_fb = cut.clean(head[2][1:]) if len(head) > 2 else ""
    options = [
        OptionDraft(text="True", is_correct=answer, feedback=right_fb if answer else wrong_fb),
        OptionDraft(text="False", is_correct=not answer, feedback=wrong_fb if answer else right_fb),
    ]
    return replace(question, kind=Kind.TRUE_FALSE.value, options=options)


def _matching(cut, question, answers):
    pairs, distractors = [], []
    for answer in answers:
        arrow = _find(answer.body, "->")
        if arrow == -1:
            raise ImportFailed(f"{cut.where}: in a matching question every answer needs “left -> right”.")
        left, right = cut.clean(answer.body[:arrow]), cut.clean(answer.body[arrow + 2 :])
        if left:
            pairs.append((left, right))
        elif right:
            distractors.append(right)
    if any(answer.feedback.strip() for answer in answers):
        question.warnings.append("Feedback on matching pairs is not kept.")
    return replace(question, kind=Kind.MATCHING.value, pairs=pairs, distractors=distractors)


def _choice(cut, question, answers):
    options = [
        OptionDraft(text=cut.clean(answer.body), is_correct=answer.is_correct, feedback=cut.clean(answer.feedback))
        for answer in answers
    ]
    partial = any(answer.partial for answer in answers)
    if partial and not any(option.is_correct for option in options):
        return _skip(question, MULTIPLE_ANSWER_SKIPPED)
    if partial:
        question.warnings.append(common.PARTIAL_CREDIT_WARNING)
    kind = Kind.CLOZE if cut.missing_word else Kind.MULTIPLE_CHOICE
    return replace(question, kind=kind.value, options=options)


# --- Writing ---------------------------------------------------------------------------


def _h(text):
    """Our plain text as escaped GIFT in [html] format."""
    out = escape(common.text_to_html(text))
    # An answer starting with %n% would read as a weight.
    return "\\" + out if _WEIGHT.match(out) else out


def escape_comment(text):
    return " ".join(text.split())


def _name(question, number):
    return f"::{escape(f'Q{number} ' + shorten(question.prompt, 50))}::"


def _tail(question):
    """The general feedback, written last in the answer block."""
    feedback = common.general_feedback(question)
    return f"\n####{_h(feedback)}" if feedback else ""


def _block(question, lines):
    """An answer block of one answer a line."""
    return "{\n" + "\n".join(lines) + _tail(question) + "\n}"


def _choices(question, options):
    """The answer block of a choice: `=right` or `~wrong`, each with its `#feedback`."""
    lines = [
        f"{'=' if o.is_correct else '~'}{_h(o.text)}" + (f"#{_h(o.feedback)}" if o.feedback else "") for o in options
    ]
    return _block(question, lines)


class GiftWriter(common.FormatWriter):
    label = "GIFT"

    def assemble(self, qset, texts):
        out = [
            f"// {escape_comment(qset.title)}",
            "// Exported from the Conspiracy Against Stalin history quiz (GIFT format).",
            "",
            f"$CATEGORY: {common.category_path(qset.title)}",
            "",
        ]
        for text in texts:
            out += [text, ""]
        return "\n".join(out).rstrip("\n") + "\n"

    def comment(self, text):
        return f"// {text}"

    def comment_text(self, text):
        return escape_comment(text)

    def _written(self, question, number, block, note=None):
        return common.Exported(question, f"{_name(question, number)}[html]{_h(question.prompt)} {block}", note)

    def choice(self, question, number, options, note=None):
        return self._written(question, number, _choices(question, options), note)

    def true_false(self, question, number, answer, feedback_true, feedback_false):
        right_fb, wrong_fb = (feedback_true, feedback_false) if answer else (feedback_false, feedback_true)
        fb = f"#{_h(wrong_fb)}#{_h(right_fb)}" if (right_fb or wrong_fb) else ""
        return self._written(question, number, f"{{{'TRUE' if answer else 'FALSE'}{fb}{_tail(question)}}}")

    def cloze(self, question, number, options):
        """GIFT's missing-word form: the answer block where the gap is, with text after it."""
        parts = common.split_cloze(question.prompt)
        if not parts:
            return self.choice(question, number, options, note=common.CLOZE_WITHOUT_GAP)
        before, after = parts
        if not after.strip():
            note = "Cloze exported as multiple choice: GIFT's missing-word form needs text after the gap."
            return self.choice(question, number, options, note=note)
        text = f"{_name(question, number)}[html]{_h(before)}{_choices(question, options)}{_h(after)}"
        return common.Exported(question, text)

    def ordering(self, question, number, items):
        return self.cannot_express(question, "Ordering question: GIFT cannot express ordering (use Moodle XML).")

    def matching(self, question, number, pairs, distractors):
        lines = [f"={_h(left)} -> {_h(right)}" for left, right in pairs]
        lines += [f"= -> {_h(right)}" for right in distractors]
        return self._written(question, number, _block(question, lines), self.matching_note(question))


def export(qset, questions) -> common.ExportFile:
    """The GIFT file for a set, with what became of each question."""
    return GiftWriter().export(qset, questions)
