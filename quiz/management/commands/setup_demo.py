from django.core.management.base import BaseCommand

from quiz.demo import ensure_demo_accounts, ensure_demo_class


class Command(BaseCommand):
    help = "Create the Teacher group and the demo admin, teacher and student accounts (idempotent)."

    def handle(self, *args, **options):
        for username, password, role, created in ensure_demo_accounts():
            state = "created" if created else "exists"
            self.stdout.write(f"  {role:<8} username: {username:<8} password: {password}  ({state})")
        self.stdout.write(self.style.SUCCESS("Demo accounts are ready."))
        for line in ensure_demo_class():
            self.stdout.write(f"  {line}")
