"""Results for teachers: per assignment (students and item analysis), per student, and CSV.

Every function here runs a fixed number of queries however many students there are: the
per-student figures are aggregated in the database, the item analysis reads one row per
(student, question) in a single query.
"""

import csv
import io
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
)
from django.utils import timezone

from ..models import Answer, Assignment, Attempt, AttemptItem, Enrollment, Option, Question
from . import item_analysis
from .classes import attempt_percent


def student_rows(assignment):
    """One row per student in the class (or who attempted it before leaving), with attempts,
    best and latest score (percent) and time spent on finished attempts."""
    on_this = Q(attempts__assignment=assignment)
    finished = on_this & Q(attempts__finished_at__isnull=False)
    latest = (
        Attempt.objects.filter(assignment=assignment, student=OuterRef("pk"), finished_at__isnull=False)
        .order_by("-finished_at", "-id")
        .annotate(percent=ExpressionWrapper(attempt_percent(), output_field=FloatField()))
        .values("percent")[:1]
    )
    duration = ExpressionWrapper(F("attempts__finished_at") - F("attempts__started_at"), output_field=DurationField())
    return (
        get_user_model()
        .objects.filter(
            Q(pk__in=Enrollment.objects.filter(classroom=assignment.classroom_id).values("student"))
            | Q(pk__in=Attempt.objects.filter(assignment=assignment).values("student"))
        )
        .annotate(
            attempts_started=Count("attempts", filter=on_this),
            attempts_finished=Count("attempts", filter=finished),
            best_percent=Max(attempt_percent("attempts__"), filter=finished, output_field=FloatField()),
            latest_percent=Subquery(latest, output_field=FloatField()),
            time_spent=Sum(duration, filter=finished, output_field=DurationField()),
            last_finished=Max("attempts__finished_at", filter=finished),
            in_class=Exists(Enrollment.objects.filter(classroom=assignment.classroom_id, student=OuterRef("pk"))),
        )
        .order_by("first_name", "username")
    )


def student_table(assignment) -> list[dict]:
    """Student rows formatted for the page."""
    return [
        {
            "user": row,
            "status": status_label(row),
            "best": percent_text(row.best_percent),
            "latest": percent_text(row.latest_percent),
            "time": format_duration(row.time_spent),
        }
        for row in student_rows(assignment)
    ]


def status_label(row) -> str:
    if row.attempts_finished:
        return "Done"
    if row.attempts_started:
        return "In progress"
    return "Not started"


@dataclass
class ItemRow:
    question: Question
    stats: item_analysis.ItemStats
    distractors: list  # [(Option, count)], most chosen first
    key_text: str

    @property
    def facility_percent(self):
        return None if self.stats.facility is None else round(100 * self.stats.facility)

    @property
    def discrimination_text(self):
        return "" if self.stats.discrimination is None else f"{self.stats.discrimination:+.2f}"


def item_rows(assignment) -> tuple[list[ItemRow], int]:
    """Item analysis over each student's first finished attempt. Returns rows and student count."""
    firsts = {}
    for attempt in (
        Attempt.objects.filter(assignment=assignment, finished_at__isnull=False)
        .order_by("finished_at", "id")
        .values("id", "student_id", "score", "question_count")
    ):
        firsts.setdefault(attempt["student_id"], attempt)
    totals = {
        a["student_id"]: (a["score"] / a["question_count"] if a["question_count"] else 0.0) for a in firsts.values()
    }
    rows = AttemptItem.objects.filter(attempt_id__in=[a["id"] for a in firsts.values()]).values_list(
        "attempt__student_id", "question_id", "answer__is_correct", "answer__selected_option_id"
    )
    responses = [
        item_analysis.Response(student, question, bool(correct), option) for student, question, correct, option in rows
    ]
    in_set = list(assignment.question_set.items.order_by("position", "id").values_list("question_id", flat=True))
    seen = {r.question for r in responses}
    order = in_set + sorted(seen - set(in_set))
    questions = Question.objects.filter(pk__in=order).prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("position", "id"))
    )
    by_id = {q.pk: q for q in questions}
    keys = {
        q.pk: [o.pk for o in q.options.all() if o.is_correct] for q in questions if q.answer_mode == "single"
    }
    stats = item_analysis.analyse(responses, totals, keys=keys, questions=[pk for pk in order if pk in by_id])
    result = []
    for stat in stats:
        question = by_id[stat.question]
        options = {o.pk: o for o in question.options.all()}
        distractors = [(options[pk], n) for pk, n in stat.top_distractors if pk in options]
        key_text = "; ".join(o.text for o in question.options.all() if o.is_correct)
        result.append(ItemRow(question, stat, distractors, key_text))
    return result, len(firsts)


def student_progress(teacher, student):
    """A student's assignments across this teacher's classes, and their weakest topics there."""
    mine = Q(attempts__student=student)
    done = mine & Q(attempts__finished_at__isnull=False)
    assignments = (
        Assignment.objects.filter(classroom__teacher=teacher, classroom__enrollments__student=student)
        .select_related("question_set", "classroom")
        .annotate(
            started_count=Count("attempts", filter=mine),
            finished_count=Count("attempts", filter=done),
            best_percent=Max(attempt_percent("attempts__"), filter=done, output_field=FloatField()),
        )
        .order_by(F("due_at").asc(nulls_last=True), "id")
    )
    # Only answers given in this teacher's assignments: practice elsewhere stays the student's own.
    answers = Answer.objects.filter(student=student, item__attempt__assignment__classroom__teacher=teacher)
    return assignments, weakest(answers, "question__figures"), weakest(answers, "question__events")


def weakest(answers, relation, limit=5):
    """Topics with the lowest share of correct answers (at least one answer each)."""
    return list(
        answers.filter(**{f"{relation}__isnull": False})
        .values(f"{relation}__pk", f"{relation}__name")
        .annotate(total=Count("id"), correct=Count("id", filter=Q(is_correct=True)))
        .annotate(rate=ExpressionWrapper(F("correct") * 1.0 / F("total"), output_field=FloatField()))
        .order_by("rate", "-total", f"{relation}__name")[:limit]
    )


# Spreadsheet programs run cells starting with these as formulas (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def format_duration(delta) -> str:
    if delta is None:
        return ""
    minutes, seconds = divmod(int(delta.total_seconds()), 60)
    return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"


def percent_text(value) -> str:
    return "" if value is None else f"{round(value)}%"


CSV_HEADER = [
    "Username",
    "Name",
    "Status",
    "Attempts started",
    "Attempts finished",
    "Best score",
    "Latest score",
    "Time spent",
    "Last finished",
    "In class",
]


def results_csv(assignment) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in student_rows(assignment):
        finished_at = timezone.localtime(row.last_finished).strftime("%Y-%m-%d %H:%M") if row.last_finished else ""
        writer.writerow(
            safe_cell(cell)
            for cell in [
                row.username,
                row.get_full_name(),
                status_label(row),
                row.attempts_started,
                row.attempts_finished,
                percent_text(row.best_percent),
                percent_text(row.latest_percent),
                format_duration(row.time_spent),
                finished_at,
                "yes" if row.in_class else "no (left)",
            ]
        )
    return out.getvalue()
