"""Server-side time, query count and transferred size of the main pages, on the real database.

Runs inside a process configured for the benchmark database (DATABASE_URL), drives the
pages through Django's test Client (no test database: the synthetic data made by
`manage.py bench_data --settings=bench.settings`), and writes one JSON report. Called by bench/run.py.

For each page: median and p95 over repeated requests, the first request on its own, the
number of queries (and the same page for a much smaller subject, to show the count does not
grow with the data), the gzip size of the HTML plus the CSS/JS it loads, and the slowest
queries, with PostgreSQL's EXPLAIN ANALYZE for any page over its time target.
"""

import argparse
import gzip
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, F  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from forms import answer_form, assets  # noqa: E402

from bench.benchdata.shape import HOT_SET_TITLE, PREFIX  # noqa: E402
from quiz.models import Answer, Assignment, Attempt, Classroom, Question, QuestionSet  # noqa: E402

HTMX = {"HTTP_HX_REQUEST": "true"}
# Server-time targets (ms) from the issue; other pages are reported without one.
HEAVY_TARGET_MS = 200
SIZE_LIMIT = 60 * 1024


class Skip(Exception):
    """The page does not exist (yet) or the data it needs is missing."""


def url(name, *args, query=""):
    try:
        return reverse(name, args=args) + (f"?{query}" if query else "")
    except NoReverseMatch as exc:
        raise Skip(f"no URL named {name!r}") from exc


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Subjects:
    """The synthetic rows each page is measured on: a large and a small one of each."""

    def __init__(self):
        User = get_user_model()
        self.hot_set = QuestionSet.objects.filter(title=HOT_SET_TITLE, owner__username__startswith=PREFIX).first()
        if self.hot_set is None:
            raise SystemExit("No synthetic data: run `manage.py bench_data --settings=bench.settings` first.")
        self.hot = Assignment.objects.select_related("classroom").get(question_set=self.hot_set)
        self.big_class = self.hot.classroom
        self.teacher = self.big_class.teacher
        small = (
            Classroom.objects.filter(teacher__username__startswith=PREFIX)
            .annotate(n=Count("enrollments"))
            .order_by("n", "pk")
            .first()
        )
        self.small_class = small
        self.small = Assignment.objects.filter(classroom=small).select_related("question_set").order_by("pk").first()
        answers = (
            User.objects.filter(username__startswith=f"{PREFIX}s")
            .annotate(n=Count("answers"))
            .filter(n__gt=0)
            .order_by("n", "pk")
        )
        self.light_student = answers.first()
        self.heavy_student = answers.order_by("-n", "pk").first()
        self.student_in_big = self.big_class.enrollments.order_by("pk").first().student
        # Unfinished attempts: one on a short set, one on a long set, each with questions left.
        open_attempts = Attempt.objects.filter(
            student__username__startswith=PREFIX, finished_at__isnull=True, answered_count__lt=F("question_count")
        ).select_related("student")
        self.short_open = open_attempts.order_by("question_count", "pk").first()
        self.long_open = open_attempts.order_by("-question_count", "pk").first()
        self.finished = (
            Attempt.objects.filter(student=self.heavy_student, finished_at__isnull=False)
            .order_by("-question_count")
            .first()
        )
        self.small_finished = (
            Attempt.objects.filter(student=self.light_student, finished_at__isnull=False)
            .order_by("question_count")
            .first()
        )
        # The student who answers during the answer-submit timing: fresh attempts at an assigned set.
        self.answerer = User.objects.filter(username__startswith=f"{PREFIX}s").order_by("-username").first()
        self.answer_set = (
            Assignment.objects.filter(classroom__enrollments__student=self.answerer)
            .select_related("question_set")
            .first()
        )
        self.sets = list(QuestionSet.objects.filter(owner=self.teacher).annotate(n=Count("items")).order_by("n", "pk"))


