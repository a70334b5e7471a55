"""Event pages as members, coordinators and visitors see them."""

import csv
import io
from datetime import UTC, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from events.models import Event, Registration, Session
from events.queries import (
    search_events,
    speakers_for_topic,
    talks_by,
    upcoming_events_for,
)
from tests.events.factories import make_event, make_registration, make_session
from tests.factories import make_member, make_theme

pytestmark = pytest.mark.django_db


def _fill(n, *, past=False):
    now = timezone.now()
    for i in range(n):
        start = now - timedelta(days=3 + i) if past else now + timedelta(days=3 + i)
        event = make_event(
            title=f"Event {i}", themes=[make_theme()], starts_at=start, is_public=True
        )
        make_session(event, speakers=[make_member()])
        make_registration(event, make_member())


@pytest.mark.parametrize(
    "url_name", ["events:list", "events:past", "events:public_list"]
)
def test_lists_run_the_same_queries_with_5_and_50_events(
    member_client, django_assert_num_queries, url_name
):
    past = url_name == "events:past"
    _fill(5, past=past)
    url = reverse(url_name)
    member_client.get(url)  # the member's permissions are cached from here on
    # Each size is loaded twice: right after the change (a list kept rendered is
    # rendered anew) and again (from the cache, for those kept rendered).
    _fill(1, past=past)
    with CaptureQueriesContext(connection) as five:
        assert member_client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as five_again:
        assert member_client.get(url).status_code == 200
    _fill(45, past=past)
    with django_assert_num_queries(len(five.captured_queries)):
        response = member_client.get(url)
    assert len(response.context["page"].object_list) == 20
    with django_assert_num_queries(len(five_again.captured_queries)):
        member_client.get(url)


def test_list_shows_published_only_and_my_status(member, member_client):
    mine = make_event(title="Heat networks masterclass")
    make_registration(mine, member)
    make_event(title="Secret draft", state=Event.State.DRAFT)
    make_event(title="Called off", state=Event.State.CANCELLED)
    response = member_client.get(reverse("events:list"))
    assertContains(response, "Heat networks masterclass")
    assertContains(response, "You are registered")
    assertNotContains(response, "Secret draft")
    assertNotContains(response, "Called off")


def test_coordinator_sees_drafts(coordinator_client):
    make_event(title="Secret draft", state=Event.State.DRAFT)
    assertContains(coordinator_client.get(reverse("events:list")), "Secret draft")


@pytest.mark.parametrize("state", [Event.State.DRAFT, Event.State.CANCELLED])
def test_members_get_404_for_drafts_and_cancelled(member_client, state):
    event = make_event(state=state)
    assert member_client.get(event.get_absolute_url()).status_code == 404
    assert member_client.get(reverse("events:ics", args=[event.pk])).status_code == 404


def test_joining_link_only_for_confirmed_registrants(
    member, member_client, other_member, other_client
):
    event = make_event(capacity=1, online_url="https://meet.example.org/secret-room")
    assertNotContains(member_client.get(event.get_absolute_url()), "secret-room")
    member_client.post(
        reverse("events:register", args=[event.pk]),
        {"access_needs": "Captions", "needs_consent": "on"},
    )
    assertContains(member_client.get(event.get_absolute_url()), "secret-room")
    # The next is waiting: still no link, and a visitor's public page has none.
    other_client.post(reverse("events:register", args=[event.pk]), {})
    response = other_client.get(event.get_absolute_url())
    assertContains(response, "waiting list")
    assertNotContains(response, "secret-room")
    assertNotContains(
        other_client.get(reverse("events:ics", args=[event.pk])), "secret-room"
    )
    assertContains(
        member_client.get(reverse("events:ics", args=[event.pk])), "secret-room"
    )
    assert Registration.objects.get(member=member).access_needs == "Captions"


