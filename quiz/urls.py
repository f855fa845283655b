"""Quiz URLs, one list per area; the views live in quiz/views/, one module per area.

A list whose pages share a prefix (an attempt's, a set's, a class's) is written once and
included under it. Order matters where a word and a parameter share a place:
"teach/import/confirm/" comes before "teach/import/<str:token>/".

Ids in paths are `<id:...>`: up to 18 digits, so a tampered URL is a 404 rather than a
number no database column holds (SQLite raises OverflowError on it).
"""

from django.urls import include, path, register_converter

from .views import interop, progress, set_editor, taking, teaching

app_name = "quiz"


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")

# --- Taking a quiz (student) -------------------------------------------------------------

# /attempts/<attempt_id>/
attempt_urls = [
    path("", taking.attempt_view, name="attempt"),
    path("items/<id:position>/", taking.item_view, name="item"),
    path("items/<id:position>/answer/", taking.answer_view, name="answer"),
    path("finish/", taking.finish_view, name="finish"),
    path("summary/", taking.summary_view, name="summary"),
]

taking_urls = [
    path("quizzes/", taking.sets, name="sets"),
    path("quizzes/<id:set_id>/start/", taking.start_set, name="start_set"),
    path("practice/", taking.practice, name="practice"),
    path("attempts/<id:attempt_id>/", include(attempt_urls)),
]

progress_urls = [
    path("progress/", progress.progress, name="progress"),
    path("review/start/", progress.review_start, name="review_start"),
]

# --- Teaching ----------------------------------------------------------------------------

# /teach/sets/<pk>/: the set editor, the set's questions beside the bank
set_editor_urls = [
    path("", set_editor.set_detail, name="set_detail"),
    path("add/", set_editor.set_add, name="set_add"),
    path("remove/", set_editor.set_remove, name="set_remove"),
    path("move/", set_editor.set_move, name="set_move"),
]

# /teach/sets/<pk>/: everything else done to a set
set_urls = [
    path("settings/", teaching.set_form, name="set_settings"),
    path("duplicate/", teaching.set_duplicate, name="set_duplicate"),
    path("delete/", teaching.set_delete, name="set_delete"),
    path("assign/", teaching.set_assign, name="set_assign"),
    path("preview/", teaching.set_preview, name="set_preview"),
]

# /teach/questions/: the teacher's own questions
question_urls = [
    path("", teaching.question_list, name="question_list"),
    path("new/", teaching.question_create, name="question_create"),
    path("<id:pk>/edit/", teaching.question_edit, name="question_edit"),
    path("<id:pk>/preview/", teaching.question_preview, name="question_preview"),
]

# /teach/classes/<pk>/
class_urls = [
    path("", teaching.class_detail, name="class_detail"),
    path("code/", teaching.class_regenerate, name="class_regenerate"),
    path("remove/", teaching.class_remove_student, name="class_remove_student"),
    path("assign/", teaching.class_assign, name="class_assign"),
    path("students/<id:student_id>/", teaching.class_student, name="class_student"),
    path("students/<id:student_id>/password/", teaching.class_student_password, name="class_student_password"),
]

# /teach/assignments/<pk>/
assignment_urls = [
    path("", teaching.assignment_results, name="assignment_results"),
    path("results.csv", teaching.assignment_csv, name="assignment_csv"),
    path("delete/", teaching.assignment_delete, name="assignment_delete"),
]

teaching_urls = [
    path("teach/", teaching.teacher_home, name="teacher_home"),
    path("teach/sets/new/", teaching.set_form, name="set_create"),
    path("teach/sets/<id:pk>/", include(set_editor_urls)),
    path("teach/sets/<id:pk>/", include(set_urls)),
    path("teach/questions/", include(question_urls)),
    path("teach/classes/new/", teaching.class_create, name="class_create"),
    path("teach/classes/<id:pk>/", include(class_urls)),
    path("teach/assignments/<id:pk>/", include(assignment_urls)),
    path("classes/join/", teaching.join_class, name="join_class"),
]

# --- Import and export (teacher) ---------------------------------------------------------

# /teach/import/: upload, then preview, then confirm
import_urls = [
    path("", interop.import_upload, name="interop_import"),
    path("confirm/", interop.import_confirm, name="interop_import_confirm"),
    path("<str:token>/", interop.import_preview, name="interop_preview"),
]

# /teach/sets/<pk>/export/
export_urls = [
    path("", interop.export_page, name="interop_export"),
    path("gift", interop.export_gift, name="interop_export_gift"),
    path("moodle-xml", interop.export_moodle_xml, name="interop_export_moodle_xml"),
]

interop_urls = [
    path("teach/import/", include(import_urls)),
    path("teach/sets/<id:pk>/export/", include(export_urls)),
]

urlpatterns = [*taking_urls, *progress_urls, *teaching_urls, *interop_urls]
