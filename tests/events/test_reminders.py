"""The scheduled command: reminders before, feedback requests after, never twice."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.events.factories import make_event, make_registration
from tests.factories import make_member
from tests.queue import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def _run():
    out = StringIO()
    call_command("send_event_reminders", "--hours", "24", stdout=out)
    run_worker()
    return out.getvalue()


def test_reminders_go_once_to_confirmed_registrants_of_events_soon():
    soon = make_event(title="Tomorrow", starts_at=timezone.now() + timedelta(hours=20))
    later = make_event(starts_at=timezone.now() + timedelta(days=5))
    confirmed, waiting, cancelled = make_member(), make_member(), make_member()
    make_registration(soon, confirmed)
    make_registration(soon, waiting, status="waiting")
    make_registration(soon, cancelled, status="cancelled")
    make_registration(later, make_member())

    output = _run()
    assert "Reminders sent: 1" in output
    assert confirmed.email in output
    assert [m.to for m in mail.outbox] == [[confirmed.email]]
    assert "Reminder: Tomorrow" in mail.outbox[0].subject

    assert "Reminders sent: 0" in _run()
    assert len(mail.outbox) == 1


def test_feedback_requests_go_only_to_attendees_once():
    event = make_event(starts_at=timezone.now() - timedelta(days=1))
    came, stayed_away = make_member(), make_member()
    make_registration(event, came, attended=True)
    make_registration(event, stayed_away)
    output = _run()
    assert "Feedback requests sent: 1" in output
    assert [m.to for m in mail.outbox] == [[came.email]]
    assert "/feedback/" in mail.outbox[0].body
    _run()
    assert len(mail.outbox) == 1
