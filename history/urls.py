from django.urls import path

from . import views

app_name = "history"

urlpatterns = [
    path("interview/", views.interview, name="interview"),
    path("interview/claims/<slug:key>/", views.claim_detail, name="claim"),
    path("figures/", views.figure_index, name="figures"),
    path("figures/<slug:key>/", views.figure_detail, name="figure"),
    path("timeline/", views.timeline, name="timeline"),
]
