"""Synthetic data at district scale, on top of the real interview content (for `make bench`).

Everything synthetic belongs to users whose username starts with `bench_`, so `--reset`
removes exactly that and nothing a real person made. Answers pick real options of the real
generated questions; whether an answer is right follows a seeded model of per-student
ability and per-question difficulty, so a run is reproducible.

Shape (full scale, `--full`): 5,000 students in 150 classes (class 1 has 500 students),
30 teachers owning 300 question sets, 4 assignments per class, 500,000 answers. The "hot"
set (10 questions, assigned to the class of 500) is answered `--hot-answers` times (25,000),
for the item-analysis measurement.
"""

import contextlib
import json
import math
import random
import time
from collections import defaultdict
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from fsrs import State

from quiz.demo import ensure_teacher_group
from quiz.models import (
    Answer,
    Assignment,
    Attempt,
    AttemptItem,
    Classroom,
    Enrollment,
    Question,
    QuestionSet,
    ReviewCard,
    ReviewLog,
    ReviewTime,
    SetItem,
    Visibility,
)

PREFIX = "bench_"
# Every synthetic account shares this password, so the load run can log in through the form.
PASSWORD = "bench-password-not-secret"  # nosec B105
HOT_SET_TITLE = "Bench hot set"
CLASSES_PER_TEACHER = 5
ASSIGNMENTS_PER_CLASS = 4
HOT_SET_SIZE = 10

SMALL = {"students": 300, "classes": 10, "sets": 20, "answers": 20_000, "big_class": 100, "hot_answers": 2_000}
FULL = {"students": 5_000, "classes": 150, "sets": 300, "answers": 500_000, "big_class": 500, "hot_answers": 25_000}


def bench_users():
    return get_user_model().objects.filter(username__startswith=PREFIX)


def _subquery(queryset):
    sql, params = queryset.values("pk").query.sql_with_params()
    return sql, list(params)


