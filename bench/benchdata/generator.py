"""Generating the synthetic data on top of the real interview content and its question bank.

Users, classes, enrollments, sets and assignments are few and go through bulk_create; attempts,
their items, answers and review cards are many and are written as rows (tables.py). Every answer
is a simulated student's form, scored and recorded by the product's code (students.py); the run
is seeded, so the same parameters give the same data.
"""

import math
import random
import time
from collections import defaultdict
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError
from django.db import connection
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
    ReviewTime,
    SetItem,
    Visibility,
)
from quiz.review_options import initial_results_shown_at
from quiz.scoring import answer_row, count_answer

from . import tables
from .shape import (
    ASSIGNMENTS_PER_CLASS,
    CLASSES_PER_TEACHER,
    HOT_SET_SIZE,
    HOT_SET_TITLE,
    PASSWORD,
    PREFIX,
    bench_users,
)
from .students import SimulatedQuestion, chance_correct

# As a practice set: unlimited attempts, score and answers shown after each question.
REVIEW = ReviewTime.EACH_QUESTION.value


def usable_bank(rng):
    """The live questions simulated students can answer, in id order."""
    questions = Question.objects.live().prefetch_related("options").order_by("pk")
    bank = [q for q in (SimulatedQuestion(question, rng) for question in questions) if q.usable]
    if len(bank) < HOT_SET_SIZE:
        raise CommandError(
            f"Only {len(bank)} usable questions: load the interview and generate the question bank first "
            "(manage.py load_interview; manage.py generate_questions)."
        )
    return bank


def quotas(total, people):
    """`total` shared out over `people` as evenly as whole numbers allow."""
    base, extra = divmod(total, max(1, len(people)))
    return [(person, base + (1 if i < extra else 0)) for i, person in enumerate(people)]


