from django.contrib import admin, messages
from django.utils import timezone

from history import admin as history_admin
from history.models import Claim, Event, Figure

from . import review_options
from .generation import Scope, generate
from .models import (
    Answer,
    Assignment,
    Attempt,
    Classroom,
    Enrollment,
    Option,
    Origin,
    Question,
    QuestionSet,
    ReviewCard,
    SetItem,
)


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0
    fields = ["position", "text", "is_correct", "correct_position", "side", "match", "feedback"]
    fk_name = "question"

    # A generated question's options are its record: retire it rather than edit what was asked.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and obj.origin == Origin.GENERATED)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.origin == Origin.GENERATED)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.origin == Origin.GENERATED)


class DifficultyFilter(admin.SimpleListFilter):
    title = "difficulty"
    parameter_name = "difficulty"
    # The same bands as Question.difficulty_label.
    BANDS = {"easy": ("Easy", 0, 0.34), "medium": ("Medium", 0.34, 0.67), "hard": ("Hard", 0.67, 1.01)}

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _, _) in self.BANDS.items()]

    def queryset(self, request, queryset):
        if self.value() in self.BANDS:
            _, low, high = self.BANDS[self.value()]
            return queryset.filter(difficulty__gte=low, difficulty__lt=high)
        return queryset


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["prompt", "kind", "difficulty_label", "origin", "is_retired", "created_at"]
    list_filter = ["kind", "origin", "is_retired", "figures", "events", DifficultyFilter]
    search_fields = ["prompt", "generator_key"]
    autocomplete_fields = ["passage", "claim", "figures", "events"]
    inlines = [OptionInline]
    actions = ["retire_selected"]
    GENERATED_READONLY = [
        "kind",
        "prompt",
        "explanation",
        "passage",
        "quote",
        "claim",
        "figures",
        "events",
        "difficulty",
        "origin",
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = ["generator_key", "fingerprint", "created_at", "retired_at"]
        if obj is not None and obj.origin == Origin.GENERATED:
            fields = self.GENERATED_READONLY + fields
        return fields

    @admin.display(description="Difficulty", ordering="difficulty")
    def difficulty_label(self, obj):
        return f"{obj.difficulty_label} ({obj.difficulty:.2f})"

    @admin.action(description="Retire selected questions", permissions=["change"])
    def retire_selected(self, request, queryset):
        count = queryset.live().update(
            is_retired=True, retired_reason=f"retired by {request.user.get_username()}", retired_at=timezone.now()
        )
        self.message_user(request, f"{count} question(s) retired. Past answers keep pointing at them.")


class SetItemInline(admin.TabularInline):
    model = SetItem
    extra = 0
    raw_id_fields = ["question"]


@admin.register(QuestionSet)
class QuestionSetAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "visibility", "max_attempts", "show_score", "show_answers"]
    list_filter = ["visibility"]
    search_fields = ["title", "owner__username"]
    inlines = [SetItemInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            # Attempts follow the set's review options and attempt limit.
            review_options.set_changed(obj, now=timezone.now())


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


# --- What quiz adds to history's admin ----------------------------------------------------
# history's admin knows nothing of questions: quiz re-registers three of its classes with the
# action that refreshes the questions about the selected rows.


@admin.action(description="Generate questions for selected", permissions=["generate"])
def generate_questions_for_selected(modeladmin, request, queryset):
    """Refresh the generated questions touching the selected rows (others are left alone)."""
    field = {Figure: "figures", Event: "events", Claim: "claims"}[modeladmin.model]
    selected = frozenset(queryset.values_list("pk", flat=True))
    totals = generate(scope=Scope(**{field: selected})).totals
    modeladmin.message_user(
        request,
        f"Questions for {len(selected)} selected {modeladmin.model._meta.verbose_name_plural}: "
        f"{totals.created} created, {totals.kept + totals.restored} kept, {totals.retired} retired.",
        messages.SUCCESS,
    )


class GenerateQuestionsMixin:
    def has_generate_permission(self, request):
        return request.user.has_perms(["quiz.add_question", "quiz.change_question"])


admin.site.unregister([Figure, Event, Claim])


@admin.register(Figure)
class FigureAdmin(GenerateQuestionsMixin, history_admin.FigureAdmin):
    actions = [generate_questions_for_selected]  # history's FigureAdmin has none of its own


@admin.register(Event)
class EventAdmin(GenerateQuestionsMixin, history_admin.EventAdmin):
    actions = [generate_questions_for_selected]  # history's EventAdmin has none of its own


@admin.register(Claim)
class ClaimAdmin(GenerateQuestionsMixin, history_admin.ClaimAdmin):
    actions = [*history_admin.ClaimAdmin.actions, generate_questions_for_selected]
