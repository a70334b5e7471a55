"""Reads that events pages (and the portal's composed pages) need."""

import calendar
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from kit import versions
from network.models import Member

from .models import Event, Feedback, Registration, Session, Speaker, manages_events

SEARCH_LIMIT = 200


def _registrations_counted(status: str):
    """How many registrations of this status the outer event has: a correlated
    subquery, so a page counts only its own 20 events, not every event's rows."""
    return Coalesce(
        Subquery(
            Registration.objects.filter(event=OuterRef("pk"), status=status)
            .order_by()
            .values("event")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


def _with_counts(events: QuerySet) -> QuerySet:
    return events.annotate(
        confirmed_count=_registrations_counted("confirmed"),
        waiting_count=_registrations_counted("waiting"),
    )


def public_events(*, now=None) -> QuerySet:
    return Event.objects.public().upcoming(now).prefetch_related("themes")


def past_events_with_materials(*, viewer, now=None) -> QuerySet:
    sessions = Session.objects.annotate(speaker_count=Count("speakers"))
    return (
        Event.objects.visible_to(viewer)
        .past(now)
        .prefetch_related("themes", Prefetch("sessions", queryset=sessions))
    )


def my_statuses(member, events_token: int) -> dict[int, str]:
    """{event id: status} of every active registration of the member, kept per
    member under the events version (any registration anywhere makes it again):
    the list and the event page then need no query to know where they stand."""
    return versions.cached(
        "events:my-statuses",
        (events_token,),
        lambda: dict(
            Registration.objects.active()
            .filter(member=member)
            .values_list("event_id", "status")
        ),
        member=member.pk,
    )


class Upcoming(NamedTuple):
    """The events still to come or under way, soonest first, and when the list
    next changes by itself: when the first of them ends."""

    ids: list[int]
    until: datetime | None


def upcoming_events(*, manager: bool, now=None) -> Upcoming:
    """Published events still to come or under way, or every one for
    coordinators: their ids only, a few thousand at most."""
    events = Event.objects.for_role(manager=manager)
    rows = list(
        events.upcoming(now).order_by("starts_at", "pk").values_list("pk", "ends_at")
    )
    return Upcoming([pk for pk, _ in rows], min((end for _, end in rows), default=None))


def events_in_order(ids) -> list[Event]:
    """The events with these ids, in that order, with their registration counts
    and themes."""
    ids = list(ids)
    events = _with_counts(Event.objects.filter(pk__in=ids)).prefetch_related("themes")
    by_id = {event.pk: event for event in events}
    return [by_id[pk] for pk in ids if pk in by_id]


def event_or_none(event_id: int) -> Event | None:
    """The event with its registration counts, whoever may see it: see
    ``Event.is_visible_for_role``."""
    return _with_counts(Event.objects.filter(pk=event_id)).first()


def agenda(event: Event) -> list[Session]:
    """The event's sessions in order, each with its speakers and their councils."""
    speakers = Speaker.objects.select_related("member__organisation")
    return list(
        Session.objects.filter(event=event).prefetch_related(
            Prefetch("speakers", speakers)
        )
    )


def registration_for(event: Event, member) -> Registration | None:
    """The member's place at the event (confirmed or waiting), if they hold one."""
    return Registration.objects.active().filter(event=event, member=member).first()


def waiting_position(registration: Registration) -> int | None:
    if registration.status != Registration.Status.WAITING:
        return None
    ahead = (
        Registration.objects.waiting()
        .filter(event_id=registration.event_id)
        .filter(
            Q(registered_at__lt=registration.registered_at)
            | Q(registered_at=registration.registered_at, pk__lt=registration.pk)
        )
        .count()
    )
    return ahead + 1


def needs_for_event(event: Event) -> QuerySet:
    """Confirmed registrants who gave access or dietary needs, by name."""
    return (
        event.registrations.confirmed()
        .with_needs()
        .select_related("member")
        .order_by("member__full_name", "pk")
    )


def registrations_for_event(event: Event) -> QuerySet:
    """Confirmed first, then the waiting list in order, then cancelled."""
    from django.db.models import Case, IntegerField, Value, When

    order = Case(
        When(status="confirmed", then=Value(0)),
        When(status="waiting", then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        event.registrations.select_related("member__organisation")
        .annotate(status_order=order)
        .order_by("status_order", "registered_at", "pk")
    )


def feedback_summary(event: Event) -> dict:
    feedback = Feedback.objects.filter(event=event)
    rows = dict.fromkeys(range(1, 6), 0)
    for rating, count in (
        feedback.values_list("rating").annotate(n=Count("pk")).order_by()
    ):
        rows[rating] = count
    total = sum(rows.values())
    average = (sum(r * n for r, n in rows.items()) / total) if total else None
    return {
        "rows": [{"rating": f"{r} of 5", "count": n} for r, n in rows.items()],
        "total": total,
        "average": average,
        "comments": feedback.exclude(comment="").select_related("registration__member"),
        "attended": event.registrations.filter(attended=True).count(),
    }


def month_calendar(year: int, month: int, *, manager: bool) -> list[list[dict]]:
    """Weeks (Monday first) of days, each with the events on that day in
    Scotland's time: published ones, or every one for coordinators."""
    tz = timezone.get_current_timezone()
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    start = timezone.make_aware(datetime.combine(first, time.min), tz)
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min), tz)
    events = (
        Event.objects.for_role(manager=manager)
        .filter(starts_at__lt=end, ends_at__gte=start)
        .only("pk", "title", "starts_at", "ends_at", "state")
    )
    by_day = defaultdict(list)
    for event in events:
        day = timezone.localtime(event.starts_at, tz).date()
        last_day = timezone.localtime(event.ends_at, tz).date()
        while day <= last_day:
            by_day[day].append(event)
            day += timedelta(days=1)
    today = timezone.localdate()
    return [
        [
            {
                "date": day,
                "in_month": day.month == month,
                "is_today": day == today,
                "events": by_day.get(day, []),
            }
            for day in week
        ]
        for week in weeks
    ]


# --- Agreed cross-app functions ------------------------------------------------


def search_events(query: str, *, viewer) -> QuerySet:
    """Events the viewer may see matching the words (``search_events_for_role``)."""
    return search_events_for_role(query, manager=manages_events(viewer))


def search_events_for_role(query: str, *, manager: bool) -> QuerySet:
    """Events the role may see matching the words, best first (PostgreSQL FTS)."""
    query = (query or "").strip()
    if not query:
        return Event.objects.none()
    search = SearchQuery(query, search_type="websearch", config="english")
    return (
        Event.objects.for_role(manager=manager)
        .filter(search_vector=search)
        .annotate(rank=SearchRank(F("search_vector"), search))
        .order_by("-rank", "-starts_at")[:SEARCH_LIMIT]
    )


def upcoming_events_for(member, limit: int = 5) -> list[Event]:
    """Upcoming published events, those the member registered for first, soonest
    first within each: one LIMITed query, whatever the number of events."""
    registered = Registration.objects.active().filter(
        event=OuterRef("pk"), member=member
    )
    return list(
        Event.objects.published()
        .upcoming()
        .annotate(is_registered=Exists(registered))
        .order_by("-is_registered", "starts_at", "pk")[:limit]
    )


def talks_by(member) -> QuerySet:
    """Sessions of published events the member spoke at, latest first."""
    return (
        Session.objects.filter(
            speakers__member=member, event__state=Event.State.PUBLISHED
        )
        .select_related("event")
        .order_by("-starts_at")
        .distinct()
    )


def talks_by_members_of(organisation) -> QuerySet:
    """Sessions of published events at which approved members of the
    organisation spoke, latest first: one query however many members it has."""
    return (
        Session.objects.filter(
            speakers__member__organisation=organisation,
            speakers__member__approval_state=Member.Approval.APPROVED,
            event__state=Event.State.PUBLISHED,
        )
        .select_related("event")
        .order_by("-starts_at")
        .distinct()
    )


def speakers_for_topic(*, theme=None, tag=None, driver=None) -> QuerySet:
    """Members who spoke at published events on a theme or policy driver (or
    tagged with expertise), those with the most talks first."""
    talks = Q(talks__session__event__state=Event.State.PUBLISHED)
    if theme is not None:
        talks &= Q(talks__session__event__themes=theme)
    if driver is not None:
        talks &= Q(talks__session__event__drivers=driver)
    members = Member.objects.approved().filter(talks)
    if tag:
        members = members.filter(expertise__slug=tag)
    return (
        members.annotate(talk_count=Count("talks", filter=talks, distinct=True))
        .select_related("organisation")
        .order_by("-talk_count", "full_name")
    )


def parse_month(value: str | None) -> date:
    """'2026-05' to the first of that month; anything else, this month."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        if not 1900 <= year <= 2999:
            # The page links to the months either side: keep them in range.
            raise ValueError(year)
        return date(year, month, 1)
    except (TypeError, ValueError):
        return timezone.localdate().replace(day=1)


def events_for_driver(driver) -> QuerySet:
    """Published events that name the policy driver, the latest first."""
    return (
        Event.objects.published().filter(drivers=driver).order_by("-starts_at", "-pk")
    )
