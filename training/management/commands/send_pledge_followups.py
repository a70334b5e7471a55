from django.core.management.base import BaseCommand

from training.services import due_followups, send_pledge_followup


class Command(BaseCommand):
    help = (
        "Ask certified learners how their pledges are going, 3, 6 and 12 months "
        "after certification. Run it daily; each milestone's request goes once."
    )

    def handle(self, *args, **options):
        sent = 0
        for evidence, months in due_followups():
            if send_pledge_followup(evidence, months):
                sent += 1
                self.stdout.write(
                    f"  {months}-month follow-up to {evidence.enrolment.member.email}"
                )
        self.stdout.write(self.style.SUCCESS(f"{sent} pledge follow-up(s) sent."))
