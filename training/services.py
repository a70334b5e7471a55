"""Writes to training, each with its side effects. Views, admin actions and the
follow-up command all call these, so each rule lives in one place."""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from kit.mail import send_templated_email
from network.audit.services import Action, record

from .models import (
    EVIDENCE_REMINDER_DAYS,
    FOLLOWUP_MONTHS,
    SEND_WITHIN_DAYS,
    Attendance,
    Cohort,
    Enrolment,
    Evidence,
    EvidenceReminder,
    Pledge,
    PledgeFollowup,
    Session,
    SignupIntent,
)


def _email(template: str, member, context: dict) -> None:
    # Queued in the caller's transaction: a rolled-back change tells nobody.
    send_templated_email(
        f"training/email/{template}", [member.email], {"member": member, **context}
    )


# Sign-up -------------------------------------------------------------------


def enrol(cohort: Cohort, member) -> Enrolment:
    """Give an elected member a place, or a waiting-list place when the cohort is
    full. Signing up again returns the existing enrolment (re-opening a cancelled one).

    Refused (ValidationError, saying why) once the cohort's first session has
    started or its sign-up deadline has passed.
    """
    if not member.is_elected_member:
        raise PermissionDenied(gettext("Only elected members take this training."))
    with transaction.atomic():
        # Lock the cohort so two people cannot both take its last place.
        cohort = (
            Cohort.objects.with_stage()
            .select_for_update(of=("self",))
            .get(pk=cohort.pk)
        )
        enrolment = Enrolment.objects.filter(cohort=cohort, member=member).first()
        if enrolment and enrolment.status != Enrolment.Status.CANCELLED:
            return enrolment
        if not cohort.takes_signups:
            raise ValidationError(cohort.signup_refusal)
        _count_taken(cohort)
        status = (
            Enrolment.Status.WAITING if cohort.is_full else Enrolment.Status.CONFIRMED
        )
        if enrolment:
            enrolment.status = status
            enrolment.created_at = timezone.now()
            enrolment.save(update_fields=["status", "created_at"])
        else:
            enrolment = Enrolment.objects.create(
                cohort=cohort, member=member, status=status
            )
        SignupIntent.objects.filter(member=member).delete()
    _email("enrolled", member, {"enrolment": enrolment, "cohort": cohort})
    return enrolment


def cancel_enrolment(enrolment: Enrolment) -> Enrolment | None:
    """Free the place and offer it to the first on the waiting list, returned."""
    with transaction.atomic():
        cohort = Cohort.objects.select_for_update().get(pk=enrolment.cohort_id)
        # The status as it is now, under the lock: a second cancel of the same
        # place (double click, another tab) must not promote a second learner.
        enrolment.refresh_from_db(fields=["status"])
        was_confirmed = enrolment.status == Enrolment.Status.CONFIRMED
        enrolment.status = Enrolment.Status.CANCELLED
        enrolment.save(update_fields=["status"])
        if not was_confirmed:
            return None
        promoted = _fill_free_places(cohort)
        return promoted[0] if promoted else None


def save_cohort(
    cohort: Cohort, *, sessions: list[Session], removed: list[Session]
) -> list[Enrolment]:
    """Save a cohort with its agenda's new and changed ``sessions`` (and without
    the ``removed`` ones), in one transaction; a raised capacity gives its new
    places to the waiting list. Returns those promoted, each emailed."""
    with transaction.atomic():
        cohort.save()
        for session in sessions:
            session.cohort = cohort
            session.save()
        for session in removed:
            session.delete()
        return promote_waiting(cohort)


def promote_waiting(cohort: Cohort) -> list[Enrolment]:
    """Give the cohort's free places (after its capacity was raised) to the first
    on its waiting list, in order; each is emailed. Returns those promoted.

    The cohort form and Django admin call this whenever a cohort is saved.
    """
    with transaction.atomic():
        cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
        return _fill_free_places(cohort)


def _count_taken(cohort: Cohort) -> None:
    """Count the cohort's places taken into ``cohort.taken`` (what
    ``Cohort.is_full`` reads); the caller holds the cohort's row lock."""
    cohort.taken = cohort.enrolments.filter(status=Enrolment.Status.CONFIRMED).count()


def _fill_free_places(cohort: Cohort) -> list[Enrolment]:
    # The caller holds the cohort's row lock.
    _count_taken(cohort)
    if cohort.is_full:
        return []
    free = cohort.capacity - cohort.taken
    promoted = list(
        cohort.enrolments.filter(status=Enrolment.Status.WAITING)
        .order_by("created_at", "pk")
        .select_related("member")[:free]
    )
    for enrolment in promoted:
        enrolment.status = Enrolment.Status.CONFIRMED
        enrolment.save(update_fields=["status"])
        _email("enrolled", enrolment.member, {"enrolment": enrolment, "cohort": cohort})
    return promoted


