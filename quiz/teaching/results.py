"""Results for teachers: per assignment (students and item analysis), per student, and CSV.

Every function here runs a fixed number of queries however many students there are: the
per-student figures are aggregated in the database, the item analysis reads one row per
(student, question) in a single query.
"""

import csv
import dataclasses
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
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3

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


def _student_figures(assignment) -> dict:
    """Per student who attempted the assignment: attempts started and finished, best and latest
    percent, time spent on finished attempts, last finish. Aggregated in the database over the
    assignment's attempts only (its index), not over every attempt of every student."""
    finished = Q(finished_at__isnull=False)
    latest = (
        Attempt.objects.filter(assignment=assignment, student=OuterRef("student_id"), finished_at__isnull=False)
        .order_by("-finished_at", "-id")
        .annotate(percent=ExpressionWrapper(attempt_percent(), output_field=FloatField()))
        .values("percent")[:1]
    )
    duration = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
    rows = (
        Attempt.objects.filter(assignment=assignment)
        .order_by()
        .values("student_id")
        .annotate(
            attempts_started=Count("pk"),
            attempts_finished=Count("pk", filter=finished),
            best_percent=Max(attempt_percent(), filter=finished, output_field=FloatField()),
            latest_percent=Subquery(latest, output_field=FloatField()),
            time_spent=Sum(duration, filter=finished, output_field=DurationField()),
            last_finished=Max("finished_at", filter=finished),
        )
    )
    return {row.pop("student_id"): row for row in rows}


NO_ATTEMPTS = {
    "attempts_started": 0,
    "attempts_finished": 0,
    "best_percent": None,
    "latest_percent": None,
    "time_spent": None,
    "last_finished": None,
}
STATUS_ICONS = {"Done": "✓", "In progress": "◐", "Not started": "○"}
# A stand-in id, replaced per row: reversing the student link 500 times costs more than the query.
_ID_SLOT = 987654321


def _short_datetime(value, months) -> str:
    """As the template filter date:"j M Y, H:i" writes it, without its per-call format lookups."""
    local = timezone.localtime(value)
    return f"{local.day} {months[local.month]} {local.year}, {local:%H:%M}"


def student_table(assignment, version=None) -> list[dict]:
    """One row per student in the class (or who attempted it before leaving), formatted for the
    page: plain dicts of ready-made strings, so the template loop does no filters, URL reversing
    or method calls per row (a class of 500 is common).

    The attempt figures are cached per answers_version (pass it in when the caller has it);
    names and who is in the class are read fresh."""
    key = f"quiz:student-figures:{assignment.pk}:{version or answers_version(assignment)}"
    figures = cache.get(key)
    if figures is None:
        figures = _student_figures(assignment)
        cache.set(key, figures, ANALYSIS_CACHE_SECONDS)
    in_class = Enrollment.objects.filter(classroom=assignment.classroom_id)
    people = (
        get_user_model()
        .objects.filter(
            Q(pk__in=in_class.values("student"))
            | Q(pk__in=Attempt.objects.filter(assignment=assignment).values("student"))
        )
        .annotate(in_class=Exists(in_class.filter(student=OuterRef("pk"))))
        .order_by("first_name", "username")
        .values_list("pk", "username", "first_name", "last_name", "in_class")
    )
    link = reverse("quiz:class_student", args=[assignment.classroom_id, _ID_SLOT])
    months = {m: str(name).title() for m, name in MONTHS_3.items()}
    table = []
    for pk, username, first_name, last_name, enrolled in people:
        user = StudentResult(pk, username, first_name, last_name, enrolled, **figures.get(pk, NO_ATTEMPTS))
        status = status_label(user)
        best, latest = percent_text(user.best_percent), percent_text(user.latest_percent)
        time_spent = format_duration(user.time_spent)
        table.append(
            {
                "user": user,
                "status": status,
                "best": best,
                "latest": latest,
                "time": time_spent,
                # Ready-made cells for the page.
                "name": user.get_full_name() or username,
                "href": link.replace(str(_ID_SLOT), str(pk)) if enrolled else "",
                "icon": STATUS_ICONS[status],
                "open": user.attempts_started != user.attempts_finished,
                "best_cell": best or "—",
                "latest_cell": latest or "—",
                "time_cell": time_spent or "—",
                "last_cell": _short_datetime(user.last_finished, months) if user.last_finished else "—",
            }
        )
    return table


