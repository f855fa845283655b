"""Moodle XML: reading and writing.

Reading is done with defusedxml and DTDs forbidden: a DOCTYPE or entity declaration is
refused before parsing, external entities are never resolved. Every element remembers the
line it started on so that errors can name it. Supported question types: category,
multichoice (single answer), truefalse, matching, ordering (the qtype_ordering plugin) and
cloze (multianswer) with one embedded multiple-choice gap (our cloze); others are skipped with a note.
"""

import re
# Only the Element and TreeBuilder classes are used from these; parsing goes through defusedxml.
import xml.etree.ElementTree as ET  # nosec B405
from xml.sax.saxutils import escape as xml_escape  # nosec B406

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from ..models import Kind
from .common import (
    BLANK,
    category_path,
    MOODLE_XML,
    ImportFailed,
    ParsedFile,
    check_count,
    check_length,
    check_question,
    general_feedback,
    html_to_text,
    is_supported_kind,
    over_limit,
    shorten,
    split_cloze,
    text_to_html,
    true_false_key,
)
from .outline import NestingTooDeep

GAP = "\ue000"
_DOCTYPE = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.I)
_ENCODING = re.compile(r"""^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']""", re.I)
# {1:MULTICHOICE:=right#fb~wrong} and its short forms (MC, MCV, MCH, MULTICHOICE_S …).
_EMBEDDED_START = re.compile(r"\{(\d*):([A-Z_]+):")
_EMBEDDED_BODY = re.compile(r"(?:\\.|[^\\}])*+\}", re.S)  # up to the first unescaped }
_EMBEDDED_MC = re.compile(r"^(MC|MULTICHOICE)(V|H|S|VS|HS|_V|_H|_S|_VS|_HS)?$")

SKIP_REASONS = {
    "shortanswer": "Short answer questions are not supported (this app has no typed answers) and will be skipped.",
    "numerical": "Numerical questions are not supported and will be skipped.",
    "essay": "Essay questions are not supported and will be skipped.",
    "description": "A description (no answers) is not a question and will be skipped.",
}


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
    root = _parse_xml(text)
    if root.tag != "quiz":
        raise ImportFailed(f"Line {root.line}: the root element is <{root.tag}>; a Moodle XML file starts with <quiz>.")
    result = ParsedFile(format=MOODLE_XML)
    category = ""
    count = 0
    for element in root:
        if element.tag != "question":
            raise ImportFailed(f"Line {element.line}: unexpected <{element.tag}> inside <quiz>; expected <question>.")
        qtype = (element.get("type") or "").strip().lower()
        where = _describe(element)
        if not qtype:
            raise ImportFailed(f"<question> on line {element.line} has no type attribute.")
        if qtype == "category":
            category = _raw(element, "category").strip()
            if not category:
                raise ImportFailed(f"{where}: the category has no <category><text> path.")
            result.add_category(category, where)
            continue
        count += 1  # skipped questions count too: each is kept in the preview
        check_count("questions", where, count)
        try:
            outcome = _parse_question(element, qtype, where, category)
        except NestingTooDeep:
            raise over_limit("nesting", where) from None
        if outcome.get("skip"):
            result.skipped.append(outcome["skip"])
            continue
        check_question(outcome)
        result.questions.append(outcome)
    if not result.questions and not result.skipped:
        raise ImportFailed("No questions were found in the Moodle XML file.")
    return result


def _parse_question(element, qtype, where, category):
    name = " ".join(_text(element, "name").split())
    check_length("name", where, name)
    handler = _HANDLERS.get(qtype)
    if handler is None:
        reason = SKIP_REASONS.get(qtype, f"Moodle “{qtype}” questions are not supported and will be skipped.")
        return {"skip": {"where": where, "name": name or "(no name)", "reason": reason}}
    if element.find("questiontext") is None:
        raise ImportFailed(f"{where}: the question has no <questiontext>.")
    # Count the answers before cleaning any text.
    label = f"{where} ({name})" if name else where
    check_count("answers", label, len(element.findall("answer")) + len(element.findall("subquestion")))
    warnings = []
    base = {"name": name, "where": where, "category": category, "warnings": warnings,
            "prompt": _text(element, "questiontext", warnings),
            "explanation": _text(element, "generalfeedback", warnings),
            "options": [], "order": [], "pairs": [], "distractors": []}
    return handler(element, base, warnings)


def _fraction(answer):
    value = answer.get("fraction", "0")
    try:
        return float(value)
    except ValueError:
        raise ImportFailed(f"<answer> on line {answer.line}: fraction “{value}” is not a number.") from None


