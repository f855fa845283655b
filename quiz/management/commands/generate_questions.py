from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from quiz.generation import DEFAULT_SEED, generate, generated_kinds
from quiz.generation.facts import FACT_KINDS
from quiz.independence import near_duplicates
from quiz.models import Kind, Origin, Question


class Command(BaseCommand):
    help = (
        "Generate the question bank from the interview content (idempotent: unchanged questions are kept, "
        "questions whose facts changed or whose content is gone are retired, never rewritten)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"Random seed (default {DEFAULT_SEED}).")
        parser.add_argument(
            "--kind",
            action="append",
            choices=generated_kinds(),
            dest="kinds",
            metavar="KIND",
            help=f"Only this kind (repeatable): {', '.join(generated_kinds())}.",
        )
        parser.add_argument(
            "--near-duplicates",
            action="store_true",
            help="List the pairs of live questions that ask the same fact (quiz/independence.py).",
        )

    def handle(self, *args, **options):
        seed, kinds = options["seed"], options["kinds"]
        quiet = options["verbosity"] == 0
        if not quiet:
            self.stdout.write(f"Generating questions (seed {seed})…")

        def progress(kind, stats):
            if quiet:
                return
            self.stdout.write(
                f"  {Kind(kind).label:<28} {stats.created:>4} created {stats.kept + stats.restored:>4} kept "
                f"{stats.retired:>4} retired {stats.skipped:>4} skipped"
            )

        try:
            summary = generate(seed=seed, only=kinds, progress=progress)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

        if quiet:
            return
        live = Question.objects.live().filter(origin=Origin.GENERATED)
        live_by_kind = {kind: live.filter(kind=kind).count() for kind in summary.stats}
        self.stdout.write("")
        self.stdout.write("Summary")
        header = f"  {'kind':<20} {'created':>8} {'kept':>6} {'restored':>9} {'retired':>8} {'skipped':>8} {'live':>6}"
        self.stdout.write(header)
        for kind, stats in summary.stats.items():
            self.stdout.write(
                f"  {kind:<20} {stats.created:>8} {stats.kept:>6} {stats.restored:>9} {stats.retired:>8} "
                f"{stats.skipped:>8} {live_by_kind[kind]:>6}"
            )
        total = summary.totals
        self.stdout.write(
            f"  {'total':<20} {total.created:>8} {total.kept:>6} {total.restored:>9} {total.retired:>8} "
            f"{total.skipped:>8} {sum(live_by_kind.values()):>6}"
        )
        if summary.corrected_in_sets:
            self.stdout.write(
                f"Question sets now use the corrected version of {summary.corrected_in_sets} question"
                f"{'s' if summary.corrected_in_sets != 1 else ''} whose facts changed."
            )
        self.report_near_duplicates(live, listed=options["near_duplicates"])
        if summary.skipped:
            self.stdout.write("")
            self.stdout.write(f"Skipped ({len(summary.skipped)}):")
            for record in summary.skipped:
                line = f"  {record.kind:<17} {record.key}: {record.reason}"
                self.stdout.write(self.style.WARNING(line) if record.reason.startswith("invalid") else line)
        self.stdout.write(self.style.SUCCESS(f"Question bank ready: {live.count()} live generated questions."))

    def report_near_duplicates(self, live, *, listed):
        """How many pairs of live questions ask the same fact (practice and review never hold
        both of a pair), and with `listed` which."""
        pairs = near_duplicates(live.only("generator_key", "asks").order_by("id"))
        shared = Counter(kind for pair in pairs for kind in {fact.partition(":")[0] for fact in pair.facts})
        what = ", ".join(f"{count} {FACT_KINDS.get(kind, kind)}" for kind, count in shared.most_common())
        hint = "; --near-duplicates lists them" if pairs and not listed else ""
        self.stdout.write(
            f"Near-duplicates: {len(pairs)} pair{'s' if len(pairs) != 1 else ''} of questions ask the same fact"
            f"{f' ({what})' if what else ''}{hint}."
        )
        if listed:
            for pair in pairs:
                self.stdout.write(
                    f"  {pair.first.generator_key} ~ {pair.second.generator_key}: {', '.join(pair.facts)}"
                )
