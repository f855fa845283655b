from django.core.management.base import BaseCommand, CommandError

from quiz.generation import DEFAULT_SEED, generate, generated_kinds
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
        if summary.skipped:
            self.stdout.write("")
            self.stdout.write(f"Skipped ({len(summary.skipped)}):")
            for record in summary.skipped:
                line = f"  {record.kind:<17} {record.key}: {record.reason}"
                self.stdout.write(self.style.WARNING(line) if record.reason.startswith("invalid") else line)
        self.stdout.write(self.style.SUCCESS(f"Question bank ready: {live.count()} live generated questions."))
