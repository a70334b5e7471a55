"""Training factories: valid defaults, any field overridable."""

import itertools
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from tests.factories import make_member
from training.models import Cohort, Course, Enrolment, Evidence, Pledge, Session

_ids = itertools.count(1)


def make_course(**fields) -> Course:
    fields.setdefault("name", f"Carbon Literacy for elected members {next(_ids)}")
    fields.setdefault("toolkit_version", "Elected members, Scotland v1")
    fields.setdefault("training_partner", "Keep Scotland Beautiful")
    return Course.objects.create(**fields)


def make_cohort(*, sessions=2, session_hours=4, days_ago=None, **fields) -> Cohort:
    """A cohort with sessions, a day apart, starting in 10 days; days_ago puts the
    end of the last session that many days back instead."""
    fields.setdefault("name", f"Cohort {next(_ids)}")
    if "course" not in fields:
        fields["course"] = make_course()
    cohort = Cohort.objects.create(**fields)
    start = timezone.now() + timedelta(days=10)
    if days_ago is not None:
        start = timezone.now() - timedelta(
            days=days_ago + sessions - 1, hours=session_hours
        )
    for i in range(sessions):
        Session.objects.create(
            cohort=cohort,
            title=f"Part {i + 1}",
            starts_at=start + timedelta(days=i),
            hours=Decimal(session_hours),
        )
    return cohort


def make_elected(**fields):
    fields.setdefault("member_type", "elected")
    fields.setdefault("job_title", "Councillor")
    return make_member(**fields)


def make_enrolment(cohort=None, member=None, **fields) -> Enrolment:
    fields.setdefault("status", Enrolment.Status.CONFIRMED)
    return Enrolment.objects.create(
        cohort=cohort or make_cohort(), member=member or make_elected(), **fields
    )


def make_evidence(
    enrolment=None, *, status=Evidence.Status.SUBMITTED, pledges=True, **fields
) -> Evidence:
    fields.setdefault("learning", "How fast the carbon budget runs out.")
    fields.setdefault("role", "Every planning decision is a climate decision.")
    fields.setdefault("sharing", "A briefing for my group.")
    if status == Evidence.Status.CERTIFIED:
        fields.setdefault("certificate_number", f"CL-{next(_ids):05d}")
        fields.setdefault("certified_on", timezone.localdate())
    if status in (Evidence.Status.SENT, Evidence.Status.CERTIFIED):
        fields.setdefault("sent_at", timezone.now())
    evidence = Evidence.objects.create(
        enrolment=enrolment or make_enrolment(), status=status, **fields
    )
    if pledges:
        target = timezone.localdate() + timedelta(days=200)
        Pledge.objects.create(
            evidence=evidence,
            kind="individual",
            category="transport",
            action="Cycle to the council chambers.",
            target_date=target,
        )
        Pledge.objects.create(
            evidence=evidence,
            kind="group",
            category="procurement",
            action="Put whole-life carbon into the procurement rules.",
            target_date=target,
        )
    return evidence


def cohort_form_data(cohort: Cohort, **changes) -> dict:
    """What the cohort form (site or admin) posts for ``cohort``, with changes."""
    data = {
        "course": cohort.course_id,
        "name": cohort.name,
        "organisation": cohort.organisation_id or "",
        "mode": cohort.mode,
        "location": cohort.location,
        "trainer": cohort.trainer.email if cohort.trainer_id else "",
        "capacity": cohort.capacity,
        "signup_deadline": cohort.signup_deadline or "",
        "sessions-TOTAL_FORMS": "0",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data