def remember_signup_intent(member, cohort: Cohort) -> None:
    """Someone registering from a cohort's sign-up link: bring them back there
    once they are approved (see resume_signup)."""
    SignupIntent.objects.update_or_create(member=member, defaults={"cohort": cohort})


def resume_signup(member) -> str | None:
    """The cohort sign-up page to send a newly approved member back to, once.

    The intent is used up here, so the member home shows normally afterwards.
    Only elected members have one (training/signals.py): the others' home costs
    no query for it.
    """
    if not member.is_elected_member:
        return None
    intent = SignupIntent.objects.filter(member=member).first()
    if intent is None:
        return None
    intent.delete()
    if (
        Enrolment.objects.filter(cohort_id=intent.cohort_id, member=member)
        .active()
        .exists()
    ):
        return None
    return reverse("training:join", args=[intent.cohort_id])


# Attendance -----------------------------------------------------------------


def record_attendance(session: Session, hours: dict, *, recorded_by) -> None:
    """Record hours attended per enrolment ({enrolment: Decimal}) and keep each
    enrolment's total in step. None or blank removes a record."""
    with transaction.atomic():
        for enrolment, value in hours.items():
            if enrolment.cohort_id != session.cohort_id:
                raise ValidationError(gettext("That learner is not in this cohort."))
            if value is None:
                Attendance.objects.filter(enrolment=enrolment, session=session).delete()
            else:
                if value < 0 or value > session.hours:
                    raise ValidationError(
                        gettext("Hours must be between 0 and %(most)s.")
                        % {"most": session.hours}
                    )
                Attendance.objects.update_or_create(
                    enrolment=enrolment,
                    session=session,
                    defaults={"hours": value, "recorded_by": recorded_by},
                )
            enrolment.hours_attended = (
                Enrolment.objects.filter(pk=enrolment.pk)
                .values_list(hours_attended(), flat=True)
                .get()
            )
            enrolment.save(update_fields=["hours_attended"])