def test_public_pages_show_public_events_without_link_or_registrants(client, member):
    event = make_event(
        title="Open day",
        is_public=True,
        online_url="https://meet.example.org/secret-room",
    )
    make_registration(event, member)
    hidden = make_event(title="Members only", is_public=False)
    response = client.get(reverse("events:public_list"))
    assertContains(response, "Open day")
    assertNotContains(response, "Members only")
    detail = client.get(reverse("events:public_detail", args=[event.pk]))
    assertContains(detail, "Open day")
    assertNotContains(detail, "secret-room")
    assertNotContains(detail, member.full_name)
    assert (
        client.get(reverse("events:public_detail", args=[hidden.pk])).status_code == 404
    )
    draft = make_event(state=Event.State.DRAFT, is_public=True)
    assert (
        client.get(reverse("events:public_detail", args=[draft.pk])).status_code == 404
    )


def test_member_cancels_and_first_waiting_is_emailed(
    member, member_client, other_member, jobs
):
    event = make_event(capacity=1)
    make_registration(event, member)
    make_registration(event, other_member, status="waiting")
    with jobs:
        member_client.post(reverse("events:registration_cancel", args=[event.pk]))
    assert Registration.objects.get(member=other_member).status == "confirmed"
    assert mail.outbox[-1].to == [other_member.email]


def test_members_cannot_manage(member_client):
    event = make_event()
    for name in [
        "events:edit",
        "events:registrations",
        "events:registrations_csv",
        "events:email_registrants",
        "events:feedback_results",
        "events:session_create",
        "events:cancel",
    ]:
        assert member_client.get(reverse(name, args=[event.pk])).status_code == 403, (
            name
        )
    assert member_client.get(reverse("events:create")).status_code == 403


EVENT_FORM = {
    "title": "Heat pumps in schools",
    "description": "What we learned.",
    "format": "online",
    "online_url": "https://meet.example.org/heat",
    "starts_at": "2030-07-10T10:00",
    "ends_at": "2030-07-10T12:00",
    "audience": "everyone",
    "capacity": "25",
}


def test_coordinator_creates_in_local_time_and_publishes(coordinator_client):
    response = coordinator_client.post(reverse("events:create"), EVENT_FORM)
    event = Event.objects.get(title="Heat pumps in schools")
    assert response["Location"] == event.get_absolute_url()
    assert event.state == "draft"
    # 10:00 in July is British Summer Time: 09:00 UTC.
    assert event.starts_at.astimezone(UTC).hour == 9
    coordinator_client.post(reverse("events:publish", args=[event.pk]))
    event.refresh_from_db()
    assert event.state == "published"
    assert event.published_at


def test_bad_event_form_keeps_input_and_names_fields(coordinator_client):
    data = {
        **EVENT_FORM,
        "ends_at": "2030-07-10T09:00",
        "online_url": "",
        "capacity": "lots",
    }
    response = coordinator_client.post(reverse("events:create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"ends_at", "online_url", "capacity"}
    assertContains(response, "Heat pumps in schools")


def test_coordinator_adds_session_with_speakers_and_slides(
    coordinator_client, member, member_client
):
    event = make_event()
    local = timezone.localtime(event.starts_at)
    slides = SimpleUploadedFile(
        "heat.pdf", b"%PDF-1.4 slides", content_type="application/pdf"
    )
    response = coordinator_client.post(
        reverse("events:session_create", args=[event.pk]),
        {
            "title": "Dundee heat network",
            "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (local + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"),
            "speaker_members": f" {member.email.upper()}\n",
            "guest_speakers": "Jane Smith, Scottish Government",
            "slides": slides,
        },
    )
    assert response.status_code == 302
    session = Session.objects.get(title="Dundee heat network")
    assert [s.display_name for s in session.speakers.all()] == [
        member.full_name,
        "Jane Smith",
    ]
    page = member_client.get(event.get_absolute_url())
    assertContains(page, "Jane Smith")
    assertContains(page, "Scottish Government")
    assertContains(page, reverse("portal:profile", args=[member.pk]))
    download = member_client.get(
        reverse("events:session_slides", args=[event.pk, session.pk])
    )
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert list(search_events("Dundee", viewer=member)) == [event]
    assert list(talks_by(member)) == [session]


def test_a_speaker_address_no_member_has_is_a_field_error_keeping_the_text(
    coordinator_client, member
):
    event = make_event()
    local = timezone.localtime(event.starts_at)
    response = coordinator_client.post(
        reverse("events:session_create", args=[event.pk]),
        {
            "title": "Dundee heat network",
            "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (local + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"),
            "speaker_members": f"{member.email}\nnobody@example.org",
        },
    )
    assert response.status_code == 200
    assert "speaker_members" in response.context["form"].errors
    assertContains(response, "No approved member has the address")
    assertContains(response, "nobody@example.org")
    assert not Session.objects.filter(title="Dundee heat network").exists()


