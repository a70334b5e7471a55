from django.core.management.base import BaseCommand

from portal.privacy.retention import apply_retention


class Command(BaseCommand):
    help = "Carry out the retention rules (portal/privacy/retention.py) now."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what is due; change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        apply_retention(dry_run=dry_run, out=self.stdout.write)
