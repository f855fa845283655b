"""Request checks that apply to every view."""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.shortcuts import resolve_url
from django_htmx.http import HttpResponseClientRedirect

NUL_MESSAGE = "The form or address contained a NUL character, which no field accepts. Nothing was changed."


def _has_nul(query_dict):
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query_dict.lists())


class RejectNulCharactersMiddleware:
    """Refuse a request whose parameters contain U+0000 with a readable 400.

    PostgreSQL text cannot hold NUL, so such a value in a lookup or a save raises DataError
    (a 500) wherever a view uses a parameter without a form's validation. No legitimate
    form sends one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class HtmxLoginRedirectMiddleware:
    """Send an htmx request whose session has ended to the login page as a whole page.

    login_required answers with a redirect to the login page, which htmx would follow and
    swap into the part of the page it was updating (a login page inside the quiz card, whose
    `next` is a POST-only URL). Instead the browser goes to the login page, and back to the
    page the user was on once they have signed in. Must come after django-htmx's middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(request, "htmx", False) or response.status_code != 302:
            return response
        login = resolve_url(settings.LOGIN_URL)
        if urlsplit(response["Location"]).path != login:
            return response
        # Only a same-origin page (django-htmx checks), else the home page.
        back = request.htmx.current_url_abs_path or "/"
        return HttpResponseClientRedirect(f"{login}?{urlencode({'next': back})}")