class Bench:
    def __init__(self, repeat, explain_over_ms):
        self.repeat = repeat
        self.explain_over_ms = explain_over_ms
        self.clients = {}
        self.asset_sizes = {}
        self.results = []
        self.skipped = []

    def client(self, user):
        if user.pk not in self.clients:
            c = Client()
            c.force_login(user)
            self.clients[user.pk] = c
        return self.clients[user.pk]

    def asset_gzip(self, client, path):
        if path not in self.asset_sizes:
            response = client.get(path)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            # WhiteNoise serves its own maximum-compression .gz files.
            self.asset_sizes[path] = {
                "status": response.status_code,
                "bytes": len(body),
                "gzip": len(gzip.compress(body, 9)),
            }
        return self.asset_sizes[path]

    def send(self, request):
        """Send a request as a make_request() gives it: (user, method, path, data, headers)."""
        user, method, path, data, headers = request
        return getattr(self.client(user), method)(path, data, **headers)

    def measure(self, name, make_request, *, small=None, target=None, partial=False, note=""):
        """make_request() -> (user, method, path, data, headers); called before each request
        (outside the timing), so requests that change state get fresh targets."""
        try:
            request = make_request()
        except Skip as exc:
            self.skipped.append({"name": name, "why": str(exc)})
            print(f"  skip  {name}: {exc}", flush=True)
            return
        client = self.client(request[0])
        # First request: empty cache, cold (as after a deploy or an invalidation).
        cache.clear()
        started = time.perf_counter()
        self.send(request)
        first_ms = (time.perf_counter() - started) * 1000
        # Query count and the slowest queries, from a request of its own (capturing costs time).
        request = make_request()
        with CaptureQueriesContext(connection) as captured:
            response = self.send(request)
        body = response.content
        queries = [{"ms": float(q.get("time") or 0) * 1000, "sql": q["sql"]} for q in captured.captured_queries]
        times, status, request = self.timed(make_request, request, response.status_code)
        _, method, path, _, headers = request  # the last request sent
        row = {
            "name": name,
            "method": method.upper(),
            "path": path,
            "status": status,
            "htmx": bool(headers),
            "n": len(times),
            "median_ms": statistics.median(times),
            "p95_ms": percentile(times, 0.95),
            "first_ms": first_ms,
            "queries": len(queries),
            "query_ms": sum(q["ms"] for q in queries),
            "slowest": sorted(queries, key=lambda q: -q["ms"])[:3],
            "size": self.size(client, body, partial),
            "target_ms": target,
            "note": note,
        }
        if small is not None:
            row.update(self.small_queries(small))
        if (
            target is not None
            and row["median_ms"] > min(target, self.explain_over_ms)
            and connection.vendor == "postgresql"
        ):
            row["explain"] = [
                self.explain(q["sql"]) for q in row["slowest"][:2] if q["sql"].lstrip().upper().startswith("SELECT")
            ]
        self.results.append(row)
        size = row["size"]
        print(
            f"  {name:<44} {status} median {row['median_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms  "
            f"{row['queries']:3d} queries  {size['total_gzip'] / 1024:5.1f} KB gz",
            flush=True,
        )

    def timed(self, make_request, request, status):
        """(ms of each of `repeat` requests, the status: the last error's if any failed, the last
        request sent: `request` when none is)."""
        times = []
        for _ in range(self.repeat):
            request = make_request()
            started = time.perf_counter()
            response = self.send(request)
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code >= 400:
                status = response.status_code
        return times, status, request

    def size(self, client, body, partial):
        """Gzip sizes of the page and, for a whole page, of the stylesheets and scripts it loads."""
        size = {"html": len(body), "html_gzip": len(gzip.compress(body, 6)), "assets": []}
        if not partial:
            for asset in assets(body.decode("utf-8", "replace")):
                size["assets"].append({"path": asset, **self.asset_gzip(client, asset)})
        size["total_gzip"] = size["html_gzip"] + sum(a["gzip"] for a in size["assets"])
        return size

    def small_queries(self, small):
        """The query count of the same page for the small subject."""
        try:
            # Once unmeasured, as the large subject was: first visits may do one-off work.
            self.send(small())
            request = small()
            with CaptureQueriesContext(connection) as captured:
                self.send(request)
            return {"queries_small": len(captured.captured_queries), "small_path": request[2]}
        except Skip as exc:
            return {"queries_small": None, "small_note": str(exc)}

    def explain(self, sql):
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        return {"sql": sql, "plan": plan}


def get(user, path, htmx=False):
    return lambda: (user, "get", path, {}, HTMX if htmx else {})


class AnswerFlow:
    """Fresh questions to answer, one per timed request: the htmx question fragment is read
    (untimed) for the form, the answer POST is what is timed."""

    def __init__(self, bench, student, question_set):
        self.bench, self.student, self.question_set = bench, student, question_set
        self.attempt_id = None

    def next(self):
        if self.question_set is None:
            raise Skip("no assignment for the answering student")
        client = self.bench.client(self.student)
        for _ in range(3):
            if self.attempt_id is None:
                response = client.post(url("quiz:start_set", self.question_set.pk))
                if response.status_code != 302:
                    raise Skip(f"starting an attempt gave HTTP {response.status_code}")
                self.attempt_id = int(response["Location"].rstrip("/").split("/")[-1])
            page = client.get(url("quiz:attempt", self.attempt_id), **HTMX)
            action, data = answer_form(page.content.decode())
            if action:
                return self.student, "post", action, data, HTMX
            self.attempt_id = None  # finished: start another
        raise Skip("could not find an answer form on the question page")


