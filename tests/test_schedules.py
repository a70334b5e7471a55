"""The schedules run on the worker (Procrastinate periodic tasks, no cron), and two
workers taking the same due work at once send nothing twice."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from procrastinate.contrib.django import app

from events import jobs as event_jobs
from tests.events.factories import make_event, make_registration
from tests.factories import make_member
from tests.queue import run_workers
from tests.training.factories import make_evidence
from training import jobs as training_jobs
from training.models import Evidence

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_schedules_are_periodic_tasks_of_the_worker():
    crons = {
        task.name: task_cron
        for task, task_cron in (
            (p.task, p.cron) for p in app.periodic_registry.periodic_tasks.values()
        )
    }
    assert crons["events.jobs.send_event_reminders"] == "*/5 * * * *"
    assert crons["training.jobs.send_pledge_followups"] == "0 8 * * *"
    assert crons["training.jobs.send_evidence_reminders"] == "0 9 * * *"
    # Expired sessions (tests/trust/test_sessions.py), every hour.
    assert crons["kit.jobs.clear_expired_sessions"] == "41 * * * *"


def test_two_workers_on_the_same_due_reminders_remind_each_registrant_once():
    soon = make_event(starts_at=timezone.now() + timedelta(hours=3))
    ended = make_event(starts_at=timezone.now() - timedelta(days=1))
    registrants = [make_member() for _ in range(12)]
    for member in registrants:
        make_registration(soon, member)
        make_registration(ended, member, attended=True)
    # Two ticks queued at once (a worker that was down catches up, say), taken by
    # two workers at the same moment.
    now = int(time.time())
    event_jobs.send_event_reminders.defer(timestamp=now - 300)
    event_jobs.send_event_reminders.defer(timestamp=now)

    run_workers(2)

    reminders = [m.to[0] for m in mail.outbox if m.subject.count("Reminder")]
    feedback = [m.to[0] for m in mail.outbox if "/feedback/" in m.body]
    emails = sorted(member.email for member in registrants)
    assert sorted(reminders) == emails
    assert sorted(feedback) == emails
    assert len(mail.outbox) == 2 * len(registrants)


def test_two_workers_on_the_same_due_follow_ups_ask_each_learner_once():
    long_ago = timezone.localdate() - timedelta(days=200)
    learners = [
        make_evidence(status=Evidence.Status.CERTIFIED, certified_on=long_ago)
        for _ in range(6)
    ]
    now = int(time.time())
    training_jobs.send_pledge_followups.defer(timestamp=now - 86400)
    training_jobs.send_pledge_followups.defer(timestamp=now)

    run_workers(2)

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        e.enrolment.member.email for e in learners
    )
