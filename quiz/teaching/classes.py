"""Classes, join codes, rosters and assignments.

A refused join, removal or assignment raises a kind of refusal (config/errors.py) and changes
nothing. A wrong join code is NotFound: the join page counts those against the guesser."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, FloatField, Max, OuterRef, Q, Subquery
from django.db.models.functions import NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.formats import date_format

from config.errors import Invalid, NotFound

from .. import review_options
from ..models import Assignment, Attempt, Classroom, Enrollment, new_join_code
from .access import parse_id


def regenerate_code(classroom) -> str:
    """A fresh code; the old one stops working at once. Retries the (unlikely) collision."""
    for _ in range(10):
        classroom.join_code = new_join_code()
        try:
            with transaction.atomic():
                classroom.save(update_fields=["join_code"])
            return classroom.join_code
        except IntegrityError:
            continue
    raise RuntimeError("Could not find an unused join code.")


def find_class(code):
    if not code:
        raise Invalid("Enter the join code your teacher gave you.")
    classroom = Classroom.objects.select_related("teacher").filter(join_code=code).first()
    if classroom is None:
        raise NotFound(f"No class has the code “{code}”. Check it with your teacher.")
    return classroom


def join(user, code) -> tuple[Classroom, bool]:
    """Enrol `user`; joining twice is harmless. Returns the class and whether they were new."""
    classroom = find_class(code)
    if classroom.teacher_id == user.pk:
        raise Invalid("You teach this class, so you cannot join it as a student.")
    try:
        with transaction.atomic():
            _, created = Enrollment.objects.get_or_create(classroom=classroom, student=user)
    except IntegrityError:  # a simultaneous join won the race
        created = False
    return classroom, created


def roster(classroom):
    return (
        get_user_model()
        .objects.filter(enrollments__classroom=classroom)
        .annotate(joined_at=F("enrollments__joined_at"))
        .order_by("first_name", "username")
    )


def roster_rows(classroom) -> list[dict]:
    """The class page's roster as plain dicts of ready-made strings: for a class of 500, model
    instances, per-row URL reversing and date filters were most of the page's time."""
    link = reverse("quiz:class_student", args=[classroom.pk, _ID_SLOT])
    months = {m: str(name).title() for m, name in MONTHS_3.items()}
    rows = []
    for pk, username, first_name, last_name, joined in roster(classroom).values_list(
        "pk", "username", "first_name", "last_name", "joined_at"
    ):
        local = timezone.localtime(joined)
        rows.append(
            {
                "pk": pk,
                "username": username,
                "name": f"{first_name} {last_name}".strip() or username,
                "href": link.replace(str(_ID_SLOT), str(pk)),
                # As the date filter writes "j M Y".
                "joined": f"{local.day} {months[local.month]} {local.year}",
            }
        )
    return rows


# A stand-in id, replaced per row: cheaper than reversing the URL for every student.
_ID_SLOT = 987654321


def remove_student(classroom, raw_id):
    try:
        student_id = parse_id(raw_id)
    except (TypeError, ValueError):
        raise Invalid("Choose a student in the class.") from None
    enrollment = classroom.enrollments.select_related("student").filter(student_id=student_id).first()
    if enrollment is None:
        raise NotFound("That student is not in this class.")
    enrollment.delete()
    return enrollment.student


@dataclass
class AssignOutcome:
    assignment: Assignment
    created: bool
    due_changed: bool
    relinked: int  # earlier attempts linked to the assignment again

    @property
    def changed(self) -> bool:
        return self.created or self.due_changed or bool(self.relinked)

    @property
    def message(self) -> str:
        """What actually happened, for the teacher (a re-assign with nothing new says so)."""
        a = self.assignment
        title, name = a.question_set.title, a.classroom.name
        due = date_format(timezone.localtime(a.due_at), "j M Y, H:i") if a.due_at else ""
        if self.created:
            text = f"Assigned “{title}” for {name}" + (f", due {due}." if due else ".")
        elif self.due_changed:
            text = (
                f"Changed the due date of “{title}” for {name} to {due}."
                if due
                else f"Removed the due date of “{title}” for {name}."
            )
        elif self.relinked:
            text = f"“{title}” was already assigned for {name}."
        else:
            text = f"“{title}” is already assigned for {name}; nothing changed."
        if self.relinked:
            n = self.relinked
            attempts = (
                f"1 earlier attempt by students in {name} is"
                if n == 1
                else f"{n} earlier attempts by students in {name} are"
            )
            text += f" {attempts} back in its results."
        return text


def check_assignable(question_set):
    """Refuse a set students could not start (no live questions): they would get a Start
    button that only says the set is empty."""
    items = question_set.items
    if items.live().exists():
        return
    why = "all its questions are retired" if items.exists() else "it has no questions yet"
    raise Invalid(
        f"“{question_set.title}” cannot be assigned: {why}, so students could not start it. Add questions to it first."
    )


