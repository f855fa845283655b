"""Request checks that apply to every view."""

from django.http import HttpResponseBadRequest

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
