"""Refusals at the edge: the one place a kind of refusal (config/errors.py) becomes an HTTP
status, and the response a teacher's page gives for one.

Every view that refuses asks `status_for` for the status (or hands the refusal to `refuse`),
so a refusal means the same status on every page; the domain never names one.
"""

from django.http import HttpResponse
from django.shortcuts import render

from config.errors import ApplicationError, Conflict, Invalid, NotAllowed, NotFound

STATUSES = {
    Invalid: 400,
    NotAllowed: 403,
    NotFound: 404,
    Conflict: 409,
    ApplicationError: 400,  # a refusal of no named kind: the request, as sent, is refused
}


def status_for(error: ApplicationError) -> int:
    """The status of `error`'s kind: the nearest of its classes in STATUSES (a domain subclass,
    say scoring's Withheld, answers as the kind it is one of)."""
    return next(STATUSES[cls] for cls in type(error).__mro__ if cls in STATUSES)


def refuse(request, error: ApplicationError, back=None):
    """Plain text for htmx (static/js/teach.js shows it in the page's alert box), a page otherwise."""
    status = status_for(error)
    if request.htmx:
        return HttpResponse(error.message, status=status, content_type="text/plain; charset=utf-8")
    return render(request, "quiz/teach/refused.html", {"message": error.message, "back": back}, status=status)
