"""Quiz URLs, one list per area so each area's module owns its routes."""

from .views import interop, progress, taking, teaching

app_name = "quiz"

urlpatterns = [*taking.urlpatterns, *progress.urlpatterns, *teaching.urlpatterns, *interop.urlpatterns]
