"""Who may do what. Teachers hold the `quiz.teach` permission (usually via the Teacher group)."""

from functools import wraps

from django.contrib.auth.decorators import login_required, permission_required

TEACHER_GROUP = "Teacher"
TEACH_PERMISSION = "quiz.teach"


def is_teacher(user) -> bool:
    return bool(user.is_authenticated and user.has_perm(TEACH_PERMISSION))


def teacher_required(view):
    """Anonymous users go to the login page; logged-in non-teachers get 403."""

    @wraps(view)
    @login_required
    @permission_required(TEACH_PERMISSION, raise_exception=True)
    def wrapper(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    return wrapper