def _multichoice(element, base, warnings):
    single = (element.findtext("single") or "true").strip().lower() in ("true", "1")
    answers = element.findall("answer")
    options = []
    for answer in answers:
        fraction = _fraction(answer)
        options.append({
            "text": _text(answer, ".", warnings),
            "is_correct": fraction >= 100,
            "feedback": _text(answer, "feedback", warnings),
            "fraction": fraction,
        })
    full = sum(1 for o in options if o["is_correct"])
    partial = any(0 < o["fraction"] < 100 for o in options)
    if not single and (full != 1 or partial):
        return {"skip": {"where": base["where"], "name": base["name"] or shorten(base["prompt"]),
                         "reason": "Multiple-answer (checkbox) questions are not supported and will be skipped."}}
    if partial:
        warnings.append("Partial-credit answers are imported as wrong answers.")
    for o in options:
        del o["fraction"]
    return {**base, "kind": Kind.MULTIPLE_CHOICE.value, "options": options}


def _truefalse(element, base, warnings):
    answers = element.findall("answer")
    found = {}
    for answer in answers:
        word = _text(answer, ".").strip().lower()
        if word not in ("true", "false"):
            raise ImportFailed(f"<answer> on line {answer.line}: a true/false answer must be “true” or “false”.")
        found[word] = (_fraction(answer) >= 100, _text(answer, "feedback", warnings))
    if set(found) != {"true", "false"}:
        raise ImportFailed(f"{base['where']}: a true/false question needs one “true” and one “false” answer.")
    options = [
        {"text": "True", "is_correct": found["true"][0], "feedback": found["true"][1]},
        {"text": "False", "is_correct": found["false"][0], "feedback": found["false"][1]},
    ]
    return {**base, "kind": Kind.TRUE_FALSE.value, "options": options}


def _matching(element, base, warnings):
    pairs, distractors = [], []
    for sub in element.findall("subquestion"):
        left = _text(sub, ".", warnings)
        right = _text(sub, "answer", warnings)
        if left:
            if not right:
                raise ImportFailed(f"<subquestion> on line {sub.line}: the item has no <answer>.")
            pairs.append([left, right])
        elif right:
            distractors.append(right)
    return {**base, "kind": Kind.MATCHING.value, "pairs": pairs, "distractors": distractors}


def _ordering(element, base, warnings):
    # qtype_ordering lists the items in the right order.
    order = [_text(answer, ".", warnings) for answer in element.findall("answer")]
    if any(_text(answer, "feedback") for answer in element.findall("answer")):
        warnings.append("Feedback on ordering items is not kept.")
    return {**base, "kind": Kind.CHRONOLOGY.value, "order": order}


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
        parts += [raw[pos:start], BLANK]
        pos = end
    return "".join(parts) + raw[pos:]


def _multianswer(element, base, warnings):
    raw = _raw(element, "questiontext")
    gaps = _embedded_gaps(raw)
    label = base["name"] or shorten(html_to_text(_without_gaps(raw, gaps)))
    if len(gaps) != 1 or not _EMBEDDED_MC.match(gaps[0][2]):
        return {"skip": {"where": base["where"], "name": label,
                         "reason": "Embedded-answer (Cloze) questions are supported only with a single multiple-choice gap; skipped."}}
    start, end, _, answers = gaps[0]
    pieces = [piece.strip() for piece in _split_unescaped(answers, "~") if piece.strip()]
    check_count("answers", f"{base['where']} ({base['name']})" if base["name"] else base["where"], len(pieces))
    prompt = html_to_text(raw[:start] + GAP + raw[end:], warnings).replace(GAP, BLANK)
    options = []
    for piece in pieces:
        correct = False
        if piece.startswith("="):
            correct, piece = True, piece[1:]
        else:
            weight = re.match(r"^%(-?\d+(?:\.\d+)?)%", piece)
            if weight:
                correct, piece = float(weight.group(1)) >= 100, piece[weight.end() :]
        text, _, feedback = _partition_unescaped(piece, "#")
        options.append({"text": html_to_text(_cloze_unescape(text)), "is_correct": correct,
                        "feedback": html_to_text(_cloze_unescape(feedback))})
    return {**base, "prompt": prompt, "kind": Kind.CLOZE.value, "options": options}


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


