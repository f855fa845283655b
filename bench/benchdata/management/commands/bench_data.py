"""`manage.py bench_data --settings=bench.settings`: synthetic data at district scale, on top of
the real interview content and its generated question bank (for `make bench`).

The command lives in a bench-only app (bench/benchdata/, installed by bench/settings.py alone), so
the product neither ships it nor loads it. See bench/benchdata/shape.py for the scale and the names,
bench/benchdata/students.py for how answers are made and scored.
"""

import json
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from quiz.models import QuestionSet

from ...generator import Generator
from ...shape import FULL, GENERATOR_VERSION, HOT_SET_TITLE, PREFIX, SMALL
from ...tables import reset_synthetic

SIZES = {
    "students": "Students",
    "classes": "Classes",
    "sets": "Question sets",
    "answers": "Recorded answers in all",
    "big_class": "Students in the first class (the 'class of 500')",
    "hot_answers": "Answers to the hot set (the item-analysis measurement)",
}


def parameters(options):
    """The scale asked for: --full or the small default, each size overridable; raises CommandError
    for a shape that cannot be made."""
    params = dict(FULL if options["full"] else SMALL)
    params.update({key: options[key] for key in params if options.get(key) is not None})
    params["seed"] = options["seed"]
    if params["students"] < 2 or params["classes"] < 1 or params["sets"] < 1:
        raise CommandError("Need at least 2 students, 1 class and 1 set.")
    if params["classes"] > params["students"]:
        raise CommandError("More classes than students: every class needs at least one student.")
    return params


def record_of(params):
    """What the hot set's description keeps: the parameters and the generator that used them."""
    return json.dumps({**params, "generator": GENERATOR_VERSION}, sort_keys=True)


def vacuum():
    """Set the visibility map, as autovacuum soon would on a live server: index-only scans (item
    analysis) depend on it. Returns the seconds it took (none outside PostgreSQL)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return 0.0  # VACUUM cannot run inside a transaction
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return time.monotonic() - started


class Command(BaseCommand):
    help = (
        "Generate synthetic students, classes, sets, attempts, answers and review cards on top of the interview "
        "content, for benchmarks. Synthetic users are named bench_*; --reset removes only them and their data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="District scale: " + json.dumps(FULL))
        for key, what in SIZES.items():
            parser.add_argument(f"--{key.replace('_', '-')}", type=int, help=f"{what} (default {SMALL[key]:,}).")
        parser.add_argument("--seed", type=int, default=1934)
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--reset", action="store_true", help="Remove existing synthetic data first.")
        parser.add_argument("--reset-only", action="store_true", help="Remove synthetic data and stop.")

    def handle(self, *args, **options):
        if options["reset"] or options["reset_only"]:
            self.reset()
            if options["reset_only"]:
                return
        params = parameters(options)
        record = record_of(params)
        if self.already_present(record):
            self.stdout.write("Synthetic data with these parameters is already present; nothing to do.")
            return
        self.stdout.write("Generating: " + ", ".join(f"{k}={v:,}" for k, v in params.items()))
        generator = Generator(params, batch_size=options["batch_size"], record=record)
        with transaction.atomic():
            seconds = generator.run()
        seconds += vacuum()
        summary = ", ".join(f"{generator.counts[k]:,} {k}" for k in sorted(generator.counts))
        self.stdout.write(self.style.SUCCESS(f"Generated {summary} in {seconds:.1f} s."))

    def reset(self):
        started = time.monotonic()
        removed = reset_synthetic()
        self.stdout.write(
            f"Removed {removed} synthetic rows (users and their data) in {time.monotonic() - started:.1f} s."
        )

    def already_present(self, record):
        """True when data of these parameters is there; CommandError when other data is."""
        hot = QuestionSet.objects.filter(title=HOT_SET_TITLE, owner__username__startswith=PREFIX).first()
        if hot is None:
            return False
        if hot.description != record:
            raise CommandError("Synthetic data with other parameters is present: add --reset to replace it.")
        return True
