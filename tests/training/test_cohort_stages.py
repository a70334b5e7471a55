"""Which cohorts take sign-ups, the 14-day evidence clock from the end of the last
session, the trainer's list of evidence due, and the learners' reminders."""

import time
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from tests.conftest import client_for
from tests.training.factories import (
    make_cohort,
    make_elected,
    make_enrolment,
    make_evidence,
)
from training import jobs as training_jobs
from training.models import Cohort, Enrolment, Evidence, EvidenceReminder, Session
from training.services import enrol

pytestmark = pytest.mark.django_db


def _stage(cohort):
    return Cohort.objects.with_stage().get(pk=cohort.pk).stage


def test_a_cohort_in_the_past_refuses_a_sign_up():
    cohort = make_cohort(name="Autumn cohort", days_ago=3)
    learner = make_elected()
    url = reverse("training:join", args=[cohort.pk])
    learner_client = client_for(learner)

    page = learner_client.get(url)
    assertContains(page, "Autumn cohort is finished")
    assertContains(page, "no longer takes sign-ups")
    assertNotContains(page, "Confirm my place")

    response = learner_client.post(url, follow=True)
    assertContains(response, "no longer takes sign-ups")
    assert not Enrolment.objects.exists()
    # The service holds the rule too, for any other caller.
    with pytest.raises(ValidationError, match="no longer takes sign-ups"):
        enrol(cohort, learner)
    assert not Enrolment.objects.exists()


def test_a_cohort_whose_first_session_started_is_running_and_takes_no_one(client):
    cohort = make_cohort(name="Half-way cohort")
    first, second = cohort.sessions.all()
    first.starts_at = timezone.now() - timedelta(hours=1)
    first.save()
    assert _stage(cohort) == Cohort.Stage.RUNNING
    with pytest.raises(ValidationError, match="Half-way cohort is running"):
        enrol(cohort, make_elected())

    # Listed, but as running, with no way to sign up.
    page = client.get(reverse("training:signup"))
    assertContains(page, "Running and finished cohorts")
    assertContains(page, "Running")
    assertNotContains(page, "sign up to Half-way cohort")
    assertNotContains(page, reverse("training:join", args=[cohort.pk]))


def test_a_cohort_whose_sessions_are_to_come_takes_sign_ups(client):
    cohort = make_cohort(name="Spring cohort")
    assert _stage(cohort) == Cohort.Stage.TAKING_SIGNUPS
    assertContains(
        client.get(reverse("training:signup")), "Register and sign up to Spring cohort"
    )
    assert enrol(cohort, make_elected()).status == Enrolment.Status.CONFIRMED


def test_elected_members_home_lists_finished_cohorts_as_finished():
    make_cohort(name="Cohort of last year", days_ago=300)
    page = client_for(make_elected()).get(reverse("training:home"))
    assertContains(page, "Cohort of last year")
    assertContains(page, "Finished")
    assertNotContains(page, "Sign up to Cohort of last year")


# The evidence clock --------------------------------------------------------------


def _cohort_ending(day, *, at_hour=20, hours=6, **fields):
    """A one-session cohort that starts at ``at_hour`` (local) on ``day`` and lasts
    ``hours``: with the defaults it ends at 02:00 the next day."""
    cohort = make_cohort(sessions=0, **fields)
    starts = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    Session.objects.create(
        cohort=cohort,
        starts_at=starts + timedelta(hours=at_hour),
        hours=Decimal(hours),
    )
    return Cohort.objects.with_stage().get(pk=cohort.pk)


def test_the_evidence_clock_starts_when_the_last_session_ends(coordinator_client):
    today = timezone.localdate()
    # Started 15 days ago in the evening, ended after midnight 14 days ago: today
    # is the last day (counted from the start it would be a day late).
    cohort = _cohort_ending(today - timedelta(days=15))
    assert cohort.evidence_due_on == today
    assert cohort.evidence_days_left() == 0
    evidence = make_evidence(make_enrolment(cohort))
    review = coordinator_client.get(
        reverse("training:review", args=[evidence.enrolment.pk])
    )
    assertNotContains(review, "days late")

    late = _cohort_ending(today - timedelta(days=16))
    assert late.evidence_days_left() == -1
    late_evidence = make_evidence(make_enrolment(late))
    review = coordinator_client.get(
        reverse("training:review", args=[late_evidence.enrolment.pk])
    )
    assertContains(review, "within 14 days of the last session")
    assertContains(review, "is 1 days late")


