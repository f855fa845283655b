"""The admin for the interview's content. Apps built on it add their own actions here by
re-registering these classes (quiz adds "Generate questions for selected"); history imports none of them.

Every save, delete and bulk change of content tells those apps, through history/hooks.py, which
figures, events and claims it touched (before and after the edit), in the same transaction, and
shows the editor what they did about it (quiz: "2 questions replaced.")."""

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count

from . import hooks
from .models import Alias, Assessment, Claim, Event, Figure, Passage, Role, Source

# The hook's name for each kind of row whose questions an edit may change.
SCOPES = {Figure: "figures", Event: "events", Claim: "claims"}


def rows_of(model, pks) -> set[tuple[str, int]]:
    """Rows of `model` as (scope, primary key) pairs, the currency of the touched sets below."""
    return {(SCOPES[model], pk) for pk in pks if pk is not None}


def inline_rows(formsets) -> set[tuple[str, int]]:
    """The figures, events and claims edited as inlines (a passage's claims). Read before the
    save to catch deleted ones, after it to catch added ones."""
    rows = set()
    for formset in formsets:
        if formset.model in SCOPES:
            rows |= rows_of(formset.model, [form.instance.pk for form in formset.forms])
    return rows


class ContentChangeMixin:
    """Reports the figures, events and claims each save or delete touched to history/hooks.py."""

    # Relations naming figures, events or claims whose questions an edit of this row may change.
    # Read both before and after the edit, so a claim moved from one figure to another touches both.
    content_fields: tuple[str, ...] = ()

    def content_rows(self, obj, before=None) -> set[tuple[str, int]]:
        """The row itself (a figure, event or claim) and those it names in `content_fields`:
        from `before` (a form's initial data, the row as the edit found it) where it holds the
        field, otherwise from the row as saved."""
        rows = rows_of(type(obj), [obj.pk]) if type(obj) in SCOPES else set()
        for name in self.content_fields:
            field = obj._meta.get_field(name)
            if before is not None and name in before:
                value = before[name]
                values = value if isinstance(value, list | tuple) else [value]
            elif field.many_to_one:
                values = [getattr(obj, field.attname)]
            else:
                values = list(getattr(obj, name).values_list("pk", flat=True)) if obj.pk else []
            rows |= rows_of(field.related_model, [getattr(v, "pk", v) for v in values])
        return rows

    def save_related(self, request, form, formsets, change):
        # Inlines and many-to-many are saved here: the questions must see the edit whole.
        before = (self.content_rows(form.instance, form.initial) if change else set()) | inline_rows(formsets)
        super().save_related(request, form, formsets, change)
        after = self.content_rows(form.instance) | inline_rows(formsets)
        self.report_content_changed(request, before | after)

    def delete_model(self, request, obj):
        rows = self.content_rows(obj)  # read while the row and its relations still exist
        super().delete_model(request, obj)
        self.report_content_changed(request, rows)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            rows = set().union(*(self.content_rows(obj) for obj in queryset))
            super().delete_queryset(request, queryset)
            self.report_content_changed(request, rows)

    def report_content_changed(self, request, rows) -> None:
        touched = {scope: {pk for name, pk in rows if name == scope} for scope in SCOPES.values()}
        message = hooks.content_changed(**touched)
        if message:
            messages.info(request, message)


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 1


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    fields = ["key", "title", "organisation", "start_date", "start_precision", "end_date", "end_precision"]
    show_change_link = True


@admin.register(Figure)
class FigureAdmin(ContentChangeMixin, admin.ModelAdmin):
    list_display = ["name", "interview_spelling", "lifespan", "is_participant", "role_count"]
    list_filter = ["is_participant"]
    search_fields = ["name", "short_name", "interview_spelling", "aliases__name"]
    ordering = ["short_name"]
    prepopulated_fields = {"key": ["short_name"]}
    inlines = [AliasInline, RoleInline]
    # Questions on what a participant says name them as the speaker (their aliases and roles,
    # edited as inlines, belong to the figure itself).
    content_fields = ("claims_made",)

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
class RoleAdmin(ContentChangeMixin, admin.ModelAdmin):
    list_display = ["figure", "title", "organisation", "start_display", "end_display"]
    list_filter = ["organisation"]
    search_fields = ["title", "organisation", "figure__name", "figure__aliases__name"]
    autocomplete_fields = ["figure"]
    list_select_related = ["figure"]
    content_fields = ("figure",)


@admin.register(Event)
class EventAdmin(ContentChangeMixin, admin.ModelAdmin):
    list_display = ["name", "span_display", "start_precision", "interview_dating"]
    list_filter = [EventYearFilter, "start_precision"]
    search_fields = ["name", "description", "participants__name", "participants__aliases__name"]
    autocomplete_fields = ["participants", "follows"]
    date_hierarchy = "start_date"
    content_fields = ("participants",)


class ClaimInline(admin.StackedInline):
    model = Claim
    extra = 0
    fields = ["key", "statement", "speaker", "quote", "assessment", "note", "reference"]
    autocomplete_fields = ["speaker"]
    show_change_link = True


@admin.register(Passage)
class PassageAdmin(ContentChangeMixin, admin.ModelAdmin):
    list_display = ["position", "speaker_label", "speaker", "preview", "claim_count"]
    list_filter = ["speaker_label"]
    search_fields = ["text"]
    # The passages are the verbatim source; only the loader writes them.
    readonly_fields = ["source", "position", "speaker_label", "text"]
    autocomplete_fields = ["speaker"]
    inlines = [ClaimInline]
    list_select_related = ["speaker"]
    content_fields = ("claims",)  # its speaker speaks its claims

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
        with transaction.atomic():
            claims = list(queryset.values_list("pk", flat=True))
            updated = queryset.update(assessment=value)
            modeladmin.message_user(request, f"{updated} claim(s) marked “{label}”.", messages.SUCCESS)
            modeladmin.report_content_changed(request, rows_of(Claim, claims))

    action.__name__ = f"mark_{value}"
    return action


@admin.register(Claim)
class ClaimAdmin(ContentChangeMixin, admin.ModelAdmin):
    list_display = ["statement", "speaker", "passage_position", "assessment"]
    list_filter = ["assessment", "speaker", "figures"]
    search_fields = ["statement", "quote", "note", "figures__name", "figures__aliases__name"]
    autocomplete_fields = ["speaker", "passage", "figures", "events", "decoys"]
    list_select_related = ["speaker", "passage"]
    actions = [mark_assessment(value, label) for value, label in Assessment.choices]
    content_fields = ("figures", "events")

    @admin.display(description="Passage", ordering="passage__position")
    def passage_position(self, obj):
        return f"§{obj.passage.position}"


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "interviewee", "publication", "date_display"]
    search_fields = ["title", "interviewee"]


@admin.register(Alias)
class AliasAdmin(ContentChangeMixin, admin.ModelAdmin):
    list_display = ["name", "figure"]
    search_fields = ["name", "figure__name"]
    autocomplete_fields = ["figure"]
    content_fields = ("figure",)
