"""Reads the training pages need. The figures are aggregate queries, so a page
costs the same whether ten or ten thousand councillors have trained."""

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext

from network.models import Member, Organisation

from .models import SEND_WITHIN_DAYS, Cohort, Enrolment, Evidence, Pledge

CONFIRMED = Enrolment.Status.CONFIRMED
# A cohort's places taken, as Cohort.is_full reads them (``taken``).
PLACES_TAKEN = Count("enrolments", filter=Q(enrolments__status=CONFIRMED))

# Distinct people, so someone enrolled in two cohorts counts once. Counted over
# enrolments (a few thousand) grouped by the member's organisation, never by
# joining every council to its (many) members first.
_ENROLMENT_FIGURES = {
    "enrolled": Count("member", distinct=True, filter=Q(status=CONFIRMED)),
    "trained": Count(
        "member",
        distinct=True,
        filter=Q(status=CONFIRMED)
        & Q(hours_attended__gte=F("cohort__course__hours_required")),
    ),
    "evidence_sent": Count(
        "member", distinct=True, filter=Q(evidence__sent_at__isnull=False)
    ),
    "certified": Count(
        "member",
        distinct=True,
        filter=Q(evidence__status=Evidence.Status.CERTIFIED),
    ),
}
FIGURE_NAMES = ["enrolled", "trained", "evidence_sent", "certified"]


def _percent(part, whole):
    return round(100 * part / whole, 1) if whole else None


def _with_share(row: dict) -> dict:
    row["certified_percent"] = _percent(row["certified"], row["councillors"])
    return row


def _figures_by_organisation(enrolments: QuerySet[Enrolment]) -> dict[int, dict]:
    # Each learner's council read by primary key: joining the members table
    # instead made the planner scan all of it (every member, not the learners).
    organisation = Subquery(
        Member.objects.filter(pk=OuterRef("member_id")).values("organisation_id")
    )
    rows = (
        enrolments.order_by()
        .values(organisation_id=organisation)
        .annotate(**_ENROLMENT_FIGURES)
    )
    return {row.pop("organisation_id"): row for row in rows}


def council_rows() -> list[dict]:
    """One row per council (all 32, zeros included): the figures and the share of
    its councillors certified. Two small queries: the councils, and the enrolment
    figures grouped by council."""
    councils = (
        Organisation.objects.councils()
        .values("pk", "name", "councillors", city_name=F("city__name"))
        .order_by("name")
    )
    # Partners' learners are grouped too, and left out by the councils' rows.
    figures = _figures_by_organisation(Enrolment.objects.all())
    zeros = dict.fromkeys(FIGURE_NAMES, 0)
    return [_with_share(row | figures.get(row["pk"], zeros)) for row in councils]


def city_rows(councils: list[dict]) -> list[dict]:
    """The same figures per city, from the council rows (a city sits in one council)."""
    cities = {}
    for council in councils:
        if not council["city_name"]:
            continue
        row = cities.setdefault(
            council["city_name"],
            {"name": council["city_name"], "councillors": 0}
            | dict.fromkeys(FIGURE_NAMES, 0),
        )
        row["councillors"] += council["councillors"] or 0
        for name in FIGURE_NAMES:
            row[name] += council[name]
    return [_with_share(row) for _, row in sorted(cities.items())]


def totals(councils: list[dict]) -> dict:
    row = {"name": gettext("All councils")}
    for name in [*FIGURE_NAMES, "councillors"]:
        row[name] = sum(c[name] or 0 for c in councils)
    return _with_share(row)


def pledge_rows() -> list[dict]:
    """Pledges of submitted evidence by category, with how many are done. One query."""
    counts = {
        row["category"]: row
        for row in Pledge.objects.exclude(evidence__status=Evidence.Status.DRAFT)
        .exclude(category="")
        .values("category")
        .annotate(total=Count("id"), done=Count("id", filter=Q(progress="done")))
    }
    return [
        {
            "category": label,
            "total": counts.get(value, {}).get("total", 0),
            "done": counts.get(value, {}).get("done", 0),
        }
        for value, label in Pledge.Category.choices
    ]


