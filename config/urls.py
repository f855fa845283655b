from django.contrib import admin
from django.urls import include, path

from quiz.views import accounts as account_views
from quiz.views import home as home_views

urlpatterns = [
    path("", home_views.home, name="home"),
    path("healthz", home_views.healthz, name="healthz"),
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", account_views.LogoutView.as_view(), name="logout"),
    path("accounts/signup/", account_views.signup, name="signup"),
    path("admin/", admin.site.urls),
    path("", include("history.urls")),
    path("", include("quiz.urls")),
]

handler403 = "quiz.views.home.permission_denied"
handler404 = "quiz.views.home.page_not_found"
handler500 = "quiz.views.home.server_error"
