"""The events pages keep their shared parts rendered: a change must show on the very
next request, and nothing one member sees may reach another."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from events.models import Event
from network.forums import services as forum_services
from tests.events.factories import make_event, make_registration, make_session
from tests.factories import make_member

pytestmark = pytest.mark.django_db

LIST = reverse("events:list")
CALENDAR = reverse("events:calendar")


def count_queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured.captured_queries)


def later(monkeypatch, **delta):
    """The clock moved on by ``delta`` (the data did not change)."""
    now = timezone.now() + timedelta(**delta)
    monkeypatch.setattr(timezone, "now", lambda: now)


# --- The list of upcoming events --------------------------------------------------


def test_list_shows_a_registration_and_an_edit_on_the_next_request(
    member_client, other_member
):
    event = make_event(title="Heat pump clinic", capacity=3)
    assertContains(member_client.get(LIST), "3 places left")
    make_registration(event, other_member)
    assertContains(member_client.get(LIST), "2 places left")
    event.title = "Heat pump surgery"
    event.save()
    response = member_client.get(LIST)
    assertContains(response, "Heat pump surgery")
    assertNotContains(response, "Heat pump clinic")


def test_list_drops_an_event_once_it_has_ended(member_client, monkeypatch):
    make_event(
        title="Morning briefing",
        starts_at=timezone.now() - timedelta(minutes=30),
        ends_at=timezone.now() + timedelta(minutes=30),
    )
    assertContains(member_client.get(LIST), "Morning briefing")
    later(monkeypatch, hours=1)
    assertNotContains(member_client.get(LIST), "Morning briefing")


def test_list_shows_each_member_only_their_own_registration(
    member, member_client, other_client
):
    event = make_event(title="Heat pump clinic", capacity=3)
    make_registration(event, member)
    for _ in range(2):  # each order: the registrant first, then another member
        response = member_client.get(LIST)
        assertContains(response, "You are registered")
        assertNotContains(response, "places left")
        response = other_client.get(LIST)
        assertNotContains(response, "You are registered")
        assertContains(response, "2 places left")


def test_coordinators_drafts_never_reach_members_and_back(
    member_client, coordinator_client
):
    make_event(title="Secret draft", state=Event.State.DRAFT)
    for _ in range(2):
        response = coordinator_client.get(LIST)
        assertContains(response, "Secret draft")
        assertContains(response, "Schedule an event")
        response = member_client.get(LIST)
        assertNotContains(response, "Secret draft")
        assertNotContains(response, "Schedule an event")


def test_list_query_count_is_constant_and_lower_when_warm(member, member_client):
    member_client.get(LIST)  # the member's permissions are cached from here
    counts = []
    for events in (3, 40):
        for _ in range(events):
            make_registration(make_event(), make_member())
        make_registration(make_event(), member)
        counts.append(
            (count_queries(member_client, LIST), count_queries(member_client, LIST))
        )
    assert counts[0] == counts[1]
    cold, warm = counts[0]
    assert warm < cold <= 15
    # session, member, versions (the member's statuses are kept per events version)
    assert warm == 3


# --- The month calendar -------------------------------------------------------------


def test_calendar_shows_a_new_event_and_an_edit_on_the_next_request(member_client):
    day = timezone.make_aware(timezone.datetime(2030, 1, 15, 10))
    make_event(title="Winter gathering", starts_at=day)
    assertContains(
        member_client.get(CALENDAR, {"month": "2030-01"}), "Winter gathering"
    )
    spring = make_event(title="Spring gathering", starts_at=day + timedelta(days=3))
    assertContains(
        member_client.get(CALENDAR, {"month": "2030-01"}), "Spring gathering"
    )
    spring.state = Event.State.CANCELLED
    spring.save()
    response = member_client.get(CALENDAR, {"month": "2030-01"})
    assertNotContains(response, "Spring gathering")
    assertContains(response, "Winter gathering")


def test_calendar_drafts_never_reach_members_and_back(
    member_client, coordinator_client
):
    day = timezone.make_aware(timezone.datetime(2030, 1, 15, 10))
    make_event(title="Secret draft", starts_at=day, state=Event.State.DRAFT)
    for _ in range(2):
        response = coordinator_client.get(CALENDAR, {"month": "2030-01"})
        assertContains(response, "Secret draft")
        response = member_client.get(CALENDAR, {"month": "2030-01"})
        assertNotContains(response, "Secret draft")


def test_calendar_marks_today_as_the_days_go_by(member, member_client, monkeypatch):
    today = timezone.localdate()
    html = member_client.get(CALENDAR).content.decode()
    assert f"Today, </span>{today.day}<" in html
    later(monkeypatch, days=1)
    member_client.force_login(member)  # a sign-in lasts 12 hours at most
    tomorrow = timezone.localdate()
    html = member_client.get(CALENDAR).content.decode()
    assert f"Today, </span>{tomorrow.day}<" in html
    assert f"Today, </span>{today.day}<" not in html


def test_calendar_query_count_is_constant_and_lower_when_warm(member_client):
    day = timezone.make_aware(timezone.datetime(2030, 1, 15, 10))
    member_client.get(CALENDAR)  # the member's permissions are cached from here
    counts = []
    for events in (2, 30):
        for n in range(events):
            make_event(starts_at=day + timedelta(hours=n))
        counts.append(
            (
                count_queries(member_client, CALENDAR, month="2030-01"),
                count_queries(member_client, CALENDAR, month="2030-01"),
            )
        )
    assert counts[0] == counts[1]
    cold, warm = counts[0]
    assert warm < cold <= 15
    assert warm == 3  # session, member, versions


# --- An event's page --------------------------------------------------------------


def test_event_page_shows_registrations_and_edits_on_the_next_request(
    member, member_client, other_member
):
    event = make_event(title="Heat pump clinic", capacity=30)
    session = make_session(event, title="Opening talk", speakers=[other_member])
    response = member_client.get(event.get_absolute_url())
    assertContains(response, "30 left")
    assertContains(response, "Oscar Other")
    make_registration(event, other_member)
    assertContains(member_client.get(event.get_absolute_url()), "29 left")
    session.title = "Keynote"
    session.save()
    other_member.full_name = "Oscar Renamed"
    other_member.save()
    response = member_client.get(event.get_absolute_url())
    assertContains(response, "Keynote")
    assertContains(response, "Oscar Renamed")
    assertNotContains(response, "Oscar Other")
    forum_services.start_discussion_for(
        event, started_by=member, title="About the clinic", body="Thoughts?"
    )
    assertContains(member_client.get(event.get_absolute_url()), "Join the discussion")
    event.state = Event.State.CANCELLED
    event.save()
    assert member_client.get(event.get_absolute_url()).status_code == 404


def test_event_page_stops_counting_places_once_the_event_is_over(
    member, member_client, monkeypatch
):
    event = make_event(capacity=30, starts_at=timezone.now() + timedelta(hours=1))
    assertContains(member_client.get(event.get_absolute_url()), "30 left")
    later(monkeypatch, hours=4)
    member_client.force_login(member)  # 4 idle hours ended the first sign-in
    response = member_client.get(event.get_absolute_url())
    assertNotContains(response, "30 left")
    assertContains(response, "You did not register for this event.")


def test_event_page_shows_each_member_only_their_own_place(
    member, member_client, other_client
):
    event = make_event(online_url="https://meet.example.org/secret-room")
    make_registration(event, member)
    for _ in range(2):  # each order: the registrant first, then another member
        response = member_client.get(event.get_absolute_url())
        assertContains(response, "You are registered.")
        assertContains(response, "secret-room")
        response = other_client.get(event.get_absolute_url())
        assertNotContains(response, "You are registered.")
        assertNotContains(response, "secret-room")
        assertContains(response, "Register</button>")
        assertContains(response, 'name="access_needs"')


def test_event_page_management_never_reaches_members_and_back(
    member_client, coordinator_client
):
    event = make_event()
    make_session(event, title="Opening talk")
    for _ in range(2):
        response = coordinator_client.get(event.get_absolute_url())
        assertContains(response, "Run this event")
        assertContains(response, "Remove<span")
        response = member_client.get(event.get_absolute_url())
        assertNotContains(response, "Run this event")
        assertNotContains(response, "Remove<span")


def test_event_page_forms_carry_each_readers_own_csrf_token(member, other_member):
    event = make_event()
    for reader in (member, other_member):
        client = Client(enforce_csrf_checks=True)
        client.force_login(reader)
        html = client.get(event.get_absolute_url()).content.decode()
        # The token of the "Discuss this" form, in the part shared by everyone.
        discuss = html[html.index(reverse("events:discuss", args=[event.pk])) :]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', discuss)
        response = client.post(
            reverse("events:register", args=[event.pk]),
            {"csrfmiddlewaretoken": token.group(1)},
        )
        assert response.status_code == 302
        assert event.registrations.filter(member=reader).exists()


def test_event_page_query_count_is_constant_and_lower_when_warm(member, member_client):
    event = make_event()
    member_client.get(event.get_absolute_url())  # permissions cached from here
    counts = []
    for n in (1, 12):
        for _ in range(n):
            make_session(event, speakers=[make_member(), make_member()])
            make_registration(event, make_member())
        counts.append(
            (
                count_queries(member_client, event.get_absolute_url()),
                count_queries(member_client, event.get_absolute_url()),
            )
        )
    assert counts[0] == counts[1]
    cold, warm = counts[0]
    assert warm < cold <= 15
    # session, member, versions: the member has no place, so none is read
    assert warm == 3


def test_the_event_page_shows_a_new_place_or_a_cancelled_one_at_once(
    member, member_client
):
    """The member's registrations are kept per events version: a registration
    or cancellation (a change to events) must still show on the next request."""
    event = make_event()
    for url in (event.get_absolute_url(), reverse("events:list")):
        assertNotContains(member_client.get(url), "You are registered")
    registration = make_registration(event, member)
    for url in (event.get_absolute_url(), reverse("events:list")):
        assertContains(member_client.get(url), "You are registered")
    registration.status = "cancelled"
    registration.save()
    for url in (event.get_absolute_url(), reverse("events:list")):
        assertNotContains(member_client.get(url), "You are registered")
