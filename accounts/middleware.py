"""Answers for the limits: a held request gets 429, a page saying how long to wait, and
Retry-After."""

from django.shortcuts import render

from .throttle import Throttled


def throttled_response(request, held: Throttled):
    response = render(request, held.template, {"held": held}, status=429)
    response["Retry-After"] = str(held.retry_after)
    return response


class ThrottleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        held = getattr(request, "login_held", None)
        if held is not None:
            # The log-in form (ours or the admin's) has shown itself again with an error; the
            # attempt was held before any password was checked, so say that instead.
            return throttled_response(request, held)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Throttled):
            return throttled_response(request, exception)
        return None
