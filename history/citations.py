"""Links from a citation (a question's quote, a claim) to the exact words in the reader.

The reader highlights the cited span when the link carries it:
  /interview/?quote=<claim key>#passage-N   a claim's quote
  /interview/?cite=<question id>#passage-N  a question's quote
"""

from urllib.parse import urlencode

from django.apps import apps
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

    Needs only `question.passage` (select_related it when listing many)."""
    if question.passage_id:
        return reader_url(question.passage, cite=question.pk)
    if question.claim_id:
        return reader_url(question.claim.passage, cite=question.pk)
    return None


def cited_span(request_params, passages_by_id: dict, claims: list):
    """(passage id, start, end) of the span a reader URL asks to highlight, or None.

    `quote`/`highlight` name a claim among `claims`; `cite` names a question
    (one query). Unknown or malformed values are ignored: a stale link still
    opens the interview.
    """
    key = request_params.get("quote") or request_params.get("highlight")
    if key:
        for claim in claims:
            if claim.key == key:
                passage = passages_by_id.get(claim.passage_id)
                span = passage and locate(passage.text, claim.quote)
                return (claim.passage_id, span.start, span.end) if span else None
        return None
    cite = request_params.get("cite", "")
    if not cite.isdecimal():
        return None
    Question = apps.get_model("quiz", "Question")
    question = Question.objects.filter(pk=int(cite)).select_related("claim").only(
        "passage_id", "quote", "claim__quote", "claim__passage_id"
    ).first()
    if question is None:
        return None
    passage = passages_by_id.get(question.passage_id)
    if passage is None and question.claim is not None:
        passage = passages_by_id.get(question.claim.passage_id)
    if passage is None:
        return None
    for quote in (question.quote, question.claim.quote if question.claim else ""):
        span = locate(passage.text, quote)
        if span:
            return (passage.pk, span.start, span.end)
    return None
