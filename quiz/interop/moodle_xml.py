"""Moodle XML: reading and writing.

Reading is done with defusedxml and DTDs forbidden: a DOCTYPE or entity declaration is
refused before parsing, external entities are never resolved. Every element remembers the
line it started on so that errors can name it. Supported question types: category,
multichoice (single answer), truefalse, matching, ordering (the qtype_ordering plugin) and
cloze (multianswer) with one embedded multiple-choice gap (our cloze); others are skipped with a note.
Each supported type has its reader (_HANDLERS), which fills in what its answers say. Writing is
MoodleWriter, the Moodle XML side of common.FormatWriter.
"""

import re

# Only the Element and TreeBuilder classes are used from these; parsing goes through defusedxml.
import xml.etree.ElementTree as ET  # nosec B405
from dataclasses import replace
from typing import ClassVar
from xml.sax.saxutils import escape as xml_escape  # nosec B406

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from ..answer_modes import OptionDraft
from ..models import Kind
from . import common
from .common import (
    ImportFailed,
    ParsedQuestion,
    Skipped,
    html_to_text,
    shorten,
    text_to_html,
)
from .outline import NestingTooDeep

_DOCTYPE = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_ENCODING = re.compile(r"""^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
# {1:MULTICHOICE:=right#fb~wrong} and its short forms (MC, MCV, MCH, MULTICHOICE_S …).
_EMBEDDED_START = re.compile(r"\{(\d*):([A-Z_]+):")
_EMBEDDED_BODY = re.compile(r"(?:\\.|[^\\}])*+\}", re.DOTALL)  # up to the first unescaped }
_EMBEDDED_MC = re.compile(r"^(MC|MULTICHOICE)(V|H|S|VS|HS|_V|_H|_S|_VS|_HS)?$")

SKIP_REASONS = {
    "shortanswer": common.SHORT_ANSWER_SKIPPED,
    "numerical": common.NUMERICAL_SKIPPED,
    "essay": "Essay questions are not supported and will be skipped.",
    "description": "A description (no answers) is not a question and will be skipped.",
}
CHECKBOX_SKIPPED = "Multiple-answer (checkbox) questions are not supported and will be skipped."
CLOZE_SKIPPED = "Embedded-answer (Cloze) questions are supported only with a single multiple-choice gap; skipped."


class _Element(ET.Element):
    line = 0


class _LineBuilder(ET.TreeBuilder):
    """A tree builder that stamps each element with the line its start tag is on."""

    def __init__(self):
        super().__init__(element_factory=_Element)
        self.expat = None

    def start(self, tag, attrs):
        element = super().start(tag, attrs)
        element.line = self.expat.CurrentLineNumber
        return element


def _parse_xml(text):
    doctype = _DOCTYPE.search(text)
    if doctype:
        line = text.count("\n", 0, doctype.start()) + 1
        raise ImportFailed(
            f"Line {line}: the file declares a DOCTYPE or entities; they are refused for safety. Remove the <!DOCTYPE …> declaration."
        )
    declared = _ENCODING.match(text)
    if declared and declared.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise ImportFailed(f"Line 1: the file declares encoding “{declared.group(1)}”; only UTF-8 is accepted.")
    builder = _LineBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder.expat = parser.parser
    try:
        parser.feed(text.encode("utf-8"))
        return parser.close()
    except ET.ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        raise ImportFailed(f"Line {line}, column {column + 1}: the XML is not well-formed ({reason}).") from None
    except DefusedXmlException:
        raise ImportFailed(
            f"Line {parser.parser.CurrentLineNumber}: the file declares a DOCTYPE or entities; they are refused for safety."
        ) from None


def _describe(element):
    qtype = element.get("type")
    tag = f'<{element.tag} type="{qtype}">' if qtype else f"<{element.tag}>"
    return f"{tag} on line {element.line}"


def _text(element, path, warnings=None):
    """Cleaned text of `path/text` under element ('' if absent)."""
    node = element.find(path)
    if node is None:
        return ""
    inner = node.find("text")
    raw = inner.text if inner is not None else node.text
    return html_to_text(raw or "", warnings)


def _raw(element, path):
    node = element.find(path)
    if node is None:
        return ""
    inner = node.find("text")
    return (inner.text if inner is not None else node.text) or ""


def parse(text):
    """Parse Moodle XML into a ParsedFile; raise ImportFailed naming the element and line on errors."""
    root = _parse_xml(text)
    if root.tag != "quiz":
        raise ImportFailed(f"Line {root.line}: the root element is <{root.tag}>; a Moodle XML file starts with <quiz>.")
    result = common.ParsedFile(format=common.MOODLE_XML)
    category = ""
    for element in root:
        qtype, where = _question_type(element)
        if qtype == "category":
            category = _category(element, where)
            result.add_category(category, where)
            continue
        result.make_room(where)
        result.add(_read_question(element, qtype, where, category))
    result.require_questions()
    return result


def _question_type(element):
    """The element's question type, lower case, and how errors name the element."""
    if element.tag != "question":
        raise ImportFailed(f"Line {element.line}: unexpected <{element.tag}> inside <quiz>; expected <question>.")
    qtype = (element.get("type") or "").strip().lower()
    if not qtype:
        raise ImportFailed(f"<question> on line {element.line} has no type attribute.")
    return qtype, _describe(element)


def _category(element, where):
    category = _raw(element, "category").strip()
    if not category:
        raise ImportFailed(f"{where}: the category has no <category><text> path.")
    return category


def _read_question(element, qtype, where, category) -> ParsedQuestion | Skipped:
    try:
        return _parse_question(element, qtype, where, category)
    except NestingTooDeep:
        raise common.over_limit("nesting", where) from None


def _parse_question(element, qtype, where, category):
    name = " ".join(_text(element, "name").split())
    common.check_length("name", where, name)
    handler = _HANDLERS.get(qtype)
    if handler is None:
        reason = SKIP_REASONS.get(qtype, f"Moodle “{qtype}” questions are not supported and will be skipped.")
        return Skipped(where, name or "(no name)", reason)
    if element.find("questiontext") is None:
        raise ImportFailed(f"{where}: the question has no <questiontext>.")
    # Count the answers before cleaning any text.
    label = f"{where} ({name})" if name else where
    common.check_count("answers", label, len(element.findall("answer")) + len(element.findall("subquestion")))
    warnings = []
    question = ParsedQuestion(
        kind="",
        prompt=_text(element, "questiontext", warnings),
        where=where,
        name=name,
        category=category,
        explanation=_text(element, "generalfeedback", warnings),
        warnings=warnings,
    )
    return handler(element, question)


def _skip(question, reason, label=None):
    return Skipped(question.where, question.name or label or shorten(question.prompt), reason)


def _fraction(answer):
    value = answer.get("fraction", "0")
    try:
        return float(value)
    except ValueError:
        raise ImportFailed(f"<answer> on line {answer.line}: fraction “{value}” is not a number.") from None


def _multichoice(element, question):
    single = (element.findtext("single") or "true").strip().lower() in ("true", "1")
    fractions, options = [], []
    for answer in element.findall("answer"):
        fraction = _fraction(answer)
        fractions.append(fraction)
        options.append(
            OptionDraft(
                text=_text(answer, ".", question.warnings),
                is_correct=fraction >= 100,
                feedback=_text(answer, "feedback", question.warnings),
            )
        )
    partial = any(0 < fraction < 100 for fraction in fractions)
    if not single and (sum(o.is_correct for o in options) != 1 or partial):
        return _skip(question, CHECKBOX_SKIPPED)
    if partial:
        question.warnings.append(common.PARTIAL_CREDIT_WARNING)
    return replace(question, kind=Kind.MULTIPLE_CHOICE.value, options=options)


def _truefalse(element, question):
    found = {}
    for answer in element.findall("answer"):
        word = _text(answer, ".").strip().lower()
        if word not in ("true", "false"):
            raise ImportFailed(f"<answer> on line {answer.line}: a true/false answer must be “true” or “false”.")
        found[word] = (_fraction(answer) >= 100, _text(answer, "feedback", question.warnings))
    if set(found) != {"true", "false"}:
        raise ImportFailed(f"{question.where}: a true/false question needs one “true” and one “false” answer.")
    options = [
        OptionDraft(text="True", is_correct=found["true"][0], feedback=found["true"][1]),
        OptionDraft(text="False", is_correct=found["false"][0], feedback=found["false"][1]),
    ]
    return replace(question, kind=Kind.TRUE_FALSE.value, options=options)


def _matching(element, question):
    pairs, distractors = [], []
    for sub in element.findall("subquestion"):
        left = _text(sub, ".", question.warnings)
        right = _text(sub, "answer", question.warnings)
        if left:
            if not right:
                raise ImportFailed(f"<subquestion> on line {sub.line}: the item has no <answer>.")
            pairs.append((left, right))
        elif right:
            distractors.append(right)
    return replace(question, kind=Kind.MATCHING.value, pairs=pairs, distractors=distractors)


def _ordering(element, question):
    # qtype_ordering lists the items in the right order.
    order = [_text(answer, ".", question.warnings) for answer in element.findall("answer")]
    if any(_text(answer, "feedback") for answer in element.findall("answer")):
        question.warnings.append("Feedback on ordering items is not kept.")
    return replace(question, kind=Kind.CHRONOLOGY.value, order=order)


def _embedded_gaps(raw):
    """The {n:TYPE:answers} gaps of a cloze text, as (start, end, type, answers). Found in one
    pass: a regex looking for a closing brace from every opening one rescans the rest of the text
    each time (137 KB of `{1:MC:a` took 101 s). A gap left open runs to the end of the text, so
    no later one can close either."""
    gaps, pos = [], 0
    while start := _EMBEDDED_START.search(raw, pos):
        body = _EMBEDDED_BODY.match(raw, start.end())
        if body is None:
            break
        gaps.append((start.start(), body.end(), start.group(2), raw[start.end() : body.end() - 1]))
        pos = body.end()
    return gaps


def _without_gaps(raw, gaps):
    parts, pos = [], 0
    for start, end, _, _ in gaps:
        parts += [raw[pos:start], common.BLANK]
        pos = end
    return "".join(parts) + raw[pos:]


def _multianswer(element, question):
    raw = _raw(element, "questiontext")
    gaps = _embedded_gaps(raw)
    if len(gaps) != 1 or not _EMBEDDED_MC.match(gaps[0][2]):
        return _skip(question, CLOZE_SKIPPED, label=shorten(html_to_text(_without_gaps(raw, gaps))))
    start, end, _, answers = gaps[0]
    pieces = [piece.strip() for piece in _split_unescaped(answers, "~") if piece.strip()]
    label = f"{question.where} ({question.name})" if question.name else question.where
    common.check_count("answers", label, len(pieces))
    prompt = html_to_text(raw[:start] + common.GAP + raw[end:], question.warnings).replace(common.GAP, common.BLANK)
    return replace(
        question, prompt=prompt, kind=Kind.CLOZE.value, options=[_embedded_option(piece) for piece in pieces]
    )


def _embedded_option(piece):
    """One answer of an embedded gap: `=right`, `%100%right` or `wrong`, then `#feedback`."""
    correct = False
    if piece.startswith("="):
        correct, piece = True, piece[1:]
    else:
        weight = re.match(r"^%(-?\d+(?:\.\d+)?)%", piece)
        if weight:
            correct, piece = float(weight.group(1)) >= 100, piece[weight.end() :]
    text, _, feedback = _partition_unescaped(piece, "#")
    return OptionDraft(
        text=html_to_text(_cloze_unescape(text)), is_correct=correct, feedback=html_to_text(_cloze_unescape(feedback))
    )


def _split_unescaped(text, sep):
    pieces, current, i = [], [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        if text[i] == sep:
            pieces.append("".join(current))
            current = []
        else:
            current.append(text[i])
        i += 1
    pieces.append("".join(current))
    return pieces


def _partition_unescaped(text, sep):
    parts = _split_unescaped(text, sep)
    return parts[0], (sep if len(parts) > 1 else ""), sep.join(parts[1:])


def _cloze_unescape(text):
    return re.sub(r"\\(.)", r"\1", text)


def _cloze_escape(text):
    text = re.sub(r"([\\}#~/\"])", r"\\\1", text)
    # A leading = or %n% would mark the answer's credit.
    return "\\" + text if re.match(r"^(=|%-?\d)", text) else text


_HANDLERS = {
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "matching": _matching,
    "ordering": _ordering,
    "cloze": _multianswer,  # Moodle XML calls multianswer questions "cloze"
    "multianswer": _multianswer,
}


# --- Writing ---------------------------------------------------------------------------


def _cdata(html):
    return "<![CDATA[" + html.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _html_text(tag, text, indent):
    pad = " " * indent
    return f'{pad}<{tag} format="html">\n{pad}  <text>{_cdata(text_to_html(text))}</text>\n{pad}</{tag}>'


def _plain(tag, value, indent):
    return f"{' ' * indent}<{tag}>{xml_escape(str(value))}</{tag}>"


class MoodleWriter(common.FormatWriter):
    label = "Moodle XML"
    stand_ins: ClassVar[dict[str, str]] = {
        **common.FormatWriter.stand_ins,
        common.UNKNOWN_KIND: "“{label}” (unknown kind)",
    }

    def assemble(self, qset, texts):
        out = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f"<!-- {_comment(qset.title)}: exported from the Conspiracy Against Stalin history quiz -->",
            "<quiz>",
            '  <question type="category">',
            f"    <category><text>{xml_escape(common.category_path(qset.title))}</text></category>",
            "  </question>",
            *texts,
            "</quiz>",
        ]
        # XML 1.0 cannot carry these characters at all, not even as references: leave them out.
        return _NOT_XML.sub("", "\n".join(out) + "\n")

    def comment(self, text):
        return f"  <!-- {text} -->"

    def comment_text(self, text):
        return _comment(text)

    @staticmethod
    def _written(question, lines, note=None):
        return common.Exported(question, "\n".join([*lines, "  </question>"]), note)

    def choice(self, question, number, options, note=None):
        lines = _header(question, number, "multichoice")
        lines += [
            "    <single>true</single>",
            "    <shuffleanswers>true</shuffleanswers>",
            "    <answernumbering>abc</answernumbering>",
        ]
        lines += [_answer(o.text, 100 if o.is_correct else 0, o.feedback) for o in options]
        return self._written(question, lines, note)

    def true_false(self, question, number, answer, feedback_true, feedback_false):
        lines = _header(question, number, "truefalse")
        lines.append(_answer_plain("true", 100 if answer else 0, feedback_true))
        lines.append(_answer_plain("false", 0 if answer else 100, feedback_false))
        return self._written(question, lines)

    def cloze(self, question, number, options):
        """Moodle's embedded answers: one multiple-choice gap where the blank is."""
        parts = common.split_cloze(question.prompt)
        if not parts:
            return self.choice(question, number, options, note=common.CLOZE_WITHOUT_GAP)
        before, after = parts
        gap = "~".join(
            ("=" if o.is_correct else "")
            + _cloze_escape(text_to_html(o.text))
            + (f"#{_cloze_escape(text_to_html(o.feedback))}" if o.feedback else "")
            for o in options
        )
        prompt_html = f"{text_to_html(before)}{{1:MULTICHOICE:{gap}}}{text_to_html(after)}"
        return self._written(question, _header(question, number, "cloze", prompt_html=prompt_html))

    def ordering(self, question, number, items):
        lines = _header(question, number, "ordering")
        lines += [
            "    <layouttype>VERTICAL</layouttype>",
            "    <selecttype>ALL</selecttype>",
            "    <selectcount>0</selectcount>",
            "    <gradingtype>ABSOLUTE_POSITION</gradingtype>",
            "    <showgrading>SHOW</showgrading>",
        ]
        # The plugin reads the items in the right order; fraction records the rank.
        lines += [_answer(text, rank, "") for rank, text in enumerate(items, start=1)]
        return self._written(question, lines)

    def matching(self, question, number, pairs, distractors):
        lines = _header(question, number, "matching")
        lines.append("    <shuffleanswers>true</shuffleanswers>")
        for left, right in pairs + [("", d) for d in distractors]:
            lines.append(
                f'    <subquestion format="html">\n      <text>{_cdata(text_to_html(left))}</text>\n'
                f"      <answer><text>{xml_escape(text_to_html(right))}</text></answer>\n    </subquestion>"
            )
        return self._written(question, lines, self.matching_note(question))


def export(qset, questions) -> common.ExportFile:
    """The Moodle XML file for a set, with what became of each question."""
    return MoodleWriter().export(qset, questions)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _comment(text):
    """Text for inside <!-- -->, which may not hold "--"."""
    return re.sub(r"-(?=-)", "- ", xml_escape(" ".join(text.split())))


def _header(question, number, qtype, prompt_html=None):
    name = f"Q{number} {shorten(question.prompt, 50)}"
    lines = [
        f'  <question type="{qtype}">',
        f"    <name><text>{xml_escape(name)}</text></name>",
    ]
    if prompt_html is None:
        lines.append(_html_text("questiontext", question.prompt, 4))
    else:
        lines.append(f'    <questiontext format="html">\n      <text>{_cdata(prompt_html)}</text>\n    </questiontext>')
    lines.append(_html_text("generalfeedback", common.general_feedback(question), 4))
    lines.append("    <defaultgrade>1</defaultgrade>")
    return lines


def _answer(text, fraction, feedback, indent=4):
    pad = " " * indent
    lines = [f'{pad}<answer fraction="{fraction}" format="html">', f"{pad}  <text>{_cdata(text_to_html(text))}</text>"]
    if feedback:
        lines.append(_html_text("feedback", feedback, indent + 2))
    lines.append(f"{pad}</answer>")
    return "\n".join(lines)


def _answer_plain(word, fraction, feedback):
    lines = [f'    <answer fraction="{fraction}" format="moodle_auto_format">', f"      <text>{word}</text>"]
    if feedback:
        lines.append(_html_text("feedback", feedback, 6))
    lines.append("    </answer>")
    return "\n".join(lines)