def hours_attended():
    """An enrolment's ``hours_attended`` as an SQL expression over its row: its
    attendance records added up, 0 without any. The scale loader sets every
    enrolment's with it."""
    total = (
        Attendance.objects.filter(enrolment=OuterRef("pk"))
        .order_by()
        .values("enrolment")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return Coalesce(Subquery(total), Value(Decimal(0)), output_field=DecimalField())


# Evidence -------------------------------------------------------------------


def evidence_for(enrolment: Enrolment) -> Evidence:
    evidence, _ = Evidence.objects.get_or_create(enrolment=enrolment)
    return evidence


# What a pledge needs before the evidence goes to the trainer.
PLEDGE_FIELDS = ["kind", "category", "action", "target_date"]


@dataclass
class SubmissionErrors:
    """Why evidence cannot be submitted yet, field by field: ``answers`` is
    {answer field: message}, ``pledges`` one {pledge field: message} per pledge,
    in order. Falsy when it can be submitted."""

    answers: dict[str, str] = field(default_factory=dict)
    pledges: list[dict[str, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.answers) or any(self.pledges)

    def messages(self) -> list[str]:
        """Each message once, in order, for where there are no fields to show."""
        found = [*self.answers.values()]
        found += [m for errors in self.pledges for m in errors.values()]
        return list(dict.fromkeys(found))


def submission_errors(
    answers: dict, pledges: list[dict], *, today: date | None = None
) -> SubmissionErrors:
    """The one check of a submission (the evidence form shows its errors on the
    fields; save_evidence refuses with them).

    The Project certifies nobody without every answer and two pledges, each
    complete and due in the future: one action as an individual and one that
    influences a group.
    """
    today = today or timezone.localdate()
    # Two pledges, always: one not given is one left empty.
    pledges = [*pledges, *({} for _ in range(2 - len(pledges)))]
    errors = SubmissionErrors(
        answers={
            name: gettext("Answer this question before submitting.")
            for name, value in answers.items()
            if not value
        },
        pledges=[{} for _ in pledges],
    )
    for pledge, pledge_errors in zip(pledges, errors.pledges, strict=True):
        for name in PLEDGE_FIELDS:
            if not pledge.get(name):
                pledge_errors[name] = gettext("Fill this in before submitting.")
        target = pledge.get("target_date")
        if target and target <= today:
            pledge_errors["target_date"] = gettext("Choose a date in the future.")
    kinds = {pledge.get("kind") for pledge in pledges}
    if all(kinds) and kinds != {Pledge.Kind.INDIVIDUAL, Pledge.Kind.GROUP}:
        errors.pledges[-1]["kind"] = gettext(
            "One pledge must be an action as an individual and the other one that "
            "influences a group."
        )
    return errors


def save_evidence(
    evidence: Evidence, *, answers: dict, pledges: list[dict], submit: bool
) -> Evidence:
    """Save the learner's answers and pledges as a draft, or submit them to the
    trainer. Returned evidence can be edited and submitted again."""
    if not evidence.is_editable:
        raise ValidationError(
            gettext("This evidence is with the Project and cannot change.")
        )
    if submit:
        errors = submission_errors(answers, pledges)
        if errors:
            raise ValidationError(errors.messages())
    with transaction.atomic():
        for name, value in answers.items():
            setattr(evidence, name, value)
        if submit:
            evidence.status = Evidence.Status.SUBMITTED
            evidence.submitted_at = timezone.now()
        evidence.save()
        # Two pledge slots, replaced as a whole: simpler than matching edits.
        evidence.pledges.all().delete()
        Pledge.objects.bulk_create(
            [
                Pledge(evidence=evidence, **pledge)
                for pledge in pledges
                if any(pledge.values())
            ]
        )
    return evidence


def _check_certifier(evidence: Evidence, by) -> None:
    allowed = Cohort.objects.certifiable_by(by).filter(pk=evidence.enrolment.cohort_id)
    if not allowed.exists():
        raise PermissionDenied


def _audit(by, action: str, evidence: Evidence, before: dict, after: dict) -> None:
    # Named by learner id and cohort: the trail outlives the learner's name.
    enrolment = evidence.enrolment
    label = f"Evidence of member {enrolment.member_id} in {enrolment.cohort}"
    record(by, action, evidence, before, after, label=label)


def mark_sent(evidence: Evidence, *, by) -> None:
    """The trainer sent the learner's evidence to the Carbon Literacy Project."""
    _check_certifier(evidence, by)
    if evidence.status != Evidence.Status.SUBMITTED:
        raise ValidationError(
            gettext("Only submitted evidence can be sent to the Project.")
        )
    evidence.status = Evidence.Status.SENT
    evidence.sent_at = timezone.now()
    evidence.sent_by = by
    evidence.save(update_fields=["status", "sent_at", "sent_by", "updated_at"])


@transaction.atomic
def certify(evidence: Evidence, *, by, certificate_number: str, certified_on: date):
    """The Project certified the learner: record it and congratulate them."""
    _check_certifier(evidence, by)
    if evidence.status != Evidence.Status.SENT:
        raise ValidationError(
            gettext("Only evidence sent to the Project can be certified.")
        )
    before = {"status": evidence.status}
    evidence.status = Evidence.Status.CERTIFIED
    evidence.certificate_number = certificate_number
    evidence.certified_on = certified_on
    evidence.save(
        update_fields=["status", "certificate_number", "certified_on", "updated_at"]
    )
    after = {
        "status": evidence.status,
        "certificate_number": certificate_number,
        "certified_on": certified_on,
    }
    _audit(by, Action.EVIDENCE_CERTIFIED, evidence, before, after)
    member = evidence.enrolment.member
    _email("certified", member, {"evidence": evidence})


@transaction.atomic
def return_for_more(evidence: Evidence, *, by, note: str) -> None:
    """The Project asked for more evidence: the learner can edit and resubmit."""
    _check_certifier(evidence, by)
    if evidence.status not in (Evidence.Status.SUBMITTED, Evidence.Status.SENT):
        raise ValidationError(
            gettext("Only submitted or sent evidence can be returned.")
        )
    before = {"status": evidence.status}
    evidence.status = Evidence.Status.RETURNED
    evidence.return_note = note
    evidence.save(update_fields=["status", "return_note", "updated_at"])
    after = {"status": evidence.status, "note": note}
    _audit(by, Action.EVIDENCE_RETURNED, evidence, before, after)
    _email("returned", evidence.enrolment.member, {"evidence": evidence})


# Pledge follow-ups ----------------------------------------------------------


def update_pledge_progress(pledge: Pledge, *, progress: str, note: str) -> None:
    pledge.progress = progress
    pledge.progress_note = note
    pledge.progress_updated_at = timezone.now()
    pledge.save(update_fields=["progress", "progress_note", "progress_updated_at"])


def add_months(day: date, months: int) -> date:
    """The same day n months on, or the month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def due_followups(today: date | None = None):
    """(evidence, months) pairs whose milestone has come and whose request has not
    gone yet. Only the latest due milestone is sent for each learner, so someone
    certified long ago is not sent three requests at once."""
    today = today or timezone.localdate()
    earliest = add_months(today, -FOLLOWUP_MONTHS[0])
    certified = (
        Evidence.objects.filter(
            status=Evidence.Status.CERTIFIED, certified_on__lte=earliest
        )
        .select_related("enrolment__member")
        .prefetch_related("followups")
    )
    for evidence in certified:
        sent = {f.months for f in evidence.followups.all()}
        due = [
            months
            for months in FOLLOWUP_MONTHS
            if add_months(evidence.certified_on, months) <= today
        ]
        if due and due[-1] not in sent and not any(m > due[-1] for m in sent):
            yield evidence, due[-1]


def send_pledge_followup(evidence: Evidence, months: int) -> bool:
    """Ask the learner how their pledges are going; False if already asked.

    The record and the email's job commit together, and the record is unique per
    learner and milestone, so two runs at once never ask twice.
    """
    try:
        with transaction.atomic():
            PledgeFollowup.objects.create(evidence=evidence, months=months)
            _email(
                "pledge_followup",
                evidence.enrolment.member,
                {"evidence": evidence, "months": months},
            )
    except IntegrityError:
        return False
    return True


def send_due_followups(*, today: date | None = None, progress=lambda s: None) -> int:
    """Every follow-up that is due, once each: the daily schedule (training/jobs.py)
    and the manual command both call this."""
    sent = 0
    for evidence, months in due_followups(today):
        if send_pledge_followup(evidence, months):
            sent += 1
            progress(f"  {months}-month follow-up to {evidence.enrolment.member.email}")
    return sent


# Evidence reminders -----------------------------------------------------------


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def due_evidence_reminders(today: date | None = None):
    """(enrolment, day) pairs for learners to remind today: confirmed learners of
    a cohort on day 10 to 13 of its evidence clock, or on its last day, who have
    not submitted their evidence (none, a draft, or returned to them) and have not
    had that reminder. Day 10's reminder is sent late if the schedule missed it,
    but never once the last day has come; the last day's, only on that day."""
    today = today or timezone.localdate()
    first, last = EVIDENCE_REMINDER_DAYS
    cohorts = Cohort.objects.with_stage().filter(
        last_ends_at__gte=_local_midnight(today - timedelta(days=last)),
        last_ends_at__lt=_local_midnight(today - timedelta(days=first - 1)),
    )
    enrolments = (
        Enrolment.objects.filter(
            cohort__in=cohorts.values("pk"), status=Enrolment.Status.CONFIRMED
        )
        .exclude(
            evidence__status__in=[
                Evidence.Status.SUBMITTED,
                Evidence.Status.SENT,
                Evidence.Status.CERTIFIED,
            ]
        )
        .select_related("member")
        .prefetch_related("evidence_reminders")
        .order_by("pk")
    )
    stages = {cohort.pk: cohort for cohort in cohorts}
    for enrolment in enrolments:
        cohort = stages[enrolment.cohort_id]
        day = last - (cohort.evidence_due_on - today).days
        sent = {reminder.day for reminder in enrolment.evidence_reminders.all()}
        due = last if day == last else first
        if due not in sent and last not in sent:
            yield enrolment, cohort, due


def send_evidence_reminder(enrolment: Enrolment, cohort: Cohort, day: int) -> bool:
    """Remind the learner to write their evidence; False if already reminded.

    The record and the email's job commit together, and the record is unique per
    learner and day, so two runs at once never remind twice.
    """
    try:
        with transaction.atomic():
            EvidenceReminder.objects.create(enrolment=enrolment, day=day)
            _email(
                "evidence_reminder",
                enrolment.member,
                {
                    "enrolment": enrolment,
                    "cohort": cohort,
                    "due_on": cohort.evidence_due_on,
                    "last_day": day == EVIDENCE_REMINDER_DAYS[-1],
                    "send_within_days": SEND_WITHIN_DAYS,
                },
            )
    except IntegrityError:
        return False
    return True


def send_due_evidence_reminders(
    *, today: date | None = None, progress=lambda s: None
) -> int:
    """Every evidence reminder due today, once each: the daily schedule
    (training/jobs.py) and the manual command both call this."""
    sent = 0
    for enrolment, cohort, day in list(due_evidence_reminders(today)):
        if send_evidence_reminder(enrolment, cohort, day):
            sent += 1
            progress(f"  day {day} evidence reminder to {enrolment.member.email}")
    return sent
