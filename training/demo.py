"""Demo Carbon Literacy training: a course, cohorts in every state (taking
sign-ups, running, finished, with evidence due and late), and elected members of
several councils at every stage from waiting list to pledges done. Safe to run
twice."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from network.demo import DEMO_PASSWORD, demo_member
from network.models import Member, Organisation

from . import models

# key, name, email, council
COUNCILLORS = [
    ("cllr_glasgow", "Cllr Ruth Kennedy", "cllr.ruth.kennedy@glasgow.gov.uk", "Glasgow City Council"),
    ("cllr_edinburgh", "Cllr Alasdair Reid", "cllr.alasdair.reid@edinburgh.gov.uk", "City of Edinburgh Council"),
    ("cllr_aberdeen", "Cllr Shona Mackay", "cllr.shona.mackay@aberdeencity.gov.uk", "Aberdeen City Council"),
    ("cllr_stirling", "Cllr Douglas Lindsay", "cllr.douglas.lindsay@stirling.gov.uk", "Stirling Council"),
    ("cllr_perth", "Cllr Isla Morrison", "cllr.isla.morrison@pkc.gov.uk", "Perth and Kinross Council"),
    ("cllr_dundee", "Cllr Graeme Watt", "cllr.graeme.watt@dundeecity.gov.uk", "Dundee City Council"),
    ("cllr_highland", "Cllr Catriona Munro", "cllr.catriona.munro@highland.gov.uk", "The Highland Council"),
    ("cllr_fife", "Cllr Alan Drummond", "cllr.alan.drummond@fife.gov.uk", "Fife Council"),
    ("cllr_falkirk", "Cllr Morven Kerr", "cllr.morven.kerr@falkirk.gov.uk", "Falkirk Council"),
    ("cllr_angus", "Cllr Bruce Ogilvie", "cllr.bruce.ogilvie@angus.gov.uk", "Angus Council"),
    ("cllr_glasgow_2", "Cllr Nadia Hussain", "cllr.nadia.hussain@glasgow.gov.uk", "Glasgow City Council"),
]  # fmt: skip

# learner key -> (cohort, stage)
STAGES = {
    "councillor": ("dundee", "certified_done"),
    "cllr_dundee": ("dundee", "sent"),
    "cllr_glasgow": ("cross", "certified"),
    "cllr_edinburgh": ("cross", "submitted"),
    "cllr_aberdeen": ("cross", "draft"),
    "cllr_stirling": ("cross", "trained"),
    "cllr_perth": ("cross", "enrolled"),
    "cllr_highland": ("cross", "waiting"),
    # Finished 25 days ago: evidence late, one not written, one not yet sent.
    "cllr_fife": ("late", "trained"),
    "cllr_falkirk": ("late", "submitted"),
    # Running now: the first session is over, the second to come.
    "cllr_angus": ("running", "enrolled"),
    "cllr_glasgow_2": ("running", "enrolled"),
}


def create_demo(members: dict, stdout) -> None:
    organisations = {o.name: o for o in Organisation.objects.all()}
    for key, name, email, council in COUNCILLORS:
        members[key] = demo_member(
            email, name, "Councillor", council, "elected", Member.Approval.APPROVED
        )

    course, _ = models.Course.objects.get_or_create(
        name="Carbon Literacy for elected members",
        defaults={
            "toolkit_version": "Elected members toolkit, adapted for Scotland, v2",
            "training_partner": "Keep Scotland Beautiful",
            "description": "A day's training on climate science, its impact on "
            "Scotland's cities and what councillors can do, leading to "
            "certification as **Carbon Literate** by the Carbon Literacy Project.",
        },
    )
    today = timezone.localdate()
    cohorts = {
        "dundee": _cohort(
            course,
            "Dundee City Council, winter",
            organisations["Dundee City Council"],
            members.get("coordinator"),
            today - timedelta(days=200),
            models.Cohort.Mode.IN_PERSON,
            "City Chambers, Dundee",
        ),
        "cross": _cohort(
            course,
            "Cross-city cohort, online",
            None,
            members.get("coordinator"),
            today - timedelta(days=20),
            models.Cohort.Mode.ONLINE,
            "",
        ),
    }
    trainer = members.get("ksb") or members.get("coordinator")
    cohorts["late"] = _cohort(
        course,
        "Fife and Falkirk councillors, autumn",
        None,
        trainer,
        today - timedelta(days=32),
        models.Cohort.Mode.IN_PERSON,
        "Fife House, Glenrothes",
    )
    # The first session started yesterday and the second is in six days.
    cohorts["running"] = _cohort(
        course,
        "Angus and Glasgow councillors, this month",
        None,
        trainer,
        today - timedelta(days=1),
        models.Cohort.Mode.ONLINE,
        "",
    )
    _cohort(
        course,
        "Cross-city cohort, spring (taking sign-ups)",
        None,
        members.get("coordinator"),
        today + timedelta(days=30),
        models.Cohort.Mode.IN_PERSON,
        "Stirling",
        deadline=today + timedelta(days=21),
    )
    _cohort(
        course,
        "Highland councillors, summer (taking sign-ups)",
        organisations["The Highland Council"],
        trainer,
        today + timedelta(days=90),
        models.Cohort.Mode.IN_PERSON,
        "Council Headquarters, Inverness",
    )
    for key, (cohort_key, stage) in STAGES.items():
        if key in members:
            _learner(
                cohorts[cohort_key], members[key], stage, members.get("coordinator")
            )
    _reminded_on_day_10(cohorts["cross"])
    stdout.write(
        f"  1 course, {models.Cohort.objects.count()} cohorts (taking sign-ups, running, "
        f"finished, evidence due and late), {len(STAGES)} elected members at every "
        f"stage; {len(COUNCILLORS)} extra councillors (password {DEMO_PASSWORD})"
    )


def _reminded_on_day_10(cohort) -> None:
    """The cross-city cohort is past day 10 of its evidence clock: its learners
    without evidence had that reminder, as the schedule would have sent it."""
    for enrolment in cohort.enrolments.filter(
        status=models.Enrolment.Status.CONFIRMED
    ).exclude(evidence__status__in=["submitted", "sent", "certified"]):
        models.EvidenceReminder.objects.get_or_create(enrolment=enrolment, day=10)


def _cohort(course, name, council, trainer, first_day, mode, location, deadline=None):
    cohort, created = models.Cohort.objects.get_or_create(
        course=course,
        name=name,
        defaults={
            "organisation": council,
            "trainer": trainer,
            "mode": mode,
            "location": location,
            "capacity": 6,
            "signup_deadline": deadline,
        },
    )
    if created:
        for i, title in enumerate(
            ["Climate science and impacts", "What councils can do"]
        ):
            models.Session.objects.create(
                cohort=cohort,
                title=title,
                starts_at=timezone.make_aware(
                    datetime.combine(first_day + timedelta(days=7 * i), time(9, 30))
                ),
                hours=Decimal(4),
            )
    return cohort


def _learner(cohort, member, stage, trainer):
    if models.Enrolment.objects.filter(cohort=cohort, member=member).exists():
        return
    waiting = stage == "waiting"
    enrolment = models.Enrolment.objects.create(
        cohort=cohort,
        member=member,
        status=models.Enrolment.Status.WAITING
        if waiting
        else models.Enrolment.Status.CONFIRMED,
    )
    if stage in ("waiting", "enrolled"):
        return
    for session in cohort.sessions.all():
        models.Attendance.objects.create(
            enrolment=enrolment,
            session=session,
            hours=session.hours,
            recorded_by=trainer,
        )
    enrolment.hours_attended = sum(s.hours for s in cohort.sessions.all())
    enrolment.save(update_fields=["hours_attended"])
    if stage == "trained":
        return
    status = {
        "draft": models.Evidence.Status.DRAFT,
        "submitted": models.Evidence.Status.SUBMITTED,
        "sent": models.Evidence.Status.SENT,
    }.get(stage, models.Evidence.Status.CERTIFIED)
    now = timezone.now()
    evidence = models.Evidence.objects.create(
        enrolment=enrolment,
        status=status,
        learning="How little of the carbon budget is left, and how fast it goes.",
        role="Planning, transport and procurement decisions lock in emissions "
        "for decades; I vote on all three.",
        sharing="A briefing for my group and a question at full council.",
        submitted_at=None if stage == "draft" else now,
        sent_at=now if status in ("sent", "certified") else None,
        sent_by=trainer if status in ("sent", "certified") else None,
        certificate_number=f"CLP-DEMO-{member.pk:04d}" if status == "certified" else "",
        certified_on=(
            timezone.localdate() - timedelta(days=120)
            if status == "certified"
            else None
        ),
    )
    done = stage == "certified_done"
    target = timezone.localdate() + timedelta(days=180)
    models.Pledge.objects.create(
        evidence=evidence,
        kind=models.Pledge.Kind.INDIVIDUAL,
        category=models.Pledge.Category.TRANSPORT,
        action="Travel to council meetings by bus, train or bike.",
        target_date=target,
        progress=models.Pledge.Progress.DONE
        if done
        else models.Pledge.Progress.NOT_STARTED,
        progress_note="Every meeting since March." if done else "",
    )
    models.Pledge.objects.create(
        evidence=evidence,
        kind=models.Pledge.Kind.GROUP,
        category=models.Pledge.Category.PROCUREMENT,
        action="Propose whole-life carbon as a scored criterion in procurement.",
        target_date=target,
        progress=models.Pledge.Progress.UNDER_WAY
        if done
        else models.Pledge.Progress.NOT_STARTED,
    )
