"""Carbon Literacy training: three courses; cohorts over three years, mostly a
council's own elected members; their two sessions, enrolments (confirmed up to
capacity, then waiting), attendance, and for those who attended both sessions the
evidence, pledges and follow-ups at a stage that fits how long ago they trained.
An enrolment's hours are the app's own sum (``training.services.hours_attended``),
set after the COPY."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from training import models as tr
from training.services import hours_attended

from . import wordlists as words
from .bulk import copy_rows, next_id

COURSES = (
    ("Carbon Literacy for elected members", "Elected members toolkit, Scotland, v2.1"),
    ("Carbon Literacy for local authorities", "Local authority toolkit v3"),
    ("Carbon Literacy refresher", "Refresher toolkit v1"),
)
COHORT_FIELDS = (
    "id", "course", "name", "organisation", "mode", "location", "trainer",
    "capacity", "signup_deadline", "created_at",
)  # fmt: skip
EVIDENCE_FIELDS = (
    "id", "enrolment", "learning", "role", "sharing", "status", "submitted_at",
    "sent_at", "sent_by", "certificate_number", "certified_on", "return_note",
)  # fmt: skip
PLEDGE_FIELDS = (
    "evidence", "kind", "category", "action", "target_date", "progress",
    "progress_note", "progress_updated_at",
)  # fmt: skip
HOURS_PER_SESSION = Decimal(4)


@dataclass
class Rows:
    """Every table's rows, and the next id of each table whose rows others name."""

    cohort_id: int
    session_id: int
    enrolment_id: int
    evidence_id: int
    cohorts: list = field(default_factory=list)
    sessions: list = field(default_factory=list)
    enrolments: list = field(default_factory=list)
    attendance: list = field(default_factory=list)
    evidence: list = field(default_factory=list)
    pledges: list = field(default_factory=list)
    followups: list = field(default_factory=list)


def load(loader) -> None:
    courses = [
        tr.Course.objects.create(
            name=name,
            toolkit_version=version,
            training_partner="Keep Scotland Beautiful",
            description="Carbon Literacy for Scotland's councils.",
            hours_required=Decimal(8),
        )
        for name, version in COURSES
    ]
    rows = Rows(
        next_id(tr.Cohort), next_id(tr.Session), next_id(tr.Enrolment),
        next_id(tr.Evidence),
    )  # fmt: skip
    first_enrolment = rows.enrolment_id
    loader.explicit_ids += [tr.Cohort, tr.Session, tr.Enrolment, tr.Evidence]
    for _ in range(loader.sizes.cohorts):
        _cohort(loader, rows, courses)
        rows.cohort_id += 1
    loader.counts["training courses"] = len(courses)
    _copy(loader, rows)
    tr.Enrolment.objects.filter(pk__gte=first_enrolment).update(
        hours_attended=hours_attended()
    )


def _cohort(loader, rows: Rows, courses) -> None:
    """A cohort, its two sessions a week apart and its learners."""
    r = loader.rng
    org = r.choice(loader.councils) if r.random() < 0.9 else None
    course = r.choice(courses)
    trainer = r.choice(loader.pools.partners or loader.pools.approved)
    day = loader.now.date() + timedelta(days=r.randint(-3 * 365, 180))
    midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
    mode = r.choice(("online", "in_person"))
    capacity = r.choice((16, 20, 24))
    place = org.name if org else "Perth"
    rows.cohorts.append((
        rows.cohort_id, course.pk,
        f"{course.name}: {org.name if org else 'cross-city'}, {day:%B %Y}",
        org.pk if org else None, mode,
        "Online" if mode == "online" else f"{r.choice(words.BUILDINGS).capitalize()}, {place}",
        trainer, capacity, day - timedelta(days=7), midnight - timedelta(days=60),
    ))  # fmt: skip
    sessions = []
    for k in range(2):
        at = midnight + timedelta(hours=9, minutes=30, days=7 * k)
        rows.sessions.append(
            (rows.session_id, rows.cohort_id, f"Part {k + 1}", at, HOURS_PER_SESSION)
        )
        sessions.append((rows.session_id, at))
        rows.session_id += 1
    pool = (
        loader.pools.elected_by_org.get(org.pk) if org else None
    ) or loader.pools.elected
    if pool:
        wanted = min(len(pool), capacity + r.randint(-6, 5))
        learners = r.sample(pool, max(0, wanted))
        _enrolments(loader, rows, learners, capacity, midnight, sessions, trainer)


def _enrolments(loader, rows, learners, capacity, midnight, sessions, trainer):
    """In the order they joined: confirmed up to capacity, then waiting; some
    cancel. Those who attended both sessions (8 hours) have evidence."""
    r = loader.rng
    confirmed = 0
    for member_id in learners:
        joined = midnight - timedelta(days=r.randint(8, 50))
        if r.random() < 0.07:
            status = "cancelled"
        elif confirmed < capacity:
            status = "confirmed"
            confirmed += 1
        else:
            status = "waiting"
        hours = 0
        if status == "confirmed":
            hours = _attendance(loader, rows, sessions, trainer)
        rows.enrolments.append((
            rows.enrolment_id, rows.cohort_id, member_id, status,
            min(joined, loader.now),
        ))  # fmt: skip
        if hours >= 8:
            _evidence(loader, rows, trained_at=sessions[-1][1], trainer=trainer)
            rows.evidence_id += 1
        rows.enrolment_id += 1