def reset_synthetic():
    """Remove every row owned by a `bench_` user; returns the number of users removed.

    The big tables go first with one DELETE each (the ORM's cascade would load every
    row id into memory); the user delete then cascades the rest, whatever it is."""
    users_sql, params = _subquery(bench_users())
    attempts_sql = f"SELECT id FROM {Attempt._meta.db_table} WHERE student_id IN ({users_sql})"
    cards_sql = f"SELECT id FROM {ReviewCard._meta.db_table} WHERE student_id IN ({users_sql})"
    statements = [
        (f"DELETE FROM {ReviewLog._meta.db_table} WHERE card_id IN ({cards_sql})", params),
        (f"DELETE FROM {ReviewCard._meta.db_table} WHERE student_id IN ({users_sql})", params),
        (f"DELETE FROM {Answer._meta.db_table} WHERE student_id IN ({users_sql})", params),
        (f"DELETE FROM {AttemptItem._meta.db_table} WHERE attempt_id IN ({attempts_sql})", params),
        (f"DELETE FROM {Attempt._meta.db_table} WHERE student_id IN ({users_sql})", params),
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for sql, args in statements:
            cursor.execute(sql, args)
        count, _ = bench_users().delete()
    # The log-in limits count failures by username, not by foreign key.
    from accounts.models import ThrottleEvent

    ThrottleEvent.objects.filter(key__startswith=PREFIX).delete()
    return count


@contextlib.contextmanager
def explicit_timestamps(*fields):
    """Let bulk_create store the historical times we give instead of "now"."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


class Ids:
    """Primary keys handed out in advance, so children can point at parents without a
    round trip per batch."""

    def __init__(self, model):
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self.next = last + 1

    def take(self):
        value = self.next
        self.next += 1
        return value


class QuestionFacts:
    """What the simulation needs of a question: its options, its key and its difficulty."""

    def __init__(self, question, rng):
        self.id = question.pk
        self.mode = question.mode.name
        options = list(question.options.all())
        self.option_ids = [o.pk for o in options]
        # Difficulty as logits, with question-specific noise around the estimate.
        self.difficulty = (question.difficulty - 0.5) * 3 + rng.gauss(0, 0.6)
        if self.mode == "single":
            self.keys = [o.pk for o in options if o.is_correct]
            self.wrong = [o.pk for o in options if not o.is_correct]
        elif self.mode == "ordering":
            ranked = sorted(options, key=lambda o: (o.correct_position or o.position, o.pk))
            self.correct_order = [o.pk for o in ranked]
        else:
            self.left = [o for o in options if o.side == "left"]
            self.right_ids = [o.pk for o in options if o.side != "left"]
        self.usable = bool(self.option_ids) and (
            (self.mode == "single" and self.keys and self.wrong)
            or (self.mode == "ordering" and len(options) >= 2)
            or (self.mode == "matching" and len(self.left) >= 2)
        )

    def answer(self, correct, rng):
        """(selected option id, response, is_correct, score) for a right or wrong answer."""
        if self.mode == "single":
            chosen = self.keys[0] if correct else rng.choice(self.wrong)
            return chosen, {"option": chosen}, correct, 1.0 if correct else 0.0
        if self.mode == "ordering":
            order = self.correct_order[:]
            if not correct:
                i, j = rng.sample(range(len(order)), 2)
                order[i], order[j] = order[j], order[i]
            # Partial credit as the app gives it: the share of neighbouring pairs in the right order.
            rank = {pk: i for i, pk in enumerate(self.correct_order)}
            pairs = list(zip(order, order[1:]))
            score = sum(rank[a] < rank[b] for a, b in pairs) / len(pairs)
            return None, {"order": order}, score == 1.0, score
        pairs = {str(o.pk): o.match_id for o in self.left}
        if not correct:
            lefts = list(pairs)
            a, b = rng.sample(lefts, 2)
            pairs[a], pairs[b] = pairs[b], pairs[a]
        right = sum(pairs[str(o.pk)] == o.match_id for o in self.left)
        score = right / len(self.left)
        return None, {"pairs": pairs}, score == 1.0, score


def chance_correct(ability, difficulty):
    return 1 / (1 + math.exp(-(ability - difficulty)))


# The big tables are written as plain rows: bulk_create spends ~70 µs per row compiling SQL
# (measured: 367 s for the full scale on SQLite), which is most of the run. Parents are
# flushed before children, so the database never sees a dangling reference.
COLUMNS = {
    Attempt: ["id", "student", "mode", "question_set", "assignment", "title", "show_score", "show_answers",
              "results_shown_at", "started_at", "finished_at", "question_count", "answered_count", "correct_count",
              "score"],
    AttemptItem: ["id", "attempt", "question", "position", "option_order", "shown_at"],
    Answer: ["id", "item", "student", "question", "selected_option", "response", "is_correct", "score",
             "time_taken_ms", "answered_at"],
    ReviewCard: ["id", "student", "question", "fsrs_state", "due", "last_review", "reviews"],
}


def insert_rows(model, rows):
    columns = [model._meta.get_field(name).column for name in COLUMNS[model]]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is PostgreSQL's bulk path: several times faster than multi-row INSERTs.
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # nosec B608 - our own names
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # nosec B608


class Generator:
    def __init__(self, params, *, batch_size, out):
        self.p = params
        self.batch_size = batch_size
        self.out = out
        self.rng = random.Random(params["seed"])  # nosec B311 - a reproducible simulation, not secrets
        self.now = timezone.now().replace(microsecond=0)
        self.pending = defaultdict(list)
        self.counts = defaultdict(int)
        self.cards = {}
        # Values as the database driver takes them (SQLite stores datetimes and JSON as text).
        self.db_time = connection.ops.adapt_datetimefield_value
        self.db_json = json.dumps

    # -- writing -------------------------------------------------------------------------

    def add(self, model, row):
        self.pending[model].append(row)
        if len(self.pending[model]) >= self.batch_size or len(self.pending[Answer]) >= self.batch_size:
            self.flush()

    def flush(self):
        for model in COLUMNS:
            rows = self.pending.pop(model, [])
            if rows:
                insert_rows(model, rows)
                self.counts[model.__name__] += len(rows)

    # -- the run -------------------------------------------------------------------------

    def run(self):
        p = self.p
        bank = [
            QuestionFacts(q, self.rng)
            for q in Question.objects.live().prefetch_related("options").order_by("pk")
        ]
        bank = [q for q in bank if q.usable]
        if len(bank) < HOT_SET_SIZE:
            raise CommandError(
                f"Only {len(bank)} usable questions: load the interview and generate the question bank first "
                "(manage.py load_interview; manage.py generate_questions)."
            )
        self.bank = {q.id: q for q in bank}
        started = time.monotonic()
        with explicit_timestamps(Enrollment._meta.get_field("joined_at")):
            teachers, students = self.make_users()
            classes = self.make_classes(teachers, students)
            sets = self.make_sets(teachers, bank)
            assignments, hot = self.make_assignments(classes, sets)
            self.make_attempts(classes, assignments, hot)
            self.make_cards()
        self.reset_sequences()
        with connection.cursor() as cursor:
            # Fresh planner statistics, as autovacuum would soon gather on a live server.
            cursor.execute("ANALYZE")
        return time.monotonic() - started

    def make_users(self):
        User = get_user_model()
        password = make_password(PASSWORD)
        n_teachers = max(1, math.ceil(self.p["classes"] / CLASSES_PER_TEACHER))
        teachers = [
            User(username=f"{PREFIX}t{i:03d}", first_name=f"Teacher {i}", password=password) for i in range(n_teachers)
        ]
        students = [
            User(username=f"{PREFIX}s{i:05d}", first_name=f"Student {i}", password=password)
            for i in range(self.p["students"])
        ]
        User.objects.bulk_create(teachers + students, batch_size=self.batch_size)
        # Primary keys back from the database (SQLite and PostgreSQL both return them, but be safe).
        ids = dict(bench_users().values_list("username", "pk"))
        for user in teachers + students:
            user.pk = ids[user.username]
        group = ensure_teacher_group()
        User.groups.through.objects.bulk_create([User.groups.through(user_id=t.pk, group_id=group.pk) for t in teachers])
        for s in students:
            s.ability = self.rng.gauss(0.6, 1.0)
        self.counts["User"] = len(teachers) + len(students)
        return teachers, students

    def make_classes(self, teachers, students):
        n = self.p["classes"]
        classes = [
            Classroom(teacher=teachers[i // CLASSES_PER_TEACHER], name=f"Bench class {i + 1:03d}", join_code=f"BN{i:06d}")
            for i in range(n)
        ]
        Classroom.objects.bulk_create(classes)
        classes = list(Classroom.objects.filter(teacher__in=teachers).order_by("name"))
        big = min(self.p["big_class"], len(students))
        rosters = [students[:big]] + [[] for _ in range(n - 1)]
        for i, s in enumerate(students[big:]):
            rosters[1 + i % (n - 1) if n > 1 else 0].append(s)
        joined = self.now - timedelta(days=70)
        Enrollment.objects.bulk_create(
            [Enrollment(classroom=c, student=s, joined_at=joined) for c, roster in zip(classes, rosters) for s in roster],
            batch_size=self.batch_size,
        )
        for c, roster in zip(classes, rosters):
            c.roster = roster
        self.counts["Classroom"] = n
        self.counts["Enrollment"] = len(students)
        return classes

    def make_sets(self, teachers, bank):
        n = self.p["sets"]
        params = json.dumps({k: v for k, v in self.p.items() if k != "reset"}, sort_keys=True)
        sets = []
        for i in range(n):
            owner = teachers[i % len(teachers)]
            title = HOT_SET_TITLE if i == 0 else f"Bench set {i:03d}"
            sets.append(
                QuestionSet(
                    owner=owner,
                    title=title,
                    # The hot set records the parameters, so a rerun can tell the data is already there.
                    description=params if i == 0 else "",
                    visibility=Visibility.CLASS,
                    # As a practice set: unlimited attempts, everything shown after each question.
                    max_attempts=0,
                    show_score=ReviewTime.EACH_QUESTION,
                    show_answers=ReviewTime.EACH_QUESTION,
                    shuffle_options=True,
                )
            )
        QuestionSet.objects.bulk_create(sets)
        sets = list(QuestionSet.objects.filter(owner__in=teachers).order_by("pk"))
        items = []
        for i, qs in enumerate(sets):
            size = HOT_SET_SIZE if i == 0 else self.rng.randint(8, 20)
            chosen = self.rng.sample(bank, min(size, len(bank)))
            qs.facts = chosen
            items += [SetItem(question_set=qs, question_id=q.id, position=k) for k, q in enumerate(chosen, start=1)]
        SetItem.objects.bulk_create(items, batch_size=self.batch_size)
        self.counts["QuestionSet"] = len(sets)
        self.counts["SetItem"] = len(items)
        return sets

    def make_assignments(self, classes, sets):
        by_owner = defaultdict(list)
        for qs in sets:
            by_owner[qs.owner_id].append(qs)
        rows = []
        for c in classes:
            # Only the class of 500 gets the hot set, so its answer count is exactly as asked.
            own = [qs for qs in by_owner[c.teacher_id] if qs is not sets[0]]
            if c is classes[0]:
                chosen = [sets[0]] + self.rng.sample(own, min(ASSIGNMENTS_PER_CLASS - 1, len(own)))
            else:
                chosen = self.rng.sample(own, min(ASSIGNMENTS_PER_CLASS, len(own)))
            for k, qs in enumerate(chosen):
                rows.append(Assignment(classroom=c, question_set=qs, due_at=self.now + timedelta(days=7 * (k - 2))))
        Assignment.objects.bulk_create(rows, batch_size=self.batch_size)
        by_pair = {
            (a.classroom_id, a.question_set_id): a for a in Assignment.objects.filter(classroom__in=classes)
        }
        sets_by_id = {qs.pk: qs for qs in sets}
        per_class = defaultdict(list)
        for (class_id, set_id), a in by_pair.items():
            a.qs = sets_by_id[set_id]
            per_class[class_id].append(a)
        self.counts["Assignment"] = len(rows)
        hot = by_pair[(classes[0].pk, sets[0].pk)]
        return per_class, hot

    def make_attempts(self, classes, per_class, hot):
        self.attempt_ids = Ids(Attempt)
        self.item_ids = Ids(AttemptItem)
        self.answer_ids = Ids(Answer)
        hot_students = classes[0].roster
        hot_total = min(self.p["hot_answers"], self.p["answers"])
        # The hot set: the class of 500 answers it again and again until it holds hot_total answers.
        per_student = hot_total / max(1, len(hot_students))
        remaining = hot_total
        for s in hot_students:
            quota = min(remaining, round(per_student))
            remaining -= quota
            while quota > 0:
                quota -= self.attempt(s, hot, quota)
        everyone = [s for c in classes for s in c.roster]
        fallback = [a for group in per_class.values() for a in group if a is not hot] or [hot]
        rest = self.p["answers"] - hot_total + remaining
        base, extra = divmod(rest, max(1, len(everyone)))
        for i, s in enumerate(everyone):
            quota = base + (1 if i < extra else 0)
            options = [a for a in per_class[self._class_of(s, classes).pk] if a is not hot] or fallback
            while quota > 0:
                quota -= self.attempt(s, self.rng.choice(options), quota)
        self.flush()

    def _class_of(self, student, classes):
        if not hasattr(self, "_class_by_student"):
            self._class_by_student = {s.pk: c for c in classes for s in c.roster}
        return self._class_by_student[student.pk]

    def attempt(self, student, assignment, quota):
        """One attempt at the assignment's set; returns the number of answers recorded.
        An attempt with fewer answers than questions is left unfinished, as students do."""
        rng, db_time, db_json = self.rng, self.db_time, self.db_json
        facts = assignment.qs.facts
        answered = min(quota, len(facts))
        started = self.now - timedelta(days=rng.uniform(0.2, 60))
        attempt_id = self.attempt_ids.take()
        at = started
        correct_count, score_sum = 0, 0.0
        items, answers = [], []
        for position, q in enumerate(facts, start=1):
            item_id = self.item_ids.take()
            order = q.option_ids[:]
            rng.shuffle(order)
            items.append((item_id, attempt_id, q.id, position, db_json(order), db_time(at)))
            if position > answered:
                continue
            taken = int(rng.lognormvariate(9.6, 0.6))  # about 15 s, sometimes a minute
            at = at + timedelta(milliseconds=taken)
            right = rng.random() < chance_correct(student.ability, q.difficulty)
            selected, response, is_correct, score = q.answer(right, rng)
            correct_count += is_correct
            score_sum += score
            answers.append((self.answer_ids.take(), item_id, student.pk, q.id, selected, db_json(response),
                            is_correct, score, taken, db_time(at)))
            card = self.cards.setdefault((student.pk, q.id), [0, at, is_correct])
            card[0] += 1
            if at >= card[1]:
                card[1], card[2] = at, is_correct
        finished = at if answered == len(facts) else None
        self.add(Attempt, (
            attempt_id, student.pk, Attempt.Mode.SET.value, assignment.qs.pk, assignment.pk, assignment.qs.title,
            ReviewTime.EACH_QUESTION.value, ReviewTime.EACH_QUESTION.value, db_time(started), db_time(started),
            finished and db_time(finished), len(facts), answered, correct_count, score_sum,
        ))
        self.pending[AttemptItem] += items
        self.pending[Answer] += answers
        return answered

    def make_cards(self):
        ids = Ids(ReviewCard)
        db_time = self.db_time
        for (student_id, question_id), (reviews, last, correct) in self.cards.items():
            stability = self.rng.uniform(2, 30) if correct else self.rng.uniform(0.2, 2)
            due = last + timedelta(days=stability)
            # The same shape fsrs's Card.to_dict() gives (building Card objects is ten times slower).
            state = {
                "card_id": question_id,
                "state": (State.Review if correct else State.Relearning).value,
                "step": None if correct else 0,
                "stability": stability,
                "difficulty": self.rng.uniform(3, 8),
                "due": due.isoformat(),
                "last_review": last.isoformat(),
            }
            self.add(ReviewCard, (ids.take(), student_id, question_id, self.db_json(state), db_time(due),
                                  db_time(last), reviews))
        self.flush()

    def reset_sequences(self):
        # We chose the primary keys ourselves; PostgreSQL's sequences must move past them.
        statements = connection.ops.sequence_reset_sql(no_style(), [Attempt, AttemptItem, Answer, ReviewCard])
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


class Command(BaseCommand):
    help = (
        "Generate synthetic students, classes, sets, attempts, answers and review cards on top of the interview "
        "content, for benchmarks. Synthetic users are named bench_*; --reset removes only them and their data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="District scale: " + json.dumps(FULL))
        parser.add_argument("--students", type=int, help=f"Students (default {SMALL['students']}).")
        parser.add_argument("--classes", type=int, help=f"Classes (default {SMALL['classes']}).")
        parser.add_argument("--sets", type=int, help=f"Question sets (default {SMALL['sets']}).")
        parser.add_argument("--answers", type=int, help=f"Recorded answers in all (default {SMALL['answers']}).")
        parser.add_argument("--big-class", type=int, help="Students in the first class (the 'class of 500').")
        parser.add_argument("--hot-answers", type=int, help="Answers to the hot set (the item-analysis measurement).")
        parser.add_argument("--seed", type=int, default=1934)
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--reset", action="store_true", help="Remove existing synthetic data first.")
        parser.add_argument("--reset-only", action="store_true", help="Remove synthetic data and stop.")

    def handle(self, *args, **options):
        if options["reset"] or options["reset_only"]:
            started = time.monotonic()
            removed = reset_synthetic()
            self.stdout.write(f"Removed {removed} synthetic rows (users and their data) in {time.monotonic() - started:.1f} s.")
            if options["reset_only"]:
                return
        params = dict(FULL if options["full"] else SMALL)
        for key in params:
            if options.get(key) is not None:
                params[key] = options[key]
        params["seed"] = options["seed"]
        if params["students"] < 2 or params["classes"] < 1 or params["sets"] < 1:
            raise CommandError("Need at least 2 students, 1 class and 1 set.")
        if params["classes"] > params["students"]:
            raise CommandError("More classes than students: every class needs at least one student.")
        hot = QuestionSet.objects.filter(title=HOT_SET_TITLE, owner__username__startswith=PREFIX).first()
        if hot is not None:
            if hot.description == json.dumps(params, sort_keys=True):
                self.stdout.write("Synthetic data with these parameters is already present; nothing to do.")
                return
            raise CommandError("Synthetic data with other parameters is present: add --reset to replace it.")
        self.stdout.write("Generating: " + ", ".join(f"{k}={v:,}" for k, v in params.items()))
        generator = Generator(params, batch_size=options["batch_size"], out=self.stdout)
        with transaction.atomic():
            seconds = generator.run()
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # Set the visibility map, as autovacuum soon would on a live server: index-only
            # scans (item analysis) depend on it. VACUUM cannot run inside a transaction.
            started = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            seconds += time.monotonic() - started
        summary = ", ".join(f"{generator.counts[k]:,} {k}" for k in sorted(generator.counts))
        self.stdout.write(self.style.SUCCESS(f"Generated {summary} in {seconds:.1f} s."))
