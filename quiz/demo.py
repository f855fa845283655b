"""Demo accounts for `make run`: an admin, a teacher and a student, created idempotently."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from .roles import TEACHER_GROUP

DEMO_ACCOUNTS = [
    # (username, password, role)
    ("admin", "quiz-admin-demo", "admin"),
    ("teacher", "quiz-teacher-demo", "teacher"),
    ("student", "quiz-student-demo", "student"),
]


def ensure_teacher_group() -> Group:
    group, _ = Group.objects.get_or_create(name=TEACHER_GROUP)
    group.permissions.add(Permission.objects.get(codename="teach", content_type__app_label="quiz"))
    return group


def ensure_demo_accounts() -> list[tuple[str, str, str, bool]]:
    """Create missing demo users; reset their passwords so the README stays true. Returns
    (username, password, role, created) for each."""
    User = get_user_model()
    teachers = ensure_teacher_group()
    result = []
    for username, password, role in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(username=username)
        user.first_name = {"admin": "Ada", "teacher": "Tamar", "student": "Sandro"}[role]
        user.is_staff = user.is_superuser = role == "admin"
        user.set_password(password)
        user.save()
        if role == "teacher":
            user.groups.add(teachers)
        result.append((username, password, role, created))
    return result
