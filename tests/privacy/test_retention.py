"""The retention rules with a moved clock: each removes exactly what is due,
and a second run does nothing more."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from events.models import Feedback, Registration
from network.models import Member
from portal.privacy.retention import apply_retention
from tests.events.factories import make_event, make_registration
from tests.factories import make_member

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def _later(days):
    return NOW + timedelta(days=days)


def test_unverified_sign_ups_go_after_30_days():
    unverified = make_member(approved=False, full_name="Never Verified")
    verified = make_member(approved=False, full_name="Did Verify")
    EmailAddress.objects.create(user=verified, email=verified.email, verified=True)
    assert apply_retention(now=_later(29))["unverified"] == 0
    assert apply_retention(now=_later(31))["unverified"] == 1
    unverified.refresh_from_db()
    verified.refresh_from_db()
    assert unverified.erased_at and verified.full_name == "Did Verify"
    assert apply_retention(now=_later(31))["unverified"] == 0


def test_rejected_applications_go_after_6_months():
    rejected = make_member(state=Member.Approval.REJECTED, decided_at=NOW)
    EmailAddress.objects.create(user=rejected, email=rejected.email, verified=True)
    assert apply_retention(now=_later(180))["rejected"] == 0
    assert apply_retention(now=_later(184))["rejected"] == 1
    rejected.refresh_from_db()
    assert rejected.erased_at


def test_needs_are_deleted_30_days_after_the_event_and_the_registration_stays():
    event = make_event(starts_at=NOW - timedelta(hours=3))
    later_event = make_event(starts_at=NOW + timedelta(days=20))
    member = make_member()
    done = make_registration(event, member, access_needs="Ramp", dietary_needs="Vegan")
    kept = make_registration(later_event, member, dietary_needs="Vegan")
    assert apply_retention(now=_later(29))["needs"] == 0
    assert apply_retention(now=_later(31))["needs"] == 1
    done.refresh_from_db()
    kept.refresh_from_db()
    assert (done.access_needs, done.dietary_needs) == ("", "")
    assert kept.dietary_needs == "Vegan"
    assert Registration.objects.filter(pk=done.pk).exists()
    assert apply_retention(now=_later(31))["needs"] == 0


def test_feedback_becomes_anonymous_after_12_months_and_still_counts():
    event = make_event(starts_at=NOW - timedelta(days=2))
    registration = make_registration(event, make_member(), attended=True)
    feedback = Feedback.objects.create(
        registration=registration, event=event, rating=4, comment="Useful"
    )
    assert apply_retention(now=_later(300))["feedback"] == 0
    assert apply_retention(now=_later(366))["feedback"] == 1
    feedback.refresh_from_db()
    assert feedback.registration is None and feedback.event == event
    assert feedback.rating == 4


def test_inactive_members_are_warned_then_erased_60_days_later(jobs):
    sleeper = make_member(full_name="Long Asleep", last_login=NOW)
    waker = make_member(full_name="Woke Up", last_login=NOW)
    three_years = 3 * 365 + 1
    assert apply_retention(now=_later(three_years - 2))["inactive"] == 0
    with jobs:
        assert apply_retention(now=_later(three_years))["inactive"] == 2
    warnings = [m for m in mail.outbox if "erased unless you sign in" in m.subject]
    assert {m.to[0] for m in warnings} == {sleeper.email, waker.email}
    # The warning goes once.
    assert apply_retention(now=_later(three_years + 1))["inactive"] == 0
    # One of them signs in (the signal clears the warning).
    from django.contrib.auth.signals import user_logged_in

    waker.refresh_from_db()
    user_logged_in.send(sender=Member, request=None, user=waker)
    # (The warning was stamped with the real clock; move it to the moved one.)
    Member.objects.filter(pk=sleeper.pk).update(
        inactivity_warned_at=_later(three_years)
    )
    assert apply_retention(now=_later(three_years + 59))["warned"] == 0
    assert apply_retention(now=_later(three_years + 61))["warned"] == 1
    sleeper.refresh_from_db()
    waker.refresh_from_db()
    assert sleeper.erased_at and not waker.erased_at


def test_dry_run_prints_what_is_due_and_changes_nothing(capsys):
    event = make_event(starts_at=NOW - timedelta(days=40))
    registration = make_registration(event, make_member(), access_needs="Ramp")
    call_command("apply_retention", "--dry-run")
    out = capsys.readouterr().out
    assert "needs: would act on 1" in out
    registration.refresh_from_db()
    assert registration.access_needs == "Ramp"
    call_command("apply_retention")
    registration.refresh_from_db()
    assert registration.access_needs == ""


def test_the_scheduler_runs_retention_daily():
    from procrastinate.contrib.django import app

    periodic = {
        task.task.name: task.cron
        for task in app.periodic_registry.periodic_tasks.values()
    }
    assert periodic["portal.privacy.jobs.apply_retention_daily"] == "17 3 * * *"
