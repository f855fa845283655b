"""Template helpers for linking to the interview reader."""

from django import template

from history.citations import claim_citation_url, question_citation_url

register = template.Library()


@register.filter
def citation_url(question):
    """`{{ question|citation_url }}`: the reader at the question's passage, its quote marked."""
    return question_citation_url(question) or ""


@register.filter
def claim_url(claim):
    """`{{ claim|claim_url }}`: the reader at the claim's passage, its quote marked."""
    return claim_citation_url(claim)
