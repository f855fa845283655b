"""Who may do what. Teachers hold the `quiz.teach` permission (usually via the Teacher group)."""

from functools import wraps

from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Q

TEACHER_GROUP = "Teacher"
TEACH_PERMISSION = "quiz.teach"


def is_teacher(user) -> bool:
    """Whether `user` may teach now (has_perm: an inactive account may not)."""
    return bool(user.is_authenticated and user.has_perm(TEACH_PERMISSION))


def is_teacher_account(user) -> bool:
    """Whether the account holds the teaching permission, directly or through a group, active
    or not: what may be done *to* an account (a teacher resetting its password) must not
    change when an administrator deactivates it, as has_perm() does."""
    from django.contrib.auth.models import Permission

    app_label, codename = TEACH_PERMISSION.split(".")
    held = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return held.filter(Q(user=user) | Q(group__user=user)).exists()


def teacher_required(view):
    """Anonymous users go to the login page; logged-in non-teachers get 403."""

    @wraps(view)
    @login_required
    @permission_required(TEACH_PERMISSION, raise_exception=True)
    def wrapper(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    return wrapper
