"""Results for teachers: per assignment (students and item analysis), per student, and CSV.

`assignment_results(assignment)` is the one selector behind an assignment's results page and
its CSV: both render the `AssignmentResults` it returns. It runs a fixed number of queries
however many students there are: the per-student figures are aggregated in the database over
the assignment's attempts, the item analysis reads one row per (student, question) in a
single query, and both are cached per version of the assignment's attempts
(`answers_version`); names, the roster and the questions' keys are read fresh every time.
"""

import csv
import dataclasses
import datetime
import io
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import cache
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
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3

from ..models import Answer, Assignment, Attempt, AttemptItem, Enrollment, Option, Question
from . import item_analysis
from .classes import attempt_percent

# Cached figures are keyed by a version of the assignment's attempts, so stale entries are
# never read, only left to expire.
ANALYSIS_CACHE_SECONDS = 60 * 60


@dataclass(slots=True)
class StudentRow:
    """One student in the class (or who attempted the assignment before leaving it): their
    figures, and the words the page and the CSV both write for them. The words, the link and
    the page's date are worked out here, once: for a class of 500 (a common size) the date
    filter and URL reversing per row cost more than the page's queries."""

    pk: int
    username: str
    name: str  # first and last name; "" when the student gave none
    in_class: bool
    href: str  # the student's page in the class; "" once they have left it
    attempts_started: int
    attempts_finished: int
    best_percent: float | None
    latest_percent: float | None
    time_spent: datetime.timedelta | None  # over finished attempts
    last_finished: datetime.datetime | None
    status: str  # "Done", "In progress" or "Not started"
    best: str  # "75%", or "" before any finished attempt
    latest: str
    time: str  # "8 min 00 s", or ""
    last_finished_text: str  # "26 Nov 2026, 14:05" (the page's date:"j M Y, H:i"), or ""

    @property
    def status_icon(self) -> str:
        return STATUS_ICONS[self.status]

    @property
    def has_open_attempt(self) -> bool:
        return self.attempts_started != self.attempts_finished


@dataclass
class ItemRow:
    """One question's item analysis, with its key as it stands now."""

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


@dataclass(frozen=True)
class AssignmentResults:
    """An assignment's results as of `version` (its attempts' `answers_version`)."""

    version: str
    students: list[StudentRow]
    # The item analysis, over each student's first finished attempt; None when not asked for.
    items: list[ItemRow] | None
    analysed: int | None  # how many students' first finished attempts it covers

    @property
    def flagged(self) -> int:
        """How many questions the item analysis flags as possibly broken."""
        return sum(1 for item in self.items or () if item.stats.flags)


def assignment_results(assignment, *, with_items: bool = True) -> AssignmentResults:
    """The results of one assignment: a row per student and, unless `with_items` is False (the
    CSV has no per-question columns), the item analysis."""
    version = answers_version(assignment)
    students = _student_rows(assignment, _cached("student-figures", assignment, version, _student_figures))
    if not with_items:
        return AssignmentResults(version, students, None, None)
    statistics, analysed = _cached("item-analysis", assignment, version, _answer_statistics)
    return AssignmentResults(version, students, _item_rows(assignment, statistics), analysed)


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


def _cached(name, assignment, version, compute):
    """What `compute(assignment)` returns for these attempts, from the cache when it has it."""
    return cache.get_or_set(
        f"quiz:{name}:{assignment.pk}:{version}", lambda: compute(assignment), ANALYSIS_CACHE_SECONDS
    )


# --- Students ----------------------------------------------------------------------------