def _attendance(loader, rows: Rows, sessions, trainer) -> int:
    """Sessions attended, in order, until the first one missed; the hours."""
    r = loader.rng
    hours = 0
    for session_id, at in sessions:
        if at < loader.now and r.random() < (0.95 if hours == 0 else 0.9):
            rows.attendance.append(
                (rows.enrolment_id, session_id, HOURS_PER_SESSION, trainer)
            )
            hours += 4
        else:
            break
    return hours


def _evidence(loader, rows: Rows, *, trained_at: datetime, trainer) -> None:
    """The learner's evidence at a stage that fits how long ago they trained."""
    r, pk = loader.rng, rows.evidence_id
    status = r.choices(
        ("draft", "submitted", "sent", "returned", "certified"),
        _stage_weights((loader.now - trained_at).days),
    )[0]
    submitted = (
        trained_at + timedelta(days=r.randint(1, 10)) if status != "draft" else None
    )
    sent = (
        submitted + timedelta(days=r.randint(1, 10))
        if status in ("sent", "returned", "certified")
        else None
    )
    certified = (
        (sent + timedelta(days=r.randint(7, 40))).date()
        if status == "certified"
        else None
    )
    if certified and certified > loader.now.date():
        certified = loader.now.date()
    rows.evidence.append((
        pk, rows.enrolment_id, r.choice(words.EVIDENCE_LEARNING),
        loader.bank.paragraph(loader.topic(), 2),
        "I will brief my group and raise it at committee.",
        status, submitted, sent, trainer if sent else None,
        f"CLP-{certified:%Y}-{pk:06d}" if certified else "", certified,
        "Please make the group pledge more specific." if status == "returned" else "",
    ))  # fmt: skip
    for kind in ("individual", "group"):
        rows.pledges.append(_pledge(loader, pk, kind, trained_at, certified))
    if certified:
        _followups(loader, rows, pk, certified)


def _stage_weights(age_days: int) -> tuple:
    """Weights of draft, submitted, sent, returned, certified by days since."""
    if age_days > 90:
        return (3, 7, 10, 5, 75)
    if age_days > 14:
        return (15, 30, 35, 5, 15)
    return (70, 25, 5, 0, 0)


def _pledge(loader, evidence_id, kind, trained_at, certified) -> tuple:
    """A pledge; once certified, with progress reported some months later."""
    r = loader.rng
    progress, note, updated = "not_started", "", None
    if certified:
        progress = r.choices(
            ("not_started", "under_way", "done", "dropped"), (20, 40, 30, 10)
        )[0]
        if progress != "not_started":
            updated = datetime.combine(certified, datetime.min.time(), UTC)
            updated = min(updated + timedelta(days=r.randint(30, 300)), loader.now)
            if progress == "under_way":
                note = "Raised at committee; officers are preparing a paper."
    categories = [c for c, _ in tr.Pledge.Category.choices]
    return (
        evidence_id, kind, r.choice(categories), r.choice(words.PLEDGES),
        trained_at.date() + timedelta(days=r.randint(90, 400)), progress, note,
        updated,
    )  # fmt: skip


def _followups(loader, rows: Rows, evidence_id: int, certified) -> None:
    """The follow-up emails already due since certification."""
    for months in tr.FOLLOWUP_MONTHS:
        when = certified + timedelta(days=30 * months)
        if when <= loader.now.date():
            at = datetime.combine(when, datetime.min.time(), UTC)
            rows.followups.append((evidence_id, months, at))


def _copy(loader, rows: Rows) -> None:
    counts = loader.counts
    counts["training cohorts"] = copy_rows(tr.Cohort, COHORT_FIELDS, rows.cohorts)
    counts["training sessions"] = copy_rows(
        tr.Session, ["id", "cohort", "title", "starts_at", "hours"], rows.sessions
    )
    counts["training enrolments"] = copy_rows(
        tr.Enrolment,
        ["id", "cohort", "member", "status", "created_at"],
        rows.enrolments,
    )
    counts["training attendance"] = copy_rows(
        tr.Attendance, ["enrolment", "session", "hours", "recorded_by"], rows.attendance
    )
    counts["training evidence"] = copy_rows(tr.Evidence, EVIDENCE_FIELDS, rows.evidence)
    counts["training pledges"] = copy_rows(tr.Pledge, PLEDGE_FIELDS, rows.pledges)
    counts["pledge follow-ups"] = copy_rows(
        tr.PledgeFollowup, ["evidence", "months", "sent_at"], rows.followups
    )
