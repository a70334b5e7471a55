"""Events over five years: each with its agenda of sessions and speakers, its
registrations in the order people registered (the first ``capacity`` confirmed,
the rest waiting, some cancelled), attendance and feedback for past ones. The
search text is the app's own (``events.services.search_vector``), set for all the
new events at once after the COPY."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from events import models as ev
from events.services import search_vector

from . import text
from . import wordlists as words
from .bulk import IndexesDropped, Progress, copy_rows, next_id

EVENT_FIELDS = (
    "id", "title", "description", "format", "venue", "address", "online_url",
    "starts_at", "ends_at", "audience", "capacity", "state", "is_public",
    "recording_url", "created_by", "created_at", "published_at", "cancelled_at",
)  # fmt: skip
SESSION_FIELDS = (
    "id", "event", "starts_at", "ends_at", "title", "description", "recording_url",
)  # fmt: skip
SPEAKER_FIELDS = ("session", "member", "name", "organisation", "order")
REGISTRATION_FIELDS = (
    "id", "event", "member", "status", "access_needs", "dietary_needs",
    "registered_at", "confirmed_at", "cancelled_at", "attended", "reminder_sent_at",
    "feedback_requested_at",
)  # fmt: skip
FEEDBACK_FIELDS = ("registration", "rating", "comment", "created_at")


@dataclass
class Rows:
    """Every table's rows, and the next id of each table whose rows others name."""

    event_id: int
    session_id: int
    registration_id: int
    events: list = field(default_factory=list)
    themes: list = field(default_factory=list)
    sessions: list = field(default_factory=list)
    speakers: list = field(default_factory=list)
    registrations: list = field(default_factory=list)
    feedback: list = field(default_factory=list)


@dataclass
class Plan:
    """One event as its agenda and registrations need it."""

    pk: int
    topic: str
    state: str
    audience: str
    capacity: int
    starts: datetime
    ends: datetime
    opened: datetime
    recording: str

    def is_past(self, now) -> bool:
        return self.ends < now


def load(loader) -> None:
    rows = Rows(next_id(ev.Event), next_id(ev.Session), next_id(ev.Registration))
    first_event = rows.event_id
    loader.explicit_ids += [ev.Event, ev.Session, ev.Registration]
    cities = sorted({o.city.name for o in loader.councils if o.city_id})
    for _ in range(loader.sizes.events):
        plan = _event(loader, rows, cities)
        _agenda(loader, rows, plan, cities)
        if plan.state != "draft":
            _registrations(loader, rows, plan)
        rows.event_id += 1
    _copy(loader, rows)
    ev.Event.objects.filter(pk__gte=first_event).update(search_vector=search_vector())


def _event(loader, rows: Rows, cities: list[str]) -> Plan:
    r, pk = loader.rng, rows.event_id
    topic = loader.topic()
    city = r.choice(cities)
    template = r.choice(words.EVENT_TITLES)
    template = template.replace("{topic_title}", topic.capitalize())
    title = text.fill(template.replace("{city}", city), r, cities, topic)
    fmt = r.choices(("in_person", "online", "hybrid"), (40, 40, 20))[0]
    starts, ends = _when(loader)
    past = ends < loader.now
    state = r.choices(("published", "draft", "cancelled"), (92, 3, 5))[0]
    if state == "draft" and past:
        state = "published"
    created = starts - timedelta(days=r.randint(20, 120))
    published = created + timedelta(days=1) if state != "draft" else None
    audience = r.choices(("everyone", "officers", "elected"), (80, 10, 10))[0]
    capacity = r.choice((20, 30, 40, 50, 60, 80, 100, 150, 200))
    venue, address, online, recording = _place(loader, pk, fmt, city, past)
    description = "\n\n".join(
        loader.bank.paragraph(topic, r.randint(2, 4)) for _ in range(2)
    )
    rows.events.append((
        pk, title, description, fmt, venue, address, online, starts, ends, audience,
        capacity, state, r.random() < 0.3, recording,
        r.choice(loader.pools.partners or loader.pools.approved), created, published,
        created + timedelta(days=3) if state == "cancelled" else None,
    ))  # fmt: skip
    for name in words.TOPICS[topic]["themes"][: r.randint(1, 2)]:
        if name in loader.themes:
            rows.themes.append((pk, loader.themes[name]))
    if state == "published":
        loader.published_events.append((pk, title, topic))
    opened = published or created
    return Plan(pk, topic, state, audience, capacity, starts, ends, opened, recording)


def _when(loader) -> tuple[datetime, datetime]:
    """A start in the four years before now or the year after, and the end."""
    r = loader.rng
    day = (loader.now - timedelta(days=4 * 365)).date() + timedelta(
        days=r.randint(0, 5 * 365)
    )
    starts = datetime(
        day.year, day.month, day.day, r.choice((9, 10, 13, 14)), r.choice((0, 30)),
        tzinfo=UTC,
    )  # fmt: skip
    return starts, starts + timedelta(hours=r.choice((1.5, 2, 3, 4, 6)))


