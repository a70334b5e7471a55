"""Events factories: valid defaults (a published event next month with registration
open), any field overridable."""

import itertools
from datetime import timedelta

from django.utils import timezone

from events.models import Event, Registration, Session, Speaker

_ids = itertools.count(1)


def make_event(*, themes=(), **fields) -> Event:
    n = next(_ids)
    start = fields.pop("starts_at", None) or timezone.now() + timedelta(days=30)
    fields.setdefault("title", f"Network event {n}")
    fields.setdefault("description", "An event of the network.")
    fields.setdefault("format", Event.Format.ONLINE)
    fields.setdefault("online_url", f"https://meet.example.org/secret-room-{n}")
    fields.setdefault("ends_at", start + timedelta(hours=2))
    fields.setdefault("capacity", 30)
    fields.setdefault("state", Event.State.PUBLISHED)
    if fields["state"] != Event.State.DRAFT:
        fields.setdefault("published_at", timezone.now() - timedelta(days=1))
    event = Event.objects.create(starts_at=start, **fields)
    if themes:
        event.themes.set(themes)
    from events.services import update_search_vector

    update_search_vector(event)
    return event


def make_session(event, *, speakers=(), guests=(), **fields) -> Session:
    fields.setdefault("title", f"Session {next(_ids)}")
    fields.setdefault("starts_at", event.starts_at)
    fields.setdefault("ends_at", event.starts_at + timedelta(minutes=30))
    session = Session.objects.create(event=event, **fields)
    for order, member in enumerate(speakers):
        Speaker.objects.create(session=session, member=member, order=order)
    for name, organisation in guests:
        Speaker.objects.create(session=session, name=name, organisation=organisation)
    return session


def make_registration(event, member, **fields) -> Registration:
    fields.setdefault("status", Registration.Status.CONFIRMED)
    return Registration.objects.create(event=event, member=member, **fields)