def assign(classroom, question_set, due_at, *, clear_due=False) -> AssignOutcome:
    """Assign a set; assigning it again never duplicates it. A blank due date (None) keeps the
    existing one, since a teacher re-assigning rarely means to drop it; `clear_due` removes it.

    Either way the attempts left behind when the set was unassigned from this class are linked
    to it again, so its results and the students' home pages show their work."""
    check_assignable(question_set)
    with transaction.atomic():
        assignment, created = Assignment.objects.get_or_create(
            classroom=classroom, question_set=question_set, defaults={"due_at": None if clear_due else due_at}
        )
        due_changed = False
        if not created:
            new_due = None if clear_due else (due_at or assignment.due_at)
            if new_due != assignment.due_at:
                assignment.due_at = new_due
                assignment.save(update_fields=["due_at"])
                due_changed = True
        relinked = relink_attempts(assignment)
        if created or due_changed:
            review_options.due_dates_changed(question_set, now=timezone.now())
    return AssignOutcome(assignment, created, due_changed, relinked)


def relink_attempts(assignment) -> int:
    """Link attempts left behind when this set was unassigned from this class back to it.
    Adding attempts changes results.answers_version (their count), so cached results are not
    reused. A student's own attempts at a public set, never part of an assignment, stay theirs."""
    return Attempt.objects.filter(
        assignment__isnull=True,
        unassigned_from=assignment.classroom_id,
        question_set=assignment.question_set_id,
        student__in=Enrollment.objects.filter(classroom=assignment.classroom_id).values("student"),
    ).update(assignment=assignment, unassigned_from=None)


def assignment_reach(assignment) -> dict:
    """How many students started and finished the assignment, and their attempts (the
    unassign confirmation says what the teacher is about to take off the class's page)."""
    return Attempt.objects.filter(assignment=assignment).aggregate(
        attempts=Count("pk"),
        started=Count("student", distinct=True),
        finished=Count("student", filter=Q(finished_at__isnull=False), distinct=True),
    )


def unassign(assignment):
    """Remove the assignment. Its attempts are kept: students keep them in their history, and
    assign() links them again if the set is assigned to the class once more."""
    with transaction.atomic():
        assignment.attempts.update(unassigned_from=assignment.classroom_id)
        assignment.delete()
        review_options.due_dates_changed(assignment.question_set, now=timezone.now())


def attempt_percent(prefix=""):
    """Percentage score of an attempt, as a database expression (NULL for an empty attempt)."""
    return F(f"{prefix}score") * 100.0 / NullIf(F(f"{prefix}question_count"), 0)


def classes_overview(teacher):
    return Classroom.objects.filter(teacher=teacher).annotate(
        student_count=Count("enrollments", distinct=True), assignment_count=Count("assignments", distinct=True)
    )


def assignments_for_class(classroom):
    return (
        classroom.assignments.select_related("question_set")
        .annotate(
            started=Count("attempts__student", distinct=True),
            finished=Count("attempts__student", filter=Q(attempts__finished_at__isnull=False), distinct=True),
        )
        .order_by(F("due_at").asc(nulls_last=True), "id")
    )


def student_assignments(student):
    """A student's assignments with their status, in one query (for the home page)."""
    mine = Q(attempts__student=student)
    done = mine & Q(attempts__finished_at__isnull=False)
    # The best score only of attempts whose score the student has been shown (review_options).
    shown = done & Q(attempts__results_shown_at__isnull=False)
    return (
        Assignment.objects.filter(classroom__enrollments__student=student)
        .select_related("question_set", "classroom", "classroom__teacher")
        .annotate(
            started_count=Count("attempts", filter=mine),
            finished_count=Count("attempts", filter=done),
            best_percent=Max(attempt_percent("attempts__"), filter=shown, output_field=FloatField()),
            has_open=Exists(
                Attempt.objects.filter(assignment=OuterRef("pk"), student=student, finished_at__isnull=True)
            ),
            # The latest due date the set has for any class: "after the due date" waits for it.
            set_latest_due=Subquery(
                Assignment.objects.filter(question_set=OuterRef("question_set"), due_at__isnull=False)
                .order_by("-due_at")
                .values("due_at")[:1]
            ),
            answers_seen=Exists(
                Attempt.objects.filter(
                    question_set=OuterRef("question_set"), student=student, answers_shown_at__isnull=False
                )
            ),
        )
        .order_by(F("due_at").asc(nulls_last=True), "id")
    )


def home_rows(student, *, now) -> list[tuple]:
    """(assignment, status code, status label) for the student's home page; each assignment
    says whether another attempt may be started (`can_start`), as attempts.new_attempt_refusal
    would decide, in the same one query."""
    rows = []
    for assignment in student_assignments(student):
        question_set = assignment.question_set
        used_up = bool(question_set.max_attempts) and assignment.started_count >= question_set.max_attempts
        past_due = assignment.set_latest_due is not None and assignment.set_latest_due <= now
        assignment.can_start = assignment.has_open or not (
            used_up or (question_set.waits_for_close and (assignment.answers_seen or past_due))
        )
        rows.append((assignment, *status_of(assignment)))
    return rows


def status_of(assignment) -> tuple[str, str]:
    """(code, label) for an annotated assignment: done wins once any attempt is finished.
    No best score is given while none of the finished attempts shows its score."""
    if assignment.finished_count:
        if assignment.best_percent is None:
            return "done", "Done – score not shown yet"
        return "done", f"Done – best {round(assignment.best_percent)}%"
    if assignment.started_count:
        return "in_progress", "In progress"
    return "not_started", "Not started"
