from django.core.management.base import BaseCommand

from training.services import send_due_evidence_reminders


class Command(BaseCommand):
    help = (
        "Remind learners to write their evidence on day 10 of the 14-day evidence "
        "clock and on its last day. The worker does this every morning on its own "
        "schedule (training/jobs.py); this runs it now. Each reminder goes once."
    )

    def handle(self, *args, **options):
        sent = send_due_evidence_reminders(progress=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"{sent} evidence reminder(s) sent."))