def run(repeat, heavy_repeat, explain_over_ms):
    s = Subjects()
    b = Bench(repeat, explain_over_ms)
    b_heavy = Bench(heavy_repeat, explain_over_ms)
    b_heavy.clients = b.clients
    b_heavy.asset_sizes = b.asset_sizes
    b_heavy.results = b.results
    b_heavy.skipped = b.skipped

    def attempt_page(attempt):
        if attempt is None:
            raise Skip("no unfinished synthetic attempt")
        return attempt.student, "get", url("quiz:attempt", attempt.pk), {}, {}

    b.measure("Quiz question (full page)", lambda: attempt_page(s.long_open), small=lambda: attempt_page(s.short_open))
    b.measure(
        "Quiz question (htmx fragment)",
        lambda: (*attempt_page(s.long_open)[:4], HTMX),
        small=lambda: (*attempt_page(s.short_open)[:4], HTMX),
        partial=True,
    )
    flow = AnswerFlow(b, s.answerer, s.answer_set and s.answer_set.question_set)
    b.measure("Answer submit (htmx POST)", flow.next, partial=True, note="a fresh question each time")
    b.measure(
        "Progress page (most answers)",
        get(s.heavy_student, url("quiz:progress")),
        small=get(s.light_student, url("quiz:progress")),
    )
    b.measure(
        "Quiz list (student)", get(s.student_in_big, url("quiz:sets")), small=get(s.light_student, url("quiz:sets"))
    )
    b.measure("Home (student)", get(s.heavy_student, url("home")), small=get(s.light_student, url("home")))
    if s.finished is not None:
        small_summary = get(s.light_student, url("quiz:summary", s.small_finished.pk)) if s.small_finished else None
        b.measure("Attempt summary", get(s.heavy_student, url("quiz:summary", s.finished.pk)), small=small_summary)
    b_heavy.measure(
        f"Assignment results + item analysis: class of {s.big_class.enrollments.count()}, "
        f"{Answer.objects.filter(item__attempt__assignment=s.hot).count():,} answers",
        get(s.teacher, url("quiz:assignment_results", s.hot.pk)),
        small=get(s.small_class.teacher, url("quiz:assignment_results", s.small.pk)),
        target=HEAVY_TARGET_MS,
    )
    for name in ("quiz:item_analysis", "quiz:set_analysis", "quiz:set_item_analysis"):
        try:
            reverse(name, args=[s.hot_set.pk])
        except NoReverseMatch:
            continue
        b_heavy.measure(
            f"Item analysis: {s.hot_set.title}",
            get(s.teacher, url(name, s.hot_set.pk)),
            small=get(s.teacher, url(name, s.sets[0].pk)),
            target=HEAVY_TARGET_MS,
        )
    b_heavy.measure(
        f"Assignment results CSV: class of {s.big_class.enrollments.count()}",
        get(s.teacher, url("quiz:assignment_csv", s.hot.pk)),
        small=get(s.small_class.teacher, url("quiz:assignment_csv", s.small.pk)),
        partial=True,
    )
    b_heavy.measure(
        f"Class page: class of {s.big_class.enrollments.count()}",
        get(s.teacher, url("quiz:class_detail", s.big_class.pk)),
        small=get(s.small_class.teacher, url("quiz:class_detail", s.small_class.pk)),
        target=HEAVY_TARGET_MS,
    )
    b.measure(
        "Teacher: one student's progress",
        get(s.teacher, url("quiz:class_student", s.big_class.pk, s.student_in_big.pk)),
    )
    longest, shortest = s.sets[-1], s.sets[0]
    b.measure(
        "Set editor with question-bank browse",
        get(s.teacher, url("quiz:set_detail", longest.pk)),
        small=get(s.teacher, url("quiz:set_detail", shortest.pk)),
    )
    b.measure(
        "Question-bank page 2 (htmx)",
        get(s.teacher, url("quiz:set_detail", longest.pk, query="page=2"), htmx=True),
        small=get(s.teacher, url("quiz:set_detail", shortest.pk, query="page=2"), htmx=True),
        partial=True,
    )
    b.measure("Teacher home", get(s.teacher, url("quiz:teacher_home")))
    b.measure("Teacher's questions", get(s.teacher, url("quiz:question_list")))
    for label, name in (
        ("Interview (study)", "history:interview"),
        ("Figures", "history:figures"),
        ("Timeline", "history:timeline"),
    ):
        b.measure(label, get(s.student_in_big, url(name)))
    b.measure(
        "Health check (/healthz, the load run's trivial view)", get(s.student_in_big, url("healthz")), partial=True
    )
    return b


def versions():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            db = "PostgreSQL " + cursor.fetchone()[0]
        else:
            import sqlite3

            db = "SQLite " + sqlite3.sqlite_version
    return {"python": sys.version.split()[0], "django": django.get_version(), "database": db}


def counts():
    User = get_user_model()
    return {
        "students": User.objects.filter(username__startswith=f"{PREFIX}s").count(),
        "classes": Classroom.objects.count(),
        "question_sets": QuestionSet.objects.count(),
        "answers": Answer.objects.count(),
        "attempts": Attempt.objects.count(),
        "questions": Question.objects.live().count(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--heavy-repeat", type=int, default=15)
    parser.add_argument("--explain-over-ms", type=float, default=HEAVY_TARGET_MS)
    args = parser.parse_args()
    print(f"Pages on {connection.vendor}:", flush=True)
    b = run(args.repeat, args.heavy_repeat, args.explain_over_ms)
    report = {
        "vendor": connection.vendor,
        "versions": versions(),
        "data": counts(),
        "pages": b.results,
        "skipped": b.skipped,
    }
    Path(args.out).write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