def test_editing_a_session_shows_its_member_speakers_addresses(
    coordinator_client, member
):
    event = make_event()
    session = make_session(event, speakers=[member])
    response = coordinator_client.get(
        reverse("events:session_edit", args=[event.pk, session.pk])
    )
    assertContains(response, member.email)


def test_guest_speaker_without_a_name_is_a_field_error(coordinator_client):
    # ", Scottish Government" once reached the database as a nameless guest: a 500.
    event = make_event()
    local = timezone.localtime(event.starts_at)
    response = coordinator_client.post(
        reverse("events:session_create", args=[event.pk]),
        {
            "title": "Talk",
            "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (local + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"),
            "guest_speakers": ", Scottish Government",
        },
    )
    assert response.status_code == 200
    assert "guest_speakers" in response.context["form"].errors
    assertContains(response, ", Scottish Government")
    assert not Session.objects.filter(event=event).exists()


def test_fake_slides_are_refused(coordinator_client):
    event = make_event()
    local = timezone.localtime(event.starts_at)
    response = coordinator_client.post(
        reverse("events:session_create", args=[event.pk]),
        {
            "title": "Talk",
            "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (local + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"),
            "slides": SimpleUploadedFile(
                "talk.pdf", b"<html><script>", content_type="application/pdf"
            ),
        },
    )
    assert response.status_code == 200
    assert "slides" in response.context["form"].errors


def test_registrations_csv_and_attendance(coordinator_client, member):
    event = make_event()
    member.job_title = "=HYPERLINK(evil)"
    member.save()
    registration = make_registration(event, member, dietary_needs="Vegan")
    response = coordinator_client.get(
        reverse("events:registrations_csv", args=[event.pk])
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][0] == member.full_name
    assert rows[1][3] == "'=HYPERLINK(evil)"
    # Needs leave only in the needs download, for the event's own coordinators.
    assert "Dietary needs" not in rows[0] and "Vegan" not in response.content.decode()
    coordinator_client.post(
        reverse("events:registrations", args=[event.pk]),
        {"on_page": [registration.pk], "attended": [registration.pk]},
    )
    registration.refresh_from_db()
    assert registration.attended


def test_email_registrants(coordinator_client, member, other_member, jobs):
    event = make_event()
    make_registration(event, member)
    make_registration(event, other_member, status="waiting")
    with jobs:
        coordinator_client.post(
            reverse("events:email_registrants", args=[event.pk]),
            {
                "statuses": ["confirmed"],
                "subject": "Room change",
                "body": "Room 2 now.",
            },
        )
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "Room change" in mail.outbox[0].subject


def test_search_hides_drafts_from_members(member, coordinator):
    make_event(title="Retrofit summit", state=Event.State.DRAFT)
    assert list(search_events("retrofit", viewer=member)) == []
    assert len(search_events("retrofit", viewer=coordinator)) == 1


def test_upcoming_events_for_puts_mine_first(member):
    soon = make_event(starts_at=timezone.now() + timedelta(days=1))
    later = make_event(starts_at=timezone.now() + timedelta(days=20))
    make_event(state=Event.State.DRAFT)
    make_registration(later, member)
    assert upcoming_events_for(member) == [later, soon]


def test_speakers_for_topic(member):
    theme = make_theme()
    event = make_event(themes=[theme])
    make_session(event, speakers=[member])
    make_session(make_event(), speakers=[make_member()])
    assert list(speakers_for_topic(theme=theme)) == [member]


