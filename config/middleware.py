"""Request checks and response headers that apply to every view."""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db import DatabaseError, InterfaceError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import resolve_url
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django_htmx.http import HttpResponseClientRedirect

NUL_MESSAGE = "The form or address contained a NUL character, which no field accepts. Nothing was changed."
TOO_LARGE_MESSAGE = (
    "That was too large to send: this site accepts question files of at most 1 MB, and forms far "
    "smaller than that. Nothing was saved. Go back and send a smaller file."
)
LENGTH_REQUIRED_MESSAGE = "Send the request with a Content-Length header: a body of unknown length is not accepted."

# Powerful browser features the app never uses, denied to it and to anything it could embed.
# Only names Chromium recognises: an unknown one is reported as a console error on every page.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class ResponseHeadersMiddleware:
    """Headers every response gets: a Permissions-Policy, and `Cache-Control: private, no-store`
    on any response for a signed-in user.

    Everything personal in the app (attempts, grades, results and their CSV, exports, the
    home page's assignments) is behind sign-in, so "built for a signed-in user" is the rule:
    no shared or browser cache keeps such a page, where the next person on a school computer
    could see it. Static files and anonymous pages stay cacheable. First in MIDDLEWARE, so it
    sees every response, the early refusals included.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if _for_signed_in_user(request):
            patch_cache_control(response, private=True, no_store=True)
        return response


def _for_signed_in_user(request):
    # A response that never read the session cannot hold the user's data; not asking spares
    # static files and the health check a session lookup.
    session = getattr(request, "session", None)
    if session is None or not session.accessed:
        return False
    user = getattr(request, "user", None)
    try:
        return user is not None and user.is_authenticated
    except (DatabaseError, InterfaceError):
        # The database is down (the answer path's 503 says so): the response is kept private,
        # and this check must not turn that page into a 500.
        return True


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than MAX_REQUEST_BYTES with 413, and one of unknown
    length (chunked) with 411, before anything reads it.

    Django's own limits (DATA_UPLOAD_*) apply only once a body is parsed, and a file part
    would be read whole; this check reads only the Content-Length header. A chunked body
    reaches a WSGI app without CONTENT_LENGTH, so Django would read it as empty: refusing it
    says so instead. Browsers always send a length, and so does nginx in front
    (deploy/nginx/quiz.conf), which enforces the same limit itself.

    A body within the limit that the app answered without reading (CSRF refused it, say) is
    then read and thrown away, as Django's development server does. Otherwise gunicorn closes
    the connection with the body still arriving, and nginx, still sending it, answers 502
    instead of the app's page (2 in 40 refused 1 MB posts did, tests/test_reverse_proxy.py).
    It is never parsed; nginx has it buffered already, so this takes a worker a millisecond.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "HTTP_TRANSFER_ENCODING" in request.META:
            return HttpResponse(LENGTH_REQUIRED_MESSAGE, status=411, content_type="text/plain; charset=utf-8")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body with an unreadable length either
        if length > settings.MAX_REQUEST_BYTES:
            return _too_large(request)
        response = self.get_response(request)
        if length:
            _discard_unread_body(request)
        return response


def _discard_unread_body(request):
    try:
        while request.read(64 * 1024):
            pass
    except OSError:
        pass  # the client went away: nothing left to wait for


def _too_large(request):
    if request.headers.get("HX-Request") == "true":
        return HttpResponse(TOO_LARGE_MESSAGE, status=413, content_type="text/plain; charset=utf-8")
    # Rendered without the request, like the 500 page: no context processors, no database.
    return HttpResponse(render_to_string("413.html", {"message": TOO_LARGE_MESSAGE}), status=413)


def _has_nul(query_dict):
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query_dict.lists())


class RejectNulCharactersMiddleware:
    """Refuse a request whose parameters contain U+0000 with a readable 400.

    PostgreSQL text cannot hold NUL, so such a value in a lookup or a save raises DataError
    (a 500) wherever a view uses a parameter without a form's validation. No legitimate
    form sends one.

    The check runs just before the view (process_view), after CsrfViewMiddleware's: a POST
    that fails CSRF is refused without its body ever being parsed, and a body that is parsed
    here is within the request size limit and parsed under Django's DATA_UPLOAD_* limits.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        return None


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
        # Only a same-origin page (django-htmx checks), else the home page; also when the
        # header is no URL at all ("http://[::1" makes urlsplit raise).
        try:
            back = request.htmx.current_url_abs_path or "/"
        except ValueError:
            back = "/"
        return HttpResponseClientRedirect(f"{login}?{urlencode({'next': back})}")
