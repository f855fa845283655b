"""A refused teacher action, answered the way the request can show it."""

from django.http import HttpResponse
from django.shortcuts import render


def refuse(request, message, status, back=None):
    """Plain text for htmx (static/js/teach.js shows it in the page's alert box), a page otherwise."""
    if request.htmx:
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    return render(request, "quiz/teach/refused.html", {"message": message, "back": back}, status=status)