class Generator:
    def __init__(self, params, *, batch_size, record):
        """`record`: what the hot set's description keeps, so a rerun can tell the data is there."""
        self.p = params
        self.batch_size = batch_size
        self.record = record
        self.rng = random.Random(params["seed"])  # nosec B311 - a reproducible simulation, not secrets
        self.now = timezone.now().replace(microsecond=0)
        self.pending = defaultdict(list)
        self.counts = defaultdict(int)
        self.cards = {}

    # -- writing -------------------------------------------------------------------------

    def add(self, model, instances):
        self.pending[model] += instances
        if any(len(self.pending[m]) >= self.batch_size for m in tables.BULK_MODELS):
            self.flush()

    def flush(self):
        for model in tables.BULK_MODELS:
            instances = self.pending.pop(model, [])
            if instances:
                tables.insert(model, instances)
                self.counts[model.__name__] += len(instances)

    # -- the run -------------------------------------------------------------------------

    def run(self):
        """Generate everything in the current transaction; returns the seconds it took."""
        bank = usable_bank(self.rng)
        started = time.monotonic()
        self.ids = {model: tables.Ids(model) for model in tables.BULK_MODELS}
        with tables.explicit_timestamps(Enrollment._meta.get_field("joined_at")):
            teachers, students = self.make_users()
            classes = self.make_classes(teachers, students)
            sets = self.make_sets(teachers, bank)
            per_class, hot = self.make_assignments(classes, sets)
            self.make_attempts(classes, per_class, hot)
            self.make_cards()
        tables.reset_sequences()
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
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=t.pk, group_id=group.pk) for t in teachers]
        )
        for s in students:
            s.ability = self.rng.gauss(0.6, 1.0)
        self.counts["User"] = len(teachers) + len(students)
        return teachers, students

    def make_classes(self, teachers, students):
        n = self.p["classes"]
        classes = [
            Classroom(
                teacher=teachers[i // CLASSES_PER_TEACHER], name=f"Bench class {i + 1:03d}", join_code=f"BN{i:06d}"
            )
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
            [
                Enrollment(classroom=c, student=s, joined_at=joined)
                for c, roster in zip(classes, rosters)
                for s in roster
            ],
            batch_size=self.batch_size,
        )
        for c, roster in zip(classes, rosters):
            c.roster = roster
        self.counts["Classroom"] = n
        self.counts["Enrollment"] = len(students)
        return classes

    def make_sets(self, teachers, bank):
        sets = [
            QuestionSet(
                owner=teachers[i % len(teachers)],
                title=HOT_SET_TITLE if i == 0 else f"Bench set {i:03d}",
                description=self.record if i == 0 else "",
                visibility=Visibility.CLASS,
                max_attempts=0,
                show_score=REVIEW,
                show_answers=REVIEW,
                shuffle_options=True,
            )
            for i in range(self.p["sets"])
        ]
        QuestionSet.objects.bulk_create(sets)
        sets = list(QuestionSet.objects.filter(owner__in=teachers).order_by("pk"))
        items = []
        for i, qs in enumerate(sets):
            size = HOT_SET_SIZE if i == 0 else self.rng.randint(8, 20)
            qs.simulated = self.rng.sample(bank, min(size, len(bank)))
            items += [
                SetItem(question_set=qs, question_id=q.id, position=k) for k, q in enumerate(qs.simulated, start=1)
            ]
        SetItem.objects.bulk_create(items, batch_size=self.batch_size)
        self.counts["QuestionSet"] = len(sets)
        self.counts["SetItem"] = len(items)
        return sets

    def make_assignments(self, classes, sets):
        """Four sets of its teacher's for each class; the hot set only for the first (the class of
        500), so its answer count is exactly as asked. Returns ({class id: its assignments}, the
        hot set's assignment)."""
        by_owner = defaultdict(list)
        for qs in sets[1:]:
            by_owner[qs.owner_id].append(qs)
        rows = []
        for c in classes:
            own = by_owner[c.teacher_id]
            hot = [sets[0]] if c is classes[0] else []
            chosen = hot + self.rng.sample(own, min(ASSIGNMENTS_PER_CLASS - len(hot), len(own)))
            rows += [
                Assignment(classroom=c, question_set=qs, due_at=self.now + timedelta(days=7 * (k - 2)))
                for k, qs in enumerate(chosen)
            ]
        Assignment.objects.bulk_create(rows, batch_size=self.batch_size)
        sets_by_id = {qs.pk: qs for qs in sets}
        per_class = defaultdict(list)
        for a in Assignment.objects.filter(classroom__in=classes):
            a.qs = sets_by_id[a.question_set_id]
            per_class[a.classroom_id].append(a)
        self.counts["Assignment"] = len(rows)
        hot = next(a for a in per_class[classes[0].pk] if a.qs is sets[0])
        return per_class, hot

    def make_attempts(self, classes, per_class, hot):
        hot_total = min(self.p["hot_answers"], self.p["answers"])
        left_over = self.answer_hot_set(classes[0].roster, hot, hot_total)
        # Everyone else's answers go to their own class's other assignments.
        fallback = [a for group in per_class.values() for a in group if a is not hot] or [hot]
        everyone = [(s, c) for c in classes for s in c.roster]
        for (student, c), quota in quotas(self.p["answers"] - hot_total + left_over, everyone):
            choices = [a for a in per_class[c.pk] if a is not hot] or fallback
            while quota > 0:
                quota -= self.attempt(student, self.rng.choice(choices), quota)
        self.flush()

    def answer_hot_set(self, students, hot, total):
        """The class of 500 answers the hot set again and again until it holds `total` answers;
        returns how many of them are left over for the other sets."""
        per_student = round(total / max(1, len(students)))
        remaining = total
        for student in students:
            quota = min(remaining, per_student)
            remaining -= quota
            while quota > 0:
                quota -= self.attempt(student, hot, quota)
        return remaining

    def attempt(self, student, assignment, quota):
        """One attempt at the assignment's set; returns the number of answers recorded. An attempt
        with fewer answers than questions is left unfinished on the next question, as students do."""
        rng = self.rng
        questions = assignment.qs.simulated
        answered = min(quota, len(questions))
        started = self.now - timedelta(days=rng.uniform(0.2, 60))
        seed = rng.getrandbits(32)
        attempt = Attempt(
            pk=self.ids[Attempt].take(), student_id=student.pk, mode=Attempt.Mode.SET.value, question_set_id=assignment.qs.pk,
            assignment_id=assignment.pk, title=assignment.qs.title, show_score=REVIEW, show_answers=REVIEW,
            results_shown_at=initial_results_shown_at(REVIEW, started), started_at=started,
            question_count=len(questions),
        )  # fmt: skip
        at = started
        items, answers = [], []
        for position, q in enumerate(questions, start=1):
            item = AttemptItem(
                pk=self.ids[AttemptItem].take(), attempt_id=attempt.pk, question_id=q.id, position=position,
                option_order=q.option_order(seed), shown_at=at if position <= answered + 1 else None,
            )  # fmt: skip
            items.append(item)
            if position <= answered:
                answers.append(self.answer(student, attempt, item, q))
                at = answers[-1].answered_at
        self.add(Attempt, [attempt])
        self.add(AttemptItem, items)
        self.add(Answer, answers)
        return answered

    def answer(self, student, attempt, item, question):
        """The student's answer to the item shown at item.shown_at, scored and counted as the app
        does, and remembered for the student's review card."""
        taken = int(self.rng.lognormvariate(9.6, 0.6))  # about 15 s, sometimes a minute
        at = item.shown_at + timedelta(milliseconds=taken)
        right = self.rng.random() < chance_correct(student.ability, question.difficulty)
        scored = question.respond(item, right, self.rng)
        answer = answer_row(item, student.pk, scored, taken)
        answer.pk = self.ids[Answer].take()
        answer.answered_at = at
        count_answer(attempt, scored, at)
        card = self.cards.setdefault((student.pk, question.id), [0, at, scored.is_correct])
        card[0] += 1
        if at >= card[1]:
            card[1], card[2] = at, scored.is_correct
        return answer

    def make_cards(self):
        cards = []
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
            cards.append(
                ReviewCard(
                    pk=self.ids[ReviewCard].take(),
                    student_id=student_id,
                    question_id=question_id,
                    fsrs_state=state,
                    due=due,
                    last_review=last,
                    reviews=reviews,
                )  # fmt: skip
            )
            if len(cards) >= self.batch_size:
                self.add(ReviewCard, cards)
                cards = []
        self.add(ReviewCard, cards)
        self.flush()
