"""GIFT / Moodle XML import and export (teacher)."""

urlpatterns = []
