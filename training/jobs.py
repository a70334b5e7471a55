"""Training's schedules, run by the Procrastinate worker (no cron)."""

from procrastinate.contrib.django import app

from .services import send_due_evidence_reminders, send_due_followups


@app.periodic(cron="0 8 * * *", periodic_id="pledge-followups")
@app.task(queue="schedules")
def send_pledge_followups(timestamp: int) -> int:
    """Every morning at 08:00: the pledge follow-ups that fell due. Safe to run
    twice or on two workers at once (each follow-up is recorded once)."""
    return send_due_followups()


@app.periodic(cron="0 9 * * *", periodic_id="evidence-reminders")
@app.task(queue="schedules")
def send_evidence_reminders(timestamp: int) -> int:
    """Every morning at 09:00: remind learners who have not submitted their
    evidence, on day 10 of the evidence clock and on its last day. Safe to run
    twice or on two workers at once (each reminder is recorded once)."""
    return send_due_evidence_reminders()