def export(qset, questions):
    """Moodle XML for a set, and notes on what could not be expressed: [(question, note, left_out)]."""
    notes = []
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f"<!-- {_comment(qset.title)}: exported from the Conspiracy Against Stalin history quiz -->",
        "<quiz>",
        '  <question type="category">',
        f"    <category><text>{xml_escape(category_path(qset.title))}</text></category>",
        "  </question>",
    ]
    for number, question in enumerate(questions, start=1):
        xml, note = export_question(question, number)
        if note:
            notes.append((question, note, "NOT EXPORTED" in xml.split("\n", 1)[0]))
        out.append(xml)
    out.append("</quiz>")
    # XML 1.0 cannot carry these characters at all, not even as references: leave them out.
    return _NOT_XML.sub("", "\n".join(out) + "\n"), notes


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
    lines.append(_html_text("generalfeedback", general_feedback(question), 4))
    lines.append("    <defaultgrade>1</defaultgrade>")
    return lines


def _answer(text, fraction, feedback, indent=4):
    pad = " " * indent
    lines = [f'{pad}<answer fraction="{fraction}" format="html">', f"{pad}  <text>{_cdata(text_to_html(text))}</text>"]
    if feedback:
        lines.append(_html_text("feedback", feedback, indent + 2))
    lines.append(f"{pad}</answer>")
    return "\n".join(lines)


def export_question(question, number):
    label = _comment(shorten(question.prompt, 80))
    if question.is_retired:
        return f"  <!-- NOT EXPORTED: retired question “{label}” -->", "Retired: not exported."
    if not is_supported_kind(question.kind):
        return f"  <!-- NOT EXPORTED: “{label}” (unknown kind) -->", "Unknown kind: not exported."
    note = None
    if question.mode.name == "ordering":
        lines = _header(question, number, "ordering")
        lines += [
            "    <layouttype>VERTICAL</layouttype>",
            "    <selecttype>ALL</selecttype>",
            "    <selectcount>0</selectcount>",
            "    <gradingtype>ABSOLUTE_POSITION</gradingtype>",
            "    <showgrading>SHOW</showgrading>",
        ]
        # The plugin reads the items in the right order; fraction records the rank.
        lines += [_answer(text, rank, "") for rank, text in enumerate(question.mode.export_parts(question), start=1)]
    elif question.mode.name == "matching":
        pairs, distractors = question.mode.export_parts(question)
        lines = _header(question, number, "matching")
        lines.append("    <shuffleanswers>true</shuffleanswers>")
        for left, right in pairs + [("", d) for d in distractors]:
            lines.append(
                f'    <subquestion format="html">\n      <text>{_cdata(text_to_html(left))}</text>\n'
                f"      <answer><text>{xml_escape(text_to_html(right))}</text></answer>\n    </subquestion>"
            )
        if any(o.feedback for o in question.options.all()):
            note = "Feedback on matching pairs is not carried by Moodle XML."
    elif question.kind == Kind.TRUE_FALSE and true_false_key(question):
        answer, fb_true, fb_false = true_false_key(question)
        lines = _header(question, number, "truefalse")
        lines.append(_answer_plain("true", 100 if answer else 0, fb_true))
        lines.append(_answer_plain("false", 0 if answer else 100, fb_false))
    elif question.kind == Kind.CLOZE and split_cloze(question.prompt):
        before, after = split_cloze(question.prompt)
        gap = "~".join(
            ("=" if o.is_correct else "")
            + _cloze_escape(text_to_html(o.text))
            + (f"#{_cloze_escape(text_to_html(o.feedback))}" if o.feedback else "")
            for o in question.options.all()
        )
        prompt_html = f"{text_to_html(before)}{{1:MULTICHOICE:{gap}}}{text_to_html(after)}"
        lines = _header(question, number, "cloze", prompt_html=prompt_html)
    else:
        if question.kind == Kind.CLOZE:
            note = "Cloze exported as multiple choice: the prompt has no gap (____)."
        lines = _header(question, number, "multichoice")
        lines += [
            "    <single>true</single>",
            "    <shuffleanswers>true</shuffleanswers>",
            "    <answernumbering>abc</answernumbering>",
        ]
        lines += [_answer(o.text, 100 if o.is_correct else 0, o.feedback) for o in question.options.all()]
    lines.append("  </question>")
    return "\n".join(lines), note


def _answer_plain(word, fraction, feedback):
    lines = [f'    <answer fraction="{fraction}" format="moodle_auto_format">', f"      <text>{word}</text>"]
    if feedback:
        lines.append(_html_text("feedback", feedback, 6))
    lines.append("    </answer>")
    return "\n".join(lines)