def progress_figures() -> dict:
    councils = council_rows()
    return {
        "councils": councils,
        "cities": city_rows(councils),
        "totals": totals(councils),
        "pledges": pledge_rows(),
    }


def council_figures(organisation: Organisation) -> dict:
    """The training figures for one council, for its council page:
    councillors, enrolled, trained, evidence_sent, certified, certified_percent,
    pledges and pledges_done."""
    row = {"councillors": organisation.councillors}
    figures = _figures_by_organisation(
        Enrolment.objects.filter(member__organisation=organisation)
    )
    row.update(figures.get(organisation.pk, dict.fromkeys(FIGURE_NAMES, 0)))
    pledges = Pledge.objects.filter(
        evidence__enrolment__member__organisation=organisation
    ).exclude(evidence__status=Evidence.Status.DRAFT)
    row.update(
        pledges.aggregate(
            pledges=Count("id"), pledges_done=Count("id", filter=Q(progress="done"))
        )
    )
    return _with_share(row)


# A learner's own path ---------------------------------------------------------


def _enrolments_of(member) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(member=member)
        .active()
        .select_related("cohort__course", "cohort__organisation", "evidence")
        .prefetch_related("cohort__sessions", "evidence__pledges")
        .order_by("-created_at")
    )


def learner_steps(enrolment: Enrolment) -> list[dict]:
    evidence = getattr(enrolment, "evidence", None)
    status = evidence.status if evidence else None
    S = Evidence.Status
    required = enrolment.cohort.course.hours_required
    return [
        {
            "label": gettext("Signed up"),
            "done": enrolment.status == CONFIRMED,
            "detail": enrolment.get_status_display(),
        },
        {
            "label": gettext("Attended the training"),
            "done": enrolment.hours_attended >= required,
            "detail": gettext("%(attended)s of %(required)s hours")
            % {"attended": enrolment.hours_attended, "required": required},
        },
        {
            "label": gettext("Evidence and pledges submitted"),
            "done": status in (S.SUBMITTED, S.SENT, S.CERTIFIED),
            "detail": evidence.get_status_display()
            if evidence
            else gettext("Not started"),
        },
        {
            "label": gettext("Sent to the Carbon Literacy Project"),
            "done": status in (S.SENT, S.CERTIFIED),
            "detail": "",
        },
        {
            "label": "Certified",
            "done": status == S.CERTIFIED,
            "detail": evidence.certificate_number if status == S.CERTIFIED else "",
        },
    ]


def progress_for(member) -> dict | None:
    """The member's latest training path, or None if they are not a learner:
    enrolment, cohort, evidence (or None), pledges and steps (label, done, detail)."""
    enrolment = _enrolments_of(member).first()
    if enrolment is None:
        return None
    evidence = getattr(enrolment, "evidence", None)
    return {
        "enrolment": enrolment,
        "cohort": enrolment.cohort,
        "evidence": evidence,
        "pledges": list(evidence.pledges.all()) if evidence else [],
        "steps": learner_steps(enrolment),
    }


def enrolments_of(member) -> list[Enrolment]:
    return list(_enrolments_of(member))


# Cohorts ---------------------------------------------------------------------


def _with_places(cohorts: QuerySet[Cohort]) -> QuerySet[Cohort]:
    return (
        cohorts.select_related("course", "organisation")
        .prefetch_related("sessions")
        .annotate(
            taken=PLACES_TAKEN,
            waiting=Count(
                "enrolments", filter=Q(enrolments__status=Enrolment.Status.WAITING)
            ),
        )
    )


