from django.contrib import admin

from .models import (
    Answer,
    Assignment,
    Attempt,
    Classroom,
    Enrollment,
    Option,
    Question,
    QuestionSet,
    ReviewCard,
    SetItem,
)


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0
    fields = ["position", "text", "is_correct", "correct_position", "side", "match"]
    fk_name = "question"


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["prompt", "kind", "difficulty", "origin", "is_retired"]
    list_filter = ["kind", "origin", "is_retired"]
    search_fields = ["prompt"]
    inlines = [OptionInline]


class SetItemInline(admin.TabularInline):
    model = SetItem
    extra = 0
    raw_id_fields = ["question"]


@admin.register(QuestionSet)
class QuestionSetAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "visibility", "feedback_mode"]
    list_filter = ["visibility"]
    search_fields = ["title", "owner__username"]
    inlines = [SetItemInline]


class EnrollmentInline(admin.TabularInline):
    model = Enrollment
    extra = 0
    raw_id_fields = ["student"]


@admin.register(Classroom)
class ClassroomAdmin(admin.ModelAdmin):
    list_display = ["name", "teacher", "join_code"]
    search_fields = ["name", "teacher__username", "join_code"]
    inlines = [EnrollmentInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["question_set", "classroom", "due_at"]
    list_select_related = ["question_set", "classroom"]


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["student", "title", "mode", "started_at", "finished_at", "correct_count", "question_count"]
    list_filter = ["mode"]
    search_fields = ["student__username", "title"]
    list_select_related = ["student"]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["student", "question", "is_correct", "score", "answered_at"]
    list_filter = ["is_correct"]
    raw_id_fields = ["item", "student", "question", "selected_option"]
    list_select_related = ["student", "question"]


@admin.register(ReviewCard)
class ReviewCardAdmin(admin.ModelAdmin):
    list_display = ["student", "question", "due", "reviews"]
    raw_id_fields = ["student", "question"]
    list_select_related = ["student", "question"]
