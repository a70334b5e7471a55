"""Events' schedules, run by the Procrastinate worker (no cron)."""

from datetime import timedelta

from procrastinate.contrib.django import app

from .feeds import build_feed
from .services import send_due_reminders, send_feedback_requests

# Reminders go this long before an event starts.
REMINDER_BEFORE = timedelta(hours=24)


@app.periodic(cron="*/5 * * * *", periodic_id="event-reminders")
@app.task(queue="schedules")
def send_event_reminders(timestamp: int) -> dict:
    """Every five minutes: reminders for events starting within a day, and feedback
    requests to attendees of events that ended. Each registration is stamped under
    its own row lock, so a second run, or two workers at once, email nobody twice."""
    return {
        "reminded": send_due_reminders(before=REMINDER_BEFORE),
        "asked": send_feedback_requests(),
    }


# The shared feeds' builder is defined beside the feeds; named here so that the
# worker's autodiscovery of jobs modules finds it.
__all__ = ["build_feed", "send_event_reminders"]
