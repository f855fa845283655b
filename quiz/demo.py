"""Demo accounts for `make run`: an admin, a teacher and a student, created idempotently."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from .independence import independent_in_turns
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


DEMO_CLASS = "Demo class"
DEMO_SET = "Demo quiz: Conspiracy Against Stalin"
DEMO_SET_SIZE = 12


def ensure_demo_class() -> list[str]:
    """The demo teacher's "Demo class" with the demo student enrolled, and one question set
    built from the generated bank assigned to it. Idempotent: an existing class, enrolment,
    set (which the teacher may since have edited) or assignment is left as it is.
    Returns lines describing what was done."""
    from .models import Assignment, Classroom, Enrollment, Kind, Origin, Question, QuestionSet, SetItem, Visibility

    User = get_user_model()
    teacher = User.objects.get(username="teacher")
    student = User.objects.get(username="student")
    classroom, created = Classroom.objects.get_or_create(teacher=teacher, name=DEMO_CLASS)
    Enrollment.objects.get_or_create(classroom=classroom, student=student)
    lines = [f"{DEMO_CLASS}: join code {classroom.join_code} ({'created' if created else 'exists'})"]

    question_set = QuestionSet.objects.filter(owner=teacher, title=DEMO_SET).first()
    if question_set is None:
        # Every kind early on (round robin over kinds), in a fixed order so every demo looks the same,
        # never two where one gives the other away (quiz/independence.py).
        live = Question.objects.live().filter(origin=Origin.GENERATED).order_by("id")
        picked = independent_in_turns([live.filter(kind=kind) for kind in Kind.values], limit=DEMO_SET_SIZE)
        if not picked:
            lines.append(
                "The question bank is empty, so no demo set was made; run generate_questions, then setup_demo."
            )
            return lines
        question_set = QuestionSet.objects.create(
            owner=teacher,
            title=DEMO_SET,
            description="Built from the generated question bank for the demo.",
            visibility=Visibility.CLASS,
        )
        SetItem.objects.bulk_create(
            SetItem(question_set=question_set, question=q, position=i) for i, q in enumerate(picked, start=1)
        )
        lines.append(f"{DEMO_SET}: {len(picked)} questions (created)")
    else:
        lines.append(f"{DEMO_SET}: exists")
    Assignment.objects.get_or_create(classroom=classroom, question_set=question_set)
    return lines
