"""Who may do what. Teachers hold the `quiz.teach` permission (usually via the Teacher group)."""

TEACHER_GROUP = "Teacher"
TEACH_PERMISSION = "quiz.teach"


def is_teacher(user) -> bool:
    return bool(user.is_authenticated and user.has_perm(TEACH_PERMISSION))