def _student_figures(assignment) -> dict:
    """Per student who attempted the assignment: attempts started and finished, best and latest
    percent, time spent on finished attempts, last finish. Aggregated in the database over the
    assignment's attempts only (its index), not over every attempt of every student."""
    finished = Q(finished_at__isnull=False)
    latest = (
        Attempt.objects.filter(assignment=assignment, student=OuterRef("student_id"), finished_at__isnull=False)
        .order_by("-finished_at", "-id")
        .annotate(score_percent=ExpressionWrapper(attempt_percent(), output_field=FloatField()))
        .values("score_percent")[:1]
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
    return {row["student_id"]: {k: v for k, v in row.items() if k != "student_id"} for row in rows}


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


def _student_rows(assignment, figures) -> list[StudentRow]:
    """Everyone in the class and everyone who attempted the assignment before leaving it, by
    name, with their (cached) figures."""
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
    rows = []
    for pk, username, first_name, last_name, enrolled in people:
        figures_of = figures.get(pk, NO_ATTEMPTS)
        last_finished = figures_of["last_finished"]
        rows.append(
            StudentRow(
                pk=pk,
                username=username,
                name=f"{first_name} {last_name}".strip(),
                in_class=enrolled,
                href=link.replace(str(_ID_SLOT), str(pk)) if enrolled else "",
                **figures_of,
                status=status_label(figures_of["attempts_started"], figures_of["attempts_finished"]),
                best=percent_text(figures_of["best_percent"]),
                latest=percent_text(figures_of["latest_percent"]),
                time=format_duration(figures_of["time_spent"]),
                last_finished_text=_short_datetime(last_finished, months) if last_finished else "",
            )
        )
    return rows


def status_label(started: int, finished: int) -> str:
    if finished:
        return "Done"
    if started:
        return "In progress"
    return "Not started"


def percent_text(value) -> str:
    return "" if value is None else f"{round(value)}%"


def format_duration(delta) -> str:
    if delta is None:
        return ""
    minutes, seconds = divmod(int(delta.total_seconds()), 60)
    return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"


def _short_datetime(value, months) -> str:
    """As the template filter date:"j M Y, H:i" writes it, without its per-call format lookups."""
    local = timezone.localtime(value)
    return f"{local.day} {months[local.month]} {local.year}, {local:%H:%M}"


# --- Questions (item analysis) -----------------------------------------------------------


def _answer_statistics(assignment) -> tuple[dict, int]:
    """The expensive part of the item analysis, which depends only on the answers: per-question
    statistics (without the key-dependent flags) over each student's first finished attempt."""
    firsts: dict[int, Any] = {}  # student id -> their first finished attempt's values
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


def _item_rows(assignment, by_question) -> list[ItemRow]:
    """A row per question of the set (in its order), then per question answered that has left
    it since. The questions, their keys and the flags that depend on the keys are read fresh
    (not cached with the statistics), so an edited question shows at once."""
    in_set = list(assignment.question_set.items.order_by("position", "id").values_list("question_id", flat=True))
    order = in_set + sorted(set(by_question) - set(in_set))
    by_id = Question.objects.prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("position", "id"))
    ).in_bulk(order)
    return [_item_row(by_id[pk], by_question.get(pk)) for pk in order if pk in by_id]


def _item_row(question, answered) -> ItemRow:
    """The question's statistics with its key applied (flags and distractors need the key)."""
    options = list(question.options.all())
    key = frozenset(question.mode.correct_ids(options) if question.mode.analyses_options else ())
    if answered is None:
        stat = item_analysis.analyse([], {}, keys={question.pk: key}, questions=[question.pk])[0]
    else:
        # A copy: the cached statistics must stay key-free.
        stat = dataclasses.replace(answered, key_options=key)
        stat.flags = item_analysis.flags_for(stat)
    by_id = {o.pk: o for o in options}
    distractors = [(by_id[o], n) for o, n in stat.top_distractors if o in by_id]
    key_text = "; ".join(o.text for o in options if o.is_correct)
    return ItemRow(question, stat, distractors, key_text)


# --- The CSV -----------------------------------------------------------------------------

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
# Spreadsheet programs run cells starting with these as formulas (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def results_csv(results: AssignmentResults) -> str:
    """The students' rows of `results` as CSV, one line per student."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in results.students:
        finished_at = timezone.localtime(row.last_finished).strftime("%Y-%m-%d %H:%M") if row.last_finished else ""
        writer.writerow(
            safe_cell(cell)
            for cell in [
                row.username,
                row.name,
                row.status,
                row.attempts_started,
                row.attempts_finished,
                row.best,
                row.latest,
                row.time,
                finished_at,
                "yes" if row.in_class else "no (left)",
            ]
        )
    return out.getvalue()


# --- One student across a teacher's classes ----------------------------------------------


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
