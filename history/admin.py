"""The admin for the interview's content. Apps built on it add their own actions here by
re-registering these classes (quiz adds "Generate questions for selected"); history imports none of them."""

from django.contrib import admin, messages
from django.db.models import Count

from .models import Alias, Assessment, Claim, Event, Figure, Passage, Role, Source


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 1


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    fields = ["key", "title", "organisation", "start_date", "start_precision", "end_date", "end_precision"]
    show_change_link = True


@admin.register(Figure)
class FigureAdmin(admin.ModelAdmin):
    list_display = ["name", "interview_spelling", "lifespan", "is_participant", "role_count"]
    list_filter = ["is_participant"]
    search_fields = ["name", "short_name", "interview_spelling", "aliases__name"]
    ordering = ["short_name"]
    prepopulated_fields = {"key": ["short_name"]}
    inlines = [AliasInline, RoleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_roles=Count("roles", distinct=True))

    @admin.display(description="Roles", ordering="_roles")
    def role_count(self, obj):
        return obj._roles


class EventYearFilter(admin.SimpleListFilter):
    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.model.objects.dates("start_date", "year")
        return [(d.year, d.year) for d in years]

    def queryset(self, request, queryset):
        if self.value():
            try:
                return queryset.filter(start_date__year=int(self.value()))
            except ValueError:
                return queryset.none()
        return queryset


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["figure", "title", "organisation", "start_display", "end_display"]
    list_filter = ["organisation"]
    search_fields = ["title", "organisation", "figure__name", "figure__aliases__name"]
    autocomplete_fields = ["figure"]
    list_select_related = ["figure"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["name", "span_display", "start_precision", "interview_dating"]
    list_filter = [EventYearFilter, "start_precision"]
    search_fields = ["name", "description", "participants__name", "participants__aliases__name"]
    autocomplete_fields = ["participants"]
    date_hierarchy = "start_date"


class ClaimInline(admin.StackedInline):
    model = Claim
    extra = 0
    fields = ["key", "statement", "speaker", "quote", "assessment", "note", "reference"]
    autocomplete_fields = ["speaker"]
    show_change_link = True


@admin.register(Passage)
class PassageAdmin(admin.ModelAdmin):
    list_display = ["position", "speaker_label", "speaker", "preview", "claim_count"]
    list_filter = ["speaker_label"]
    search_fields = ["text"]
    # The passages are the verbatim source; only the loader writes them.
    readonly_fields = ["source", "position", "speaker_label", "text"]
    autocomplete_fields = ["speaker"]
    inlines = [ClaimInline]
    list_select_related = ["speaker"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_claims=Count("claims"))

    @admin.display(description="Text")
    def preview(self, obj):
        return obj.text[:100] + ("…" if len(obj.text) > 100 else "")

    @admin.display(description="Claims", ordering="_claims")
    def claim_count(self, obj):
        return obj._claims

    def has_add_permission(self, request):
        return False


def mark_assessment(value, label):
    @admin.action(description=f"Mark selected claims as {label.lower()}", permissions=["change"])
    def action(modeladmin, request, queryset):
        updated = queryset.update(assessment=value)
        modeladmin.message_user(request, f"{updated} claim(s) marked “{label}”.", messages.SUCCESS)

    action.__name__ = f"mark_{value}"
    return action


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["statement", "speaker", "passage_position", "assessment"]
    list_filter = ["assessment", "speaker", "figures"]
    search_fields = ["statement", "quote", "note", "figures__name", "figures__aliases__name"]
    autocomplete_fields = ["speaker", "passage", "figures", "events"]
    list_select_related = ["speaker", "passage"]
    actions = [mark_assessment(value, label) for value, label in Assessment.choices]

    @admin.display(description="Passage", ordering="passage__position")
    def passage_position(self, obj):
        return f"§{obj.passage.position}"


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "interviewee", "publication", "date_display"]
    search_fields = ["title", "interviewee"]


@admin.register(Alias)
class AliasAdmin(admin.ModelAdmin):
    list_display = ["name", "figure"]
    search_fields = ["name", "figure__name"]
    autocomplete_fields = ["figure"]
