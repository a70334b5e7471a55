from django.core.management.base import BaseCommand

from training.services import send_due_followups


class Command(BaseCommand):
    help = (
        "Ask certified learners how their pledges are going, 3, 6 and 12 months "
        "after certification. The worker does this every morning on its own "
        "schedule (training/jobs.py); this runs it now. Each request goes once."
    )

    def handle(self, *args, **options):
        sent = send_due_followups(progress=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"{sent} pledge follow-up(s) sent."))