def test_month_calendar_shows_the_event_on_its_day(member_client):
    make_event(
        title="Winter gathering",
        starts_at=timezone.make_aware(timezone.datetime(2030, 1, 15, 10)),
    )
    response = member_client.get(reverse("events:calendar"), {"month": "2030-01"})
    assertContains(response, "Winter gathering")
    assertContains(response, "January 2030")
    # A stale month shows this month rather than an error.
    assert (
        member_client.get(reverse("events:calendar"), {"month": "nonsense"}).status_code
        == 200
    )


def test_feedback_only_from_attendees(
    member, member_client, other_member, other_client, coordinator_client
):
    event = make_event(starts_at=timezone.now() - timedelta(days=2))
    make_registration(event, member, attended=True)
    make_registration(event, other_member)
    url = reverse("events:feedback", args=[event.pk])
    assert other_client.get(url).status_code == 404
    member_client.post(url, {"rating": "4", "comment": "Very useful"})
    results = coordinator_client.get(
        reverse("events:feedback_results", args=[event.pk])
    )
    assertContains(results, "Very useful")
    assertContains(results, "average rating 4.0")


def test_demo_data_loads_twice():
    import io as _io

    from events.demo import create_demo
    from network.demo import create_demo as network_demo

    members = {}
    out = _io.StringIO()
    network_demo(members, out)
    create_demo(members, out)
    create_demo(members, out)
    first = Event.objects.get(title="Low-carbon heat and energy efficiency")
    assert first.starts_at.year == 2021 and first.starts_at.month == 4
    titles = list(first.sessions.values_list("title", flat=True))
    assert titles[0] == "Welcome" and titles[-1] == "Questions and answers"
    assert Event.objects.count() == 6


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "1-1"])
def test_month_calendar_at_the_edge_of_time_shows_this_month(member_client, month):
    # A month whose neighbours cannot be dates gave a server error.
    response = member_client.get(reverse("events:calendar"), {"month": month})
    assert response.status_code == 200
    assertContains(response, timezone.localdate().strftime("%B %Y"))


def test_attendance_with_a_junk_id_is_ignored_not_a_500(coordinator_client, member):
    # "²" passes str.isdigit() but int() refuses it.
    event = make_event()
    registration = make_registration(event, member)
    response = coordinator_client.post(
        reverse("events:registrations", args=[event.pk]),
        {"on_page": ["²", registration.pk], "attended": ["²", registration.pk]},
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.attended


LONG_NEEDS = "A step-free route and a hearing loop near the front, please. " * 40


def test_refused_registration_keeps_what_was_typed(member, member_client):
    # Over-long needs redirected to the event page and lost the typing.
    event = make_event()
    response = member_client.post(
        reverse("events:register", args=[event.pk]),
        {"access_needs": LONG_NEEDS, "dietary_needs": "Vegan, no nuts"},
    )
    assert response.status_code == 200
    assert "access_needs" in response.context["form"].errors
    assertContains(response, "at most 2000 characters")
    assertContains(response, 'href="#id_access_needs"')
    assertContains(response, LONG_NEEDS.strip())
    assertContains(response, "Vegan, no nuts")
    assert not Registration.objects.filter(event=event, member=member).exists()


def test_refused_change_of_needs_keeps_what_was_typed(member, member_client):
    event = make_event()
    make_registration(event, member, dietary_needs="Vegetarian")
    response = member_client.post(
        reverse("events:registration_update", args=[event.pk]),
        {"access_needs": LONG_NEEDS, "dietary_needs": "Vegan, no nuts"},
    )
    assert response.status_code == 200
    assert "access_needs" in response.context["form"].errors
    assertContains(response, "at most 2000 characters")
    assertContains(response, LONG_NEEDS.strip())
    assertContains(
        response, '<details class="ds_details" data-module="ds-details" open>'
    )
    registration = Registration.objects.get(event=event, member=member)
    assert registration.dietary_needs == "Vegetarian"
