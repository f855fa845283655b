"""Split the published interview into its standfirst and speaker turns.

The file is the page as published: newsletter boilerplate above the title and
below the last turn is not part of the interview and is dropped here.
"""

import re
from dataclasses import dataclass

# A turn starts with the speaker's initials and an en dash, e.g. "SM – In 1932, …".
TURN = re.compile(r"^(?P<label>[A-Z]{1,4}) \u2013 (?P<text>.+)$")
# The newsletter's sign-up box follows the last turn.
TRAILER_START = "Love Conspiracies?"


@dataclass(frozen=True)
class ParsedInterview:
    title: str
    lead: str
    turns: list[tuple[str, str]]  # (speaker label, verbatim text)


class InterviewFormatError(ValueError):
    pass


def parse_interview(raw: str) -> ParsedInterview:
    paragraphs = [p.strip() for p in raw.replace("\r\n", "\n").split("\n")]
    paragraphs = [p for p in paragraphs if p]
    try:
        end = paragraphs.index(TRAILER_START)
    except ValueError:
        end = len(paragraphs)
    body = paragraphs[:end]
    first_turn = next((i for i, p in enumerate(body) if TURN.match(p)), None)
    if first_turn is None or first_turn < 2:
        raise InterviewFormatError("No title, standfirst and speaker turns found in the interview text.")
    title, lead = body[first_turn - 2], body[first_turn - 1]
    turns = []
    for number, paragraph in enumerate(body[first_turn:], start=first_turn + 1):
        match = TURN.match(paragraph)
        if not match:
            raise InterviewFormatError(f"Paragraph {number} is not a speaker turn: {paragraph[:60]!r}")
        turns.append((match["label"], match["text"]))
    return ParsedInterview(title=title, lead=lead, turns=turns)