def _place(loader, pk: int, fmt: str, city: str, past: bool):
    """Venue and address in person, the meeting link online, a recording after."""
    r = loader.rng
    venue = address = online = recording = ""
    if fmt != "online":
        venue = f"{r.choice(words.AREAS)} {r.choice(words.BUILDINGS)}, {city}"
        address = f"{r.randint(1, 200)} High Street\n{city}"
    if fmt != "in_person":
        online = f"https://meet.example.org/nzn-{pk}"
        if past and r.random() < 0.6:
            recording = f"https://video.example.org/nzn-{pk}"
    return venue, address, online, recording


def _agenda(loader, rows: Rows, plan: Plan, cities: list[str]) -> None:
    """Sessions one after another, each with its speakers."""
    r = loader.rng
    count = r.randint(2, 5)
    slot = (plan.ends - plan.starts) / count
    for index in range(count):
        title = text.fill(r.choice(words.SESSION_TITLES), r, cities, plan.topic)
        rows.sessions.append((
            rows.session_id, plan.pk, plan.starts + slot * index,
            plan.starts + slot * (index + 1), title,
            loader.bank.paragraph(plan.topic, r.randint(1, 2)),
            plan.recording if plan.recording and r.random() < 0.5 else "",
        ))  # fmt: skip
        for order in range(r.choice((0, 1, 1, 2, 3))):
            rows.speakers.append(_speaker(loader, rows.session_id, order))
        rows.session_id += 1


def _speaker(loader, session_id: int, order: int) -> tuple:
    """A member, or (three in ten) a guest from a partner body."""
    r = loader.rng
    if r.random() < 0.7:
        return (session_id, r.choice(loader.pools.approved), "", "", order)
    guest = f"{r.choice(words.FIRST_NAMES)} {r.choice(words.LAST_NAMES)}"
    return (session_id, None, guest, r.choice(words.PARTNER_BODIES), order)


def _registrations(loader, rows: Rows, plan: Plan) -> None:
    """Registrations in the order people registered: the first ``capacity`` are
    confirmed, the rest wait; some cancel (everyone, if the event was)."""
    r, pools = loader.rng, loader.pools
    elected = plan.audience == "elected"
    pool = (pools.elected or pools.approved) if elected else pools.approved
    wanted = int(plan.capacity * r.uniform(0.3, 1.3))
    window = max(60.0, (min(plan.starts, loader.now) - plan.opened).total_seconds())
    times = sorted(r.random() * window for _ in range(min(wanted, len(pool))))
    confirmed = 0
    for offset, member_id in zip(times, r.sample(pool, len(times)), strict=True):
        at = plan.opened + timedelta(seconds=int(offset))
        status, dates = _status(loader, rows, plan, at, confirmed < plan.capacity)
        confirmed += status == "confirmed"
        needs = "Step-free access, please." if r.random() < 0.03 else ""
        diet = (
            r.choice(("Vegetarian", "Vegan", "Gluten free")) if r.random() < 0.1 else ""
        )
        rows.registrations.append(
            (rows.registration_id, plan.pk, member_id, status, needs, diet, at, *dates)
        )
        rows.registration_id += 1


def _status(loader, rows: Rows, plan: Plan, at: datetime, has_place: bool):
    """(status, (confirmed, cancelled, attended, reminded, feedback asked))."""
    r = loader.rng
    if r.random() < 0.08 or plan.state == "cancelled":
        cancelled = min(loader.now, at + timedelta(days=r.randint(1, 10)))
        return "cancelled", (None, cancelled, False, None, None)
    if not has_place:
        return "waiting", (None, None, False, None, None)
    if not plan.is_past(loader.now):
        return "confirmed", (at, None, False, None, None)
    reminder = plan.starts - timedelta(days=1)
    if r.random() >= 0.8:
        return "confirmed", (at, None, False, reminder, None)
    if r.random() < 0.3:
        rows.feedback.append(_feedback(loader, rows.registration_id, plan))
    return "confirmed", (at, None, True, reminder, plan.ends + timedelta(days=1))


def _feedback(loader, registration_id: int, plan: Plan) -> tuple:
    r = loader.rng
    rating = r.choices((2, 3, 4, 5), (5, 15, 45, 35))[0]
    comment = (
        r.choice(words.CHAT_SENTENCES).format(
            area=r.choice(words.AREAS), topic=plan.topic, bill=300
        )
        if r.random() < 0.5
        else ""
    )
    return (registration_id, rating, comment, plan.ends + timedelta(days=2))


def _copy(loader, rows: Rows) -> None:
    counts = loader.counts
    counts["events"] = copy_rows(ev.Event, EVENT_FIELDS, rows.events)
    counts["event themes"] = copy_rows(
        ev.Event.themes.through, ["event", "theme"], rows.themes
    )
    counts["event sessions"] = copy_rows(ev.Session, SESSION_FIELDS, rows.sessions)
    counts["event speakers"] = copy_rows(ev.Speaker, SPEAKER_FIELDS, rows.speakers)
    total = len(rows.registrations)
    progress = Progress(loader.stdout, "event registrations", total)
    with IndexesDropped(ev.Registration, loader.stdout, loader.drop_indexes(total)):
        counts["event registrations"] = copy_rows(
            ev.Registration, REGISTRATION_FIELDS, rows.registrations, progress
        )
        progress.finish()
    counts["event feedback"] = copy_rows(ev.Feedback, FEEDBACK_FIELDS, rows.feedback)