def test_no_clock_while_sessions_are_to_come():
    cohort = Cohort.objects.with_stage().get(pk=make_cohort().pk)
    assert cohort.evidence_days_left() is None


def test_trainers_cohort_page_lists_every_learner_with_evidence_due(
    coordinator_client,
):
    cohort = make_cohort(days_ago=4)
    nothing = make_enrolment(cohort, make_elected(full_name="Cllr Nothing"))
    drafted = make_enrolment(cohort, make_elected(full_name="Cllr Draft"))
    make_evidence(drafted, status=Evidence.Status.DRAFT)
    submitted = make_enrolment(cohort, make_elected(full_name="Cllr Submitted"))
    make_evidence(submitted)
    sent = make_enrolment(cohort, make_elected(full_name="Cllr Sent"))
    make_evidence(sent, status=Evidence.Status.SENT)
    make_enrolment(
        cohort, make_elected(full_name="Cllr Waiting"), status=Enrolment.Status.WAITING
    )

    page = coordinator_client.get(cohort.get_absolute_url())

    due = page.context["evidence_due"]
    assert {row["enrolment"].pk for row in due} == {
        nothing.pk,
        drafted.pk,
        submitted.pk,
    }
    assertContains(page, "10 days left", count=3)
    assertContains(page, "The trainer to send it", count=1)
    assertContains(page, "The learner&#x27;s evidence", count=2)

    late = make_cohort(days_ago=20)
    make_enrolment(late, make_elected(full_name="Cllr Late"))
    assertContains(coordinator_client.get(late.get_absolute_url()), "6 days late")


# Reminders ---------------------------------------------------------------------


def _run_the_schedule(jobs):
    training_jobs.send_evidence_reminders.defer(timestamp=int(time.time()))
    jobs.run()


def _move_back(cohort, days):
    for session in cohort.sessions.all():
        session.starts_at -= timedelta(days=days)
        session.save()


def test_reminders_on_day_10_and_the_last_day_each_once(jobs):
    cohort = make_cohort(days_ago=10)
    nothing = make_enrolment(cohort)
    drafted = make_enrolment(cohort)
    make_evidence(drafted, status=Evidence.Status.DRAFT)
    make_evidence(make_enrolment(cohort))  # submitted: nothing to remind
    make_enrolment(cohort, status=Enrolment.Status.WAITING)
    learners = sorted([nothing.member.email, drafted.member.email])

    _run_the_schedule(jobs)
    assert sorted(m.to[0] for m in mail.outbox) == learners
    assert all("due by" in m.subject for m in mail.outbox)
    assert reverse("training:evidence", args=[nothing.pk]) in mail.outbox[0].body + (
        mail.outbox[1].body
    )

    _run_the_schedule(jobs)  # the same day again: nothing twice
    _move_back(cohort, 1)  # day 11
    _run_the_schedule(jobs)
    assert len(mail.outbox) == 2

    _move_back(cohort, 3)  # day 14, the last day
    _run_the_schedule(jobs)
    last_day = mail.outbox[2:]
    assert sorted(m.to[0] for m in last_day) == learners
    assert all("Today is the last day" in m.subject for m in last_day)
    _run_the_schedule(jobs)
    _move_back(cohort, 1)  # day 15: late, no more reminders
    _run_the_schedule(jobs)
    assert len(mail.outbox) == 4
    assert set(EvidenceReminder.objects.values_list("enrolment", "day")) == {
        (nothing.pk, 10),
        (drafted.pk, 10),
        (nothing.pk, 14),
        (drafted.pk, 14),
    }


def test_a_missed_day_10_is_sent_late_but_never_after_the_last_day(jobs):
    make_enrolment(make_cohort(days_ago=12))
    make_enrolment(make_cohort(days_ago=9))  # too early
    make_enrolment(make_cohort(days_ago=15))  # too late
    _run_the_schedule(jobs)
    assert len(mail.outbox) == 1
    assert "due by" in mail.outbox[0].subject
