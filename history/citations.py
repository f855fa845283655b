"""Links from a citation (a question's quote, a claim) to the exact words in the reader.

The reader highlights the cited span when the link carries it:
  /interview/?quote=<claim key>#passage-N             a claim's quote
  /interview/?cite=<N>:<start>-<end>#passage-N        a question's quote, by its place in passage N

A question's link names the words, not the question: the reader is public, and a question id
would let anyone look up what a teacher's private question cites.
"""

import re
from urllib.parse import urlencode

from django.urls import reverse

from .annotate import locate


def reader_url(passage, **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse("history:interview") + (f"?{query}" if query else "") + f"#passage-{passage.position}"


def claim_citation_url(claim) -> str:
    """Where a claim's quote sits in the interview (`claim.passage` should be loaded)."""
    return reader_url(claim.passage, quote=claim.key)


def question_citation_url(question) -> str | None:
    """The reader link for a question's citation, or None if it cites no passage.

    Needs `question.passage` (and `question.claim` with its passage when it cites through its
    claim): select_related them when listing many."""
    passage = question.passage if question.passage_id else None
    quotes = [question.quote]
    if question.claim_id:
        passage = passage or question.claim.passage
        quotes.append(question.claim.quote)
    if passage is None:
        return None
    for quote in quotes:
        span = quote and locate(passage.text, quote)
        if span:
            return reader_url(passage, cite=f"{passage.position}:{span.start}-{span.end}")
    return reader_url(passage)


_CITE = re.compile(r"^(\d{1,6}):(\d{1,7})-(\d{1,7})$")


def cited_span(request_params, passages_by_id: dict, claims: list):
    """(passage id, start, end) of the span a reader URL asks to highlight, or None.

    `quote`/`highlight` name a claim among `claims`; `cite` names a span of a passage.
    Unknown or malformed values are ignored: a stale link still opens the interview.
    """
    key = request_params.get("quote") or request_params.get("highlight")
    if key:
        for claim in claims:
            if claim.key == key:
                passage = passages_by_id.get(claim.passage_id)
                span = passage and locate(passage.text, claim.quote)
                return (claim.passage_id, span.start, span.end) if span else None
        return None
    match = _CITE.match(request_params.get("cite", ""))
    if not match:
        return None
    position, start, end = (int(group) for group in match.groups())
    passage = next((p for p in passages_by_id.values() if p.position == position), None)
    if passage is None or not 0 <= start < end <= len(passage.text):
        return None
    return (passage.pk, start, end)
