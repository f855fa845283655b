"""The app's URLs plus the load run's signed-in floor (see bench/settings.py)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns


@login_required
def signed_in(request):
    return HttpResponse(request.user.username, content_type="text/plain")


urlpatterns = [path("bench/signed-in", signed_in), *app_urlpatterns]