@dataclass(slots=True)
class StudentResult:
    """A student with their figures for one assignment (lighter than a User model instance)."""

    pk: int
    username: str
    first_name: str
    last_name: str
    in_class: bool
    attempts_started: int
    attempts_finished: int
    best_percent: float | None
    latest_percent: float | None
    time_spent: object
    last_finished: object

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


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


# Cached analyses are keyed by a version of the assignment's attempts, so stale entries are
# never read, only left to expire.
ANALYSIS_CACHE_SECONDS = 60 * 60


def answers_version(assignment) -> str:
    """Changes whenever an answer is recorded for the assignment or an attempt at it is started,
    finished or deleted: every answer bumps its attempt's answered_count in the same
    transaction. One aggregate over the attempts index, far cheaper than the analysis."""
    v = Attempt.objects.filter(assignment=assignment).aggregate(
        n=Count("pk"),
        last=Max("pk"),
        answered=Sum("answered_count"),
        finished=Count("finished_at"),
        last_finished=Max("finished_at"),
        last_started=Max("started_at"),
    )
    stamp = lambda t: t.timestamp() if t else ""  # noqa: E731
    # created_at too: a test database (or a restored backup) can reuse an assignment id.
    return (
        f"{stamp(assignment.created_at)}:{v['n']}:{v['last']}:{v['answered']}:{v['finished']}:"
        f"{stamp(v['last_finished'])}:{stamp(v['last_started'])}"
    )


def _answer_statistics(assignment) -> tuple[dict, int]:
    """The expensive part of the item analysis, which depends only on the answers: per-question
    statistics (without the key-dependent flags) over each student's first finished attempt."""
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
    student_of = {a["id"]: a["student_id"] for a in firsts.values()}
    # Unordered and without joining the attempts (their students are known): the statistics do
    # not depend on the order, and the default ordering would sort 25,000 rows by a join.
    rows = (
        AttemptItem.objects.filter(attempt_id__in=list(student_of))
        .order_by()
        .values_list("attempt_id", "question_id", "answer__is_correct", "answer__selected_option_id")
    )
    responses = [
        item_analysis.Response(student_of[attempt], question, bool(correct), option)
        for attempt, question, correct, option in rows
    ]
    return {stat.question: stat for stat in item_analysis.analyse(responses, totals)}, len(firsts)


def item_rows(assignment, version=None) -> tuple[list[ItemRow], int]:
    """Item analysis over each student's first finished attempt. Returns rows and student count.

    The answer statistics are cached per answers_version; the questions, their keys and the
    flags that depend on the keys are read fresh, so an edited question shows at once."""
    key = f"quiz:item-analysis:{assignment.pk}:{version or answers_version(assignment)}"
    cached = cache.get(key)
    if cached is None:
        cached = _answer_statistics(assignment)
        cache.set(key, cached, ANALYSIS_CACHE_SECONDS)
    by_question, analysed = cached
    in_set = list(assignment.question_set.items.order_by("position", "id").values_list("question_id", flat=True))
    order = in_set + sorted(set(by_question) - set(in_set))
    questions = Question.objects.filter(pk__in=order).prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("position", "id"))
    )
    by_id = {q.pk: q for q in questions}
    keys = {
        q.pk: q.mode.correct_ids(q.options.all()) for q in questions if q.mode.analyses_options
    }
    result = []
    for pk in order:
        question = by_id.get(pk)
        if question is None:
            continue
        if pk in by_question:
            # A copy: the cached object is shared (locmem) and must stay key-free.
            stat = dataclasses.replace(by_question[pk], key_options=frozenset(keys.get(pk, ())))
            stat.flags = item_analysis.flags_for(stat)
        else:
            stat = item_analysis.analyse([], {}, keys=keys, questions=[pk])[0]
        options = {o.pk: o for o in question.options.all()}
        distractors = [(options[o], n) for o, n in stat.top_distractors if o in options]
        key_text = "; ".join(o.text for o in question.options.all() if o.is_correct)
        result.append(ItemRow(question, stat, distractors, key_text))
    return result, analysed


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
