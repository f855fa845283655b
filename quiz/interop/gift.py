"""GIFT, Moodle's plain-text question format: reading and writing.

Reading follows Moodle's own rules: `//` comment lines, questions separated by blank
lines, `$CATEGORY:` lines, `::name::`, a `[html]`-style format tag, an answer block in
braces (`=` right, `~` wrong, `#` feedback, `####` general feedback, `->` matching,
{T}/{F}), backslash escapes for `~ = # { } :`, and text after the block making a
missing-word (cloze) question. Errors name the line.
"""

import re

from ..models import Kind
from .common import (
    BLANK,
    category_path,
    GIFT,
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

SPECIAL = "~=#{}:"
_TF = {"t": True, "true": True, "f": False, "false": False}
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
# Stands in for the gap while the text around it is cleaned (a private-use character).
GAP = "\ue000"
_FORMAT_TAG = re.compile(r"^\[(html|moodle|plain|markdown)\]", re.I)


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
_ESCAPE = re.compile(r"\\(.)", re.S)
_RUNS = {}  # a target or a set of separators -> its pattern


def _run(key, body):
    if key not in _RUNS:
        _RUNS[key] = re.compile(body, re.S)
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


# --- Reading ---------------------------------------------------------------------------


class _Block:
    """A question's lines with their line numbers, joined with newlines."""

    def __init__(self, lines):
        self.lines = lines  # [(line number, text)]
        self.text = "\n".join(text for _, text in lines)

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


def parse(text):
    """Parse GIFT text into a ParsedFile; raise ImportFailed naming the line on errors."""
    result = ParsedFile(format=GIFT)
    category = ""
    count = 0
    for block in _blocks(text):
        first_line, first = block.lines[0]
        if first.strip().upper().startswith("$CATEGORY:"):
            category = first.strip()[len("$CATEGORY:") :].strip()
            result.add_category(category, f"Line {first_line}")
            if len(block.lines) == 1:
                continue
            block = _Block(block.lines[1:])
        count += 1  # skipped questions count too: each is kept in the preview
        check_count("questions", f"Line {block.lines[0][0]}", count)
        outcome = _parse_question(block, category)
        if outcome.get("skip"):
            result.skipped.append(outcome["skip"])
        else:
            check_question(outcome)
            result.questions.append(outcome)
    if not result.questions and not result.skipped:
        raise ImportFailed("No questions were found in the GIFT file.")
    return result


def _parse_question(block, category):
    text = block.text
    line = block.lines[0][0]
    where = f"Line {line}"
    name = ""
    body_start = 0
    stripped = text.lstrip()
    lead = len(text) - len(stripped)
    if stripped.startswith("::"):
        end = _find(text, "::", lead + 2)
        if end == -1:
            raise ImportFailed(f"Line {line}: the question name opened with :: is never closed.")
        name = unescape(text[lead + 2 : end]).strip()
        check_length("name", where, name)
        body_start = end + 2

    open_at = _find(text, "{", body_start)
    if open_at == -1:
        close_stray = _find(text, "}", body_start)
        if close_stray != -1:
            raise ImportFailed(f"Line {block.line_at(close_stray)}: a '}}' has no matching '{{' (escape it as \\}}).")
        return {"skip": {"where": where, "name": name or shorten(unescape(text)), "reason": "No answer block { … }: a description, not a question."}}
    close_at = _find(text, "}", open_at + 1)
    nested = _find(text, "{", open_at + 1)
    if close_at == -1:
        raise ImportFailed(
            f"Line {block.line_at(open_at)}: the answer block opened with '{{' is never closed (a '}}' is missing)."
        )
    if nested != -1 and nested < close_at:
        raise ImportFailed(
            f"Line {block.line_at(nested)}: a '{{' inside an answer block; escape a literal brace as \\{{."
        )
    if _find(text, "{", close_at + 1) != -1:
        raise ImportFailed(f"Line {block.line_at(_find(text, '{', close_at + 1))}: a question may have only one answer block.")
    if _find(text, "}", close_at + 1) != -1:
        raise ImportFailed(f"Line {block.line_at(_find(text, '}', close_at + 1))}: a '}}' has no matching '{{'.")

    question_label = f"{where} ({name})" if name else where  # the question's first line
    where = f"Line {block.line_at(open_at)}"  # the answer block's line
    warnings = []
    before = text[body_start:open_at]
    after = text[close_at + 1 :]
    before_stripped = before.lstrip()
    tag = _FORMAT_TAG.match(before_stripped)
    if tag:
        before = before_stripped[tag.end() :]
    answers = text[open_at + 1 : close_at].strip()
    general = _find(answers, "####")  # general feedback follows an unescaped ####
    general_feedback_text = answers[general + 4 :] if general != -1 else ""
    answers = answers[:general].strip() if general != -1 else answers
    missing_word = bool(after.strip())
    # Count the answers before cleaning any text.
    answer_count = sum(1 for piece in _split(answers, "=~") if piece.strip())
    check_count("answers", f"{where} ({name})" if name else where, answer_count)

    def clean(value):
        try:
            return html_to_text(unescape(value), warnings)
        except NestingTooDeep:
            raise over_limit("nesting", question_label) from None

    if missing_word:
        # Clean the text around the gap as one piece so spacing survives, then mark the gap.
        prompt = clean(before + GAP + after).replace(GAP, BLANK)
    else:
        prompt = clean(before)
    base = {"name": name, "where": where, "category": category, "prompt": prompt, "warnings": warnings,
            "explanation": "", "options": [], "order": [], "pairs": [], "distractors": []}
    label = name or shorten(prompt)

    if general != -1:
        base["explanation"] = clean(general_feedback_text)

    if not answers:
        return {"skip": {"where": where, "name": label, "reason": "Essay questions (an empty answer block) are not supported and will be skipped."}}
    if answers.startswith("#"):
        return {"skip": {"where": where, "name": label, "reason": "Numerical questions are not supported and will be skipped."}}
    if answers.startswith(">"):
        return {"skip": {"where": where, "name": label, "reason": "GIFT ordering (plugin syntax) is not supported; use Moodle XML for ordering questions."}}

    head = _split(answers, "#")
    if _TF.get(head[0].strip().lower()) is not None:
        return _true_false(base, head, clean)

    pieces = [p for p in _split(answers, "=~") if p.strip()]
    if pieces and pieces[0][0] not in "=~":
        raise ImportFailed(
            f"{where}: answers must start with = (right) or ~ (wrong); found “{shorten(unescape(pieces[0].strip()), 30)}”."
        )
    parsed = []
    for piece in pieces:
        marker, body = piece[0], piece[1:].strip()
        weight = None
        m = _WEIGHT.match(body)
        if m:
            weight = float(m.group(1))
            body = body[m.end() :].strip()
        fb_at = _find(body, "#")
        feedback = ""
        if fb_at != -1:
            feedback = body[fb_at + 1 :]
            body = body[:fb_at]
        parsed.append({"marker": marker, "weight": weight, "body": body, "feedback": feedback})

    has_wrong = any(p["marker"] == "~" for p in parsed)
    arrows = [p for p in parsed if _find(p["body"], "->") != -1]
    if arrows and not has_wrong:
        return _matching(base, parsed, clean)
    if not has_wrong:
        return {"skip": {"where": where, "name": label, "reason": "Short answer questions are not supported (this app has no typed answers) and will be skipped."}}
    return _choice(base, parsed, clean, missing_word, label)


def _true_false(base, head, clean):
    answer = _TF[head[0].strip().lower()]
    # {T#feedback for a wrong answer#feedback for a right answer}
    wrong_fb = clean(head[1][1:]) if len(head) > 1 else ""
    right_fb = clean(head[2][1:]) if len(head) > 2 else ""
    options = [
        {"text": "True", "is_correct": answer, "feedback": right_fb if answer else wrong_fb},
        {"text": "False", "is_correct": not answer, "feedback": wrong_fb if answer else right_fb},
    ]
    return {**base, "kind": Kind.TRUE_FALSE.value, "options": options}


def _matching(base, parsed, clean):
    pairs, distractors = [], []
    for p in parsed:
        arrow = _find(p["body"], "->")
        if arrow == -1:
            raise ImportFailed(f"{base['where']}: in a matching question every answer needs “left -> right”.")
        left, right = clean(p["body"][:arrow]), clean(p["body"][arrow + 2 :])
        if left:
            pairs.append([left, right])
        elif right:
            distractors.append(right)
    if any(p["feedback"].strip() for p in parsed):
        base["warnings"].append("Feedback on matching pairs is not kept.")
    return {**base, "kind": Kind.MATCHING.value, "pairs": pairs, "distractors": distractors}


def _choice(base, parsed, clean, missing_word, label):
    options = []
    partial = False
    for p in parsed:
        if p["marker"] == "=":
            correct = p["weight"] is None or p["weight"] >= 100
        else:
            correct = p["weight"] is not None and p["weight"] >= 100
            if p["weight"] is not None and 0 < p["weight"] < 100:
                partial = True
        options.append({"text": clean(p["body"]), "is_correct": correct, "feedback": clean(p["feedback"])})
    if partial and not any(o["is_correct"] for o in options):
        return {"skip": {"where": base["where"], "name": label, "reason": "Multiple-answer questions (answers weighted ~%50% …) are not supported and will be skipped."}}
    if partial:
        base["warnings"].append("Partial-credit answers are imported as wrong answers.")
    kind = Kind.CLOZE if missing_word else Kind.MULTIPLE_CHOICE
    return {**base, "kind": kind.value, "options": options}


# --- Writing ---------------------------------------------------------------------------


def _h(text):
    """Our plain text as escaped GIFT in [html] format."""
    out = escape(text_to_html(text))
    # An answer starting with %n% would read as a weight.
    return "\\" + out if _WEIGHT.match(out) else out


def export(qset, questions):
    """GIFT text for a set, and notes on what could not be expressed: [(question, note, left_out)]."""
    notes = []
    out = [
        f"// {escape_comment(qset.title)}",
        "// Exported from the Conspiracy Against Stalin history quiz (GIFT format).",
        "",
        f"$CATEGORY: {category_path(qset.title)}",
        "",
    ]
    for number, question in enumerate(questions, start=1):
        text, note = export_question(question, number)
        if note:
            notes.append((question, note, "NOT EXPORTED" in text.split("\n", 1)[0]))
        out.append(text)
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n", notes


def escape_comment(text):
    return " ".join(text.split())


def _name(question, number):
    return f"::{escape(f'Q{number} ' + shorten(question.prompt, 50))}::"


def export_question(question, number):
    """(GIFT text, note or None) for one question."""
    label = shorten(question.prompt, 80)
    if question.is_retired:
        return f"// NOT EXPORTED: retired question “{escape_comment(label)}”", "Retired: not exported."
    if not is_supported_kind(question.kind):
        return f"// NOT EXPORTED: “{escape_comment(label)}” — unknown kind", "Unknown kind: not exported."
    if question.mode.name == "ordering":
        return (
            f"// NOT EXPORTED: ordering question “{escape_comment(label)}” — GIFT cannot express ordering",
            "Ordering question: GIFT cannot express ordering (use Moodle XML).",
        )
    feedback = general_feedback(question)
    tail = f"\n####{_h(feedback)}" if feedback else ""
    name = _name(question, number)
    note = None
    if question.mode.name == "matching":
        pairs, distractors = question.mode.export_parts(question)
        lines = [f"={_h(left)} -> {_h(right)}" for left, right in pairs]
        lines += [f"= -> {_h(right)}" for right in distractors]
        if any(o.feedback for o in question.options.all()):
            note = "Feedback on matching pairs is not carried by GIFT."
        body = "\n".join(lines)
        return f"{name}[html]{_h(question.prompt)} {{\n{body}{tail}\n}}", note
    if question.kind == Kind.TRUE_FALSE:
        key = true_false_key(question)
        if key:
            answer, fb_true, fb_false = key
            right_fb, wrong_fb = (fb_true, fb_false) if answer else (fb_false, fb_true)
            fb = f"#{_h(wrong_fb)}#{_h(right_fb)}" if (right_fb or wrong_fb) else ""
            return f"{name}[html]{_h(question.prompt)} {{{'TRUE' if answer else 'FALSE'}{fb}{tail}}}", None
    answers = "\n".join(
        f"{'=' if o.is_correct else '~'}{_h(o.text)}" + (f"#{_h(o.feedback)}" if o.feedback else "")
        for o in question.options.all()
    )
    block = f"{{\n{answers}{tail}\n}}"
    if question.kind == Kind.CLOZE:
        parts = split_cloze(question.prompt)
        if parts and parts[1].strip():
            before, after = parts
            return f"{name}[html]{_h(before)}{block}{_h(after)}", None
        note = (
            "Cloze exported as multiple choice: GIFT's missing-word form needs text after the gap."
            if parts
            else "Cloze exported as multiple choice: the prompt has no gap (____)."
        )
    return f"{name}[html]{_h(question.prompt)} {block}", note
