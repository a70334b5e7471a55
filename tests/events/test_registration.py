"""Registration rules: capacity, the waiting list, opening times, audiences."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Registration
from events.services import (
    RegistrationError,
    cancel_event,
    cancel_registration,
    register,
    save_event,
)
from tests.events.factories import make_event, make_registration
from tests.factories import make_member

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_many_registering_at_once_never_exceed_capacity():
    event = make_event(capacity=10)
    members = [make_member() for _ in range(30)]
    start = threading.Barrier(len(members))
    errors = []

    def register_one(member):
        try:
            start.wait()
            register(event, member)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register_one, args=(m,)) for m in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Registration.objects.confirmed().filter(event=event).count() == 10
    waiting = list(Registration.objects.waiting().filter(event=event))
    assert len(waiting) == 20
    # The waiting list is in the order the places were asked for, without ties.
    times = [r.registered_at for r in waiting]
    assert times == sorted(times)
    assert len(set(times)) == 20
    confirmed_latest = max(
        Registration.objects.confirmed()
        .filter(event=event)
        .values_list("registered_at", flat=True)
    )
    assert confirmed_latest < times[0]

    # A cancellation gives the first in line the place, and only them.
    cancel_registration(Registration.objects.confirmed().filter(event=event).first())
    first = Registration.objects.get(pk=waiting[0].pk)
    assert first.status == Registration.Status.CONFIRMED
    assert Registration.objects.confirmed().filter(event=event).count() == 10
    assert Registration.objects.get(pk=waiting[1].pk).status == "waiting"


def test_full_event_puts_the_next_on_the_waiting_list(
    jobs,
):
    event = make_event(capacity=1)
    first, second, third = make_member(), make_member(), make_member()
    with jobs:
        assert register(event, first).status == "confirmed"
        assert register(event, second).status == "waiting"
        assert register(event, third).status == "waiting"
    assert "Waiting list" in mail.outbox[-1].subject
    mail.outbox.clear()

    with jobs:
        promoted = cancel_registration(Registration.objects.get(member=first))
    assert [r.member for r in promoted] == [second]
    assert Registration.objects.get(member=third).status == "waiting"
    assert [m.to for m in mail.outbox] == [[second.email]]
    assert "A place for you" in mail.outbox[0].subject


def test_leaving_the_waiting_list_promotes_no_one():
    event = make_event(capacity=1)
    a, b, c = make_member(), make_member(), make_member()
    register(event, a)
    register(event, b)
    register(event, c)
    assert cancel_registration(Registration.objects.get(member=b)) == []
    assert Registration.objects.get(member=c).status == "waiting"


def test_cancelling_once_the_event_has_started_promotes_no_one(
    jobs,
):
    # Someone who leaves during the event frees no place worth emailing about.
    now = timezone.now()
    event = make_event(
        capacity=1, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1)
    )
    leaving, waiting = make_member(), make_member()
    make_registration(event, leaving)
    make_registration(event, waiting, status="waiting")
    with jobs:
        promoted = cancel_registration(Registration.objects.get(member=leaving))
    assert promoted == []
    assert Registration.objects.get(member=leaving).status == "cancelled"
    assert Registration.objects.get(member=waiting).status == "waiting"
    assert mail.outbox == []


def test_raising_capacity_after_the_start_promotes_no_one():
    now = timezone.now()
    event = make_event(
        capacity=1, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1)
    )
    make_registration(event, make_member())
    waiting = make_member()
    make_registration(event, waiting, status="waiting")
    event.capacity = 2
    save_event(event)
    assert Registration.objects.get(member=waiting).status == "waiting"


def test_raising_capacity_promotes_waiting_in_order():
    event = make_event(capacity=1)
    members = [make_member() for _ in range(3)]
    for member in members:
        register(event, member)
    event.capacity = 2
    save_event(event)
    statuses = [Registration.objects.get(member=m).status for m in members]
    assert statuses == ["confirmed", "confirmed", "waiting"]


def test_registering_twice_is_refused_but_coming_back_after_cancelling_works():
    event = make_event()
    member = make_member()
    registration = register(event, member, dietary_needs="Vegan")
    with pytest.raises(RegistrationError, match="already registered"):
        register(event, member)
    cancel_registration(registration)
    again = register(event, member)
    assert again.pk == registration.pk
    assert again.status == "confirmed"


def test_registration_opens_and_closes_on_time():
    now = timezone.now()
    event = make_event(
        registration_opens_at=now + timedelta(days=1),
        registration_closes_at=now + timedelta(days=5),
    )
    member = make_member()
    with pytest.raises(RegistrationError, match="not open"):
        register(event, member, now=now)
    assert register(event, member, now=now + timedelta(days=2)).status == "confirmed"
    with pytest.raises(RegistrationError, match="not open"):
        register(event, make_member(), now=now + timedelta(days=6))


@pytest.mark.parametrize("state", [Event.State.DRAFT, Event.State.CANCELLED])
def test_no_registration_for_drafts_or_cancelled(state):
    event = make_event(state=state)
    with pytest.raises(RegistrationError):
        register(event, make_member())


def test_audience_is_respected():
    event = make_event(audience=Event.Audience.ELECTED)
    with pytest.raises(RegistrationError, match="elected members"):
        register(event, make_member(member_type="officer"))
    assert register(event, make_member(member_type="elected")).status == "confirmed"


def test_cancelling_an_event_emails_everyone_registered(
    jobs,
):
    event = make_event(capacity=1)
    confirmed, waiting, gone = make_member(), make_member(), make_member()
    make_registration(event, confirmed)
    make_registration(event, waiting, status="waiting")
    make_registration(event, gone, status="cancelled")
    with jobs:
        assert cancel_event(event, reason="The venue flooded.")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [confirmed.email, waiting.email]
    )
    assert "The venue flooded." in mail.outbox[0].body
    assert Event.objects.get(pk=event.pk).state == "cancelled"


def test_an_overfull_event_has_no_places_left_rather_than_fewer_than_none(
    member_client,
):
    """Capacity lowered below the confirmed places: the list and the event page
    say it is full (no negative count of places)."""
    event = make_event(title="Cargo bike clinic", capacity=3)
    for _ in range(3):
        make_registration(event, make_member())
    event.capacity = 1
    event.save()
    listing = member_client.get(reverse("events:list")).content.decode()
    assert "Full: new registrations join the waiting list" in listing
    assert "places left" not in listing
    page = member_client.get(event.get_absolute_url()).content.decode()
    assert "full, new registrations join the waiting list" in page
    assert "Join the waiting list" in page
