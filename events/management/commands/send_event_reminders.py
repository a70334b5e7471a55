from datetime import timedelta

from django.core.management.base import BaseCommand

from events.services import send_due_reminders, send_feedback_requests


class Command(BaseCommand):
    help = (
        "Email registrants a reminder before their event, and attendees a request "
        "for feedback after it. The worker does this every five minutes on its own schedule "
        "(events/jobs.py); this runs it now. Nobody is emailed twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=float,
            default=24,
            help="Remind people this many hours before the event starts (24).",
        )
        parser.add_argument(
            "--no-feedback",
            action="store_true",
            help="Send reminders only, no feedback requests.",
        )

    def handle(self, *args, hours, no_feedback, **options):
        progress = self.stdout.write if options["verbosity"] >= 1 else lambda s: None
        reminded = send_due_reminders(before=timedelta(hours=hours), progress=progress)
        self.stdout.write(f"Reminders sent: {reminded}")
        if not no_feedback:
            asked = send_feedback_requests(progress=progress)
            self.stdout.write(f"Feedback requests sent: {asked}")
