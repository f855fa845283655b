"""A student's progress: attempt history, score trend, mastery per topic, the review queue.

Every function runs a fixed number of queries however much the student has answered:
per-topic work is done by the database (window functions), never by a query per topic.
Only answers whose score the student has been shown count (`shown_answers`): an attempt
whose set keeps its score back until the end or the due date gives nothing away here.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from history.models import Event, Figure

from .models import Answer, Attempt, Question
from .review import due_cards, student_cards

HISTORY_LIMIT = 50  # attempts listed on the page; older ones are counted, not shown
TREND_LIMIT = 30  # finished attempts plotted
RECENT_ANSWERS = 20  # answers per topic that mastery looks at
REVIEW_SESSION_SIZE = 20
PRACTICE_SIZE = 10


def shown_answers(student):
    """The student's answers whose score they have been shown (review_options)."""
    return Answer.objects.filter(student=student, item__attempt__results_shown_at__isnull=False)


def attempt_history(student, limit=HISTORY_LIMIT):
    """The student's latest attempts, newest first, and how many there are in all."""
    attempts = list(
        Attempt.objects.filter(student=student)
        .only(
            "id",
            "title",
            "mode",
            "started_at",
            "finished_at",
            "question_count",
            "answered_count",
            "correct_count",
            "score",
            "results_shown_at",
            "show_score",
        )
        # The window counts all the student's attempts before LIMIT applies: one query either way.
        .annotate(total=Window(Count("id")))
        .order_by("-started_at", "-id")[:limit]
    )
    return attempts, attempts[0].total if attempts else 0


@dataclass(frozen=True)
class TrendPoint:
    attempt_id: int
    title: str
    when: datetime
    percent: int
    correct: int
    total: int


def score_trend(student, limit=TREND_LIMIT):
    """Points for the latest finished attempts, oldest first (the order a chart reads)."""
    rows = (
        Attempt.objects.filter(
            student=student, finished_at__isnull=False, question_count__gt=0, results_shown_at__isnull=False
        )
        .order_by("-finished_at", "-id")
        .values_list("id", "title", "finished_at", "score", "question_count", "correct_count")[:limit]
    )
    points = [
        TrendPoint(pk, title, finished, round(100 * score / count), correct, count)
        for pk, title, finished, score, count, correct in rows
    ]
    points.reverse()
    return points


@dataclass(frozen=True)
class MasteryRow:
    kind: str  # "figure" or "event"
    key: str
    name: str
    correct: int
    total: int

    @property
    def share(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def percent(self) -> int:
        return round(100 * self.share)

    @property
    def url(self) -> str:
        if self.kind == "figure":
            return reverse("history:figure", args=[self.key])
        return reverse("history:timeline") + f"#event-{self.key}"


def _recent_by_topic(student, relation, recent):
    """(topic key, topic name, is_correct) for each topic's `recent` latest answers.

    One query: a window numbers each topic's answers newest first and the outer query
    keeps the first `recent`; the rows returned are bounded by topics × recent.
    """
    name_field = "short_name" if relation == "figures" else "name"
    return (
        shown_answers(student)
        .annotate(
            topic_id=F(f"question__{relation}__id"),
            topic_key=F(f"question__{relation}__key"),
            topic_name=F(f"question__{relation}__{name_field}"),
        )
        .filter(topic_id__isnull=False)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("topic_id")],
                order_by=[F("answered_at").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=recent)
        .values_list("topic_key", "topic_name", "is_correct")
    )


def mastery(student, recent=RECENT_ANSWERS):
    """Share right of the last `recent` answers per figure and per event, weakest first.

    Ties go to the topic with more answers (the weakness is better established), then by name.
    """
    rows = []
    for kind, relation in (("figure", "figures"), ("event", "events")):
        tally = {}
        for key, name, is_correct in _recent_by_topic(student, relation, recent):
            entry = tally.setdefault(key, [name, 0, 0])
            entry[1] += bool(is_correct)
            entry[2] += 1
        rows.extend(MasteryRow(kind, key, name, correct, total) for key, (name, correct, total) in tally.items())
    rows.sort(key=lambda row: (row.share, -row.total, row.name.lower()))
    return rows


@dataclass(frozen=True)
class ReviewSummary:
    due: int
    cards: int
    next_due: datetime | None


def review_due_count(student, now=None) -> int:
    return due_cards(student, now or timezone.now()).count()


def review_summary(student, now=None) -> ReviewSummary:
    """How many cards are due now, how many the student has, and when the next one falls due."""
    now = now or timezone.now()
    live = student_cards(student)
    counts = live.aggregate(cards=Count("id"), due=Count("id", filter=Q(due__lte=now)))
    next_due = live.filter(due__gt=now).order_by("due").values_list("due", flat=True).first()
    return ReviewSummary(due=counts["due"], cards=counts["cards"], next_due=next_due)


def overall(student):
    """All-time answer counts, for the page's headline."""
    counts = shown_answers(student).aggregate(answers=Count("id"), correct=Count("id", filter=Q(is_correct=True)))
    counts["percent"] = round(100 * counts["correct"] / counts["answers"]) if counts["answers"] else 0
    return counts


# --- Choosing questions for a session -----------------------------------------------------


def review_questions(student, now=None, limit=REVIEW_SESSION_SIZE):
    """The due questions, most overdue first: only questions the student may still be served
    (review.student_cards), so a retired or withheld question never comes back."""
    cards = due_cards(student, now or timezone.now()).select_related("question")[:limit]
    return [card.question for card in cards]


def topic_for(kind, key):
    """The figure or event a practice request names, or None if there is no such topic."""
    model = {"figure": Figure, "event": Event}.get(kind)
    if model is None:
        return None
    return model.objects.filter(key=key).first()


def practice_questions(student, topic, limit=PRACTICE_SIZE):
    """Questions on one figure or event that the student may be served
    (QuestionQuerySet.servable_to): those they get wrong first, then ones they have not met,
    then ones they know (net of right minus wrong answers whose score they have seen)."""
    relation = "figures" if isinstance(topic, Figure) else "events"
    theirs = Q(answers__student=student, answers__item__attempt__results_shown_at__isnull=False)
    return list(
        Question.objects.servable_to(student)
        .filter(**{relation: topic})
        .annotate(
            right=Count("answers", filter=theirs & Q(answers__is_correct=True)),
            wrong=Count("answers", filter=theirs & Q(answers__is_correct=False)),
        )
        .annotate(balance=F("right") - F("wrong"))
        .order_by("balance", "-wrong", "id")[:limit]
    )
