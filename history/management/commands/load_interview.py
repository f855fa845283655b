from django.core.management.base import BaseCommand, CommandError

from history.loading import FIXTURE_PATH, TEXT_PATH, LoadError, load_interview


class Command(BaseCommand):
    help = "Load (or update) the interview, its figures, roles, events and assessed claims from the versioned fixture."

    def add_arguments(self, parser):
        parser.add_argument("--fixture", default=str(FIXTURE_PATH), help="Content JSON file.")
        parser.add_argument("--text", default=str(TEXT_PATH), help="The interview text file.")
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Replace rows an admin has edited when the fixture changed them too.",
        )

    def handle(self, *args, **options):
        try:
            report = load_interview(options["fixture"], options["text"], overwrite=options["overwrite"])
        except LoadError as exc:
            raise CommandError(f"Nothing was loaded:\n{exc}") from exc
        for line in report.lines():
            style = self.style.WARNING if line.startswith(("KEPT", "OVERWROTE")) else (lambda s: s)
            self.stdout.write(style(line))
        self.stdout.write(self.style.SUCCESS("Interview content is loaded."))
