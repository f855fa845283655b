from django.contrib import admin
from django.urls import include, path

from quiz.views import home as home_views

urlpatterns = [
    path("", home_views.home, name="home"),
    path("healthz", home_views.healthz, name="healthz"),
    path("", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("", include("history.urls")),
    path("", include("quiz.urls")),
]

handler403 = "quiz.views.home.permission_denied"
handler404 = "quiz.views.home.page_not_found"
handler500 = "quiz.views.home.server_error"
