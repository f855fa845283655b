from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from .models import ThrottleEvent
from .names import DistinctUsernameMixin, VisibleNameField, VisibleUsernameField

User = get_user_model()


class VisibleNamesChangeForm(DistinctUsernameMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        field_classes = {
            "username": VisibleUsernameField,
            "first_name": VisibleNameField,
            "last_name": VisibleNameField,
        }


class VisibleNamesCreationForm(DistinctUsernameMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        field_classes = {"username": VisibleUsernameField}


# Staff naming a user go through the same visible_name() and lookalike check as a user signing up.
admin.site.unregister(User)


@admin.register(User)
class VisibleNamesUserAdmin(UserAdmin):
    form = VisibleNamesChangeForm
    add_form = VisibleNamesCreationForm


@admin.register(ThrottleEvent)
class ThrottleEventAdmin(admin.ModelAdmin):
    """What the limits are counting (failed log-ins per account, per address...) and where
    accounts have logged in (login-known-address). Deleting an account's rows lifts its wait at
    once; nothing here can be added or edited."""

    list_display = ("limit", "key", "at")
    list_filter = ("limit",)
    search_fields = ("key",)
    date_hierarchy = "at"
    ordering = ("-at",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