def open_cohorts() -> QuerySet[Cohort]:
    """Cohorts taking sign-ups, with places taken, soonest deadline first."""
    return _with_places(Cohort.objects.taking_signups()).order_by(
        F("signup_deadline").asc(nulls_last=True), "name"
    )


def next_cohorts(limit: int) -> list[Cohort]:
    """The next cohorts taking sign-ups, soonest first session first (for the
    public home: names, audience and dates only, one query)."""
    return list(
        Cohort.objects.taking_signups()
        .select_related("organisation")
        .order_by(F("first_starts_at").asc(nulls_last=True), "name")[:limit]
    )


def cohort_for_signup(pk: int) -> Cohort | None:
    """A cohort's sign-up page, whatever its stage (the page says when it takes
    no sign-ups)."""
    return _with_places(Cohort.objects.with_stage()).filter(pk=pk).first()


# How many cohorts that no longer take sign-ups the training pages list.
RECENT_COHORTS = 10


def recent_cohorts() -> list[Cohort]:
    """The latest cohorts that no longer take sign-ups, to list as running or
    finished (or closed), latest first."""
    return list(
        Cohort.objects.not_taking_signups()
        .select_related("course", "organisation")
        .prefetch_related("sessions")
        .order_by(F("first_starts_at").desc(nulls_last=True), "-pk")[:RECENT_COHORTS]
    )


def cohorts_run_by(user) -> QuerySet[Cohort]:
    return (
        Cohort.objects.run_by(user)
        .with_stage()
        .select_related("course", "organisation", "trainer")
        .annotate(
            taken=PLACES_TAKEN,
        )
        .order_by("-created_at")
    )


def cohort_run_by(user, pk: int) -> Cohort | None:
    """A cohort the user runs, with its stage and evidence clock."""
    return (
        Cohort.objects.run_by(user)
        .with_stage()
        .select_related("course", "organisation")
        .filter(pk=pk)
        .first()
    )


def cohort_learners(cohort: Cohort) -> QuerySet[Enrolment]:
    return (
        cohort.enrolments.active()
        .select_related("member__organisation", "evidence")
        .order_by("status", "member__full_name")
    )


# Evidence that has reached the Project is no longer due.
_EVIDENCE_AWAITED = (None, Evidence.Status.DRAFT, Evidence.Status.RETURNED)


def evidence_due(cohort: Cohort, learners: list[Enrolment]) -> list[dict]:
    """Every confirmed learner whose evidence has not gone to the Project yet, once
    the cohort's last session has ended: the enrolment, what is awaited (the
    learner's form, or the trainer's sending it), the due date and the days left
    (negative when late). Empty while the cohort has sessions to come."""
    days_left = cohort.evidence_days_left()
    if days_left is None:
        return []
    rows = []
    for enrolment in learners:
        if enrolment.status != CONFIRMED:
            continue
        evidence = getattr(enrolment, "evidence", None)
        status = evidence.status if evidence else None
        if status in (Evidence.Status.SENT, Evidence.Status.CERTIFIED):
            continue
        rows.append(
            {
                "enrolment": enrolment,
                "waiting_for": "the learner's evidence"
                if status in _EVIDENCE_AWAITED
                else "the trainer to send it",
                "due_on": cohort.evidence_due_on,
                "days_left": days_left,
                "days_late": -days_left,
            }
        )
    return rows


def send_warning(evidence: Evidence) -> str:
    """The 14-day warning for the trainer, or "" when there is time."""
    cohort = Cohort.objects.with_stage().get(pk=evidence.enrolment.cohort_id)
    days_left = cohort.evidence_days_left()
    if days_left is not None and days_left < 0:
        return (
            "The Carbon Literacy Project asks for evidence within "
            f"{SEND_WITHIN_DAYS} days of the last session's end: it was due on "
            f"{cohort.evidence_due_on:%-d %B %Y} and is {-days_left} days late. "
            "Send it as soon as you can and tell the Project why it is late."
        )
    return ""
