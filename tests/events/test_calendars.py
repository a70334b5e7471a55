"""Calendar files: RFC 5545 with Scotland's time zone, and the secret feeds."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from events.models import Event
from events.services import calendar_feed_for
from tests.events.factories import make_event, make_registration

pytestmark = pytest.mark.django_db


def _parse(response):
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


@pytest.mark.parametrize(
    ("local", "utc_hour"),
    [
        (datetime(2030, 7, 10, 10, 0), 9),  # British Summer Time, UTC+1
        (datetime(2030, 1, 15, 10, 0), 10),  # Greenwich Mean Time
        (datetime(2030, 3, 31, 10, 0), 9),  # the morning the clocks go forward
        (datetime(2030, 10, 27, 10, 0), 10),  # the morning they go back
    ],
)
def test_ics_gives_the_right_instant_either_side_of_the_clock_change(
    member_client, local, utc_hour
):
    event = make_event(title="Heat networks", starts_at=timezone.make_aware(local))
    cal = _parse(member_client.get(reverse("events:ics", args=[event.pk])))
    (vevent,) = cal.walk("VEVENT")
    start = vevent.decoded("dtstart")
    assert start.astimezone(UTC) == datetime(
        local.year, local.month, local.day, utc_hour, tzinfo=UTC
    )
    assert str(start.tzinfo) == "Europe/London"
    assert vevent["dtstart"].params["TZID"] == "Europe/London"
    # The file carries its own VTIMEZONE, as RFC 5545 asks of a TZID.
    (vtimezone,) = cal.walk("VTIMEZONE")
    assert vtimezone["TZID"] == "Europe/London"
    assert str(vevent["summary"]) == "Heat networks"
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    assert vevent["UID"] and vevent["DTSTAMP"]


def test_member_feed_lists_my_events_and_reset_revokes_it(
    client, member, member_client
):
    mine = make_event(title="Mine", online_url="https://meet.example.org/room-a")
    make_event(title="Not mine")
    make_registration(mine, member)
    make_registration(make_event(title="Called off", state="cancelled"), member)
    feed = calendar_feed_for(member)
    url = reverse("events:member_feed", args=[feed.token])
    cal = _parse(client.get(url))  # calendar programs do not sign in
    assert [str(e["summary"]) for e in cal.walk("VEVENT")] == ["Mine"]
    assert "room-a" in client.get(url).content.decode().replace("\r\n ", "")

    member_client.post(reverse("events:my_calendar_reset"))
    assert client.get(url).status_code == 404
    new = reverse("events:member_feed", args=[calendar_feed_for(member).token])
    assert client.get(new).status_code == 200


def test_network_and_public_feeds_hide_drafts_and_cancelled(client, member):
    make_event(title="Published members only")
    make_event(title="Published public", is_public=True)
    make_event(title="Draft", state=Event.State.DRAFT, is_public=True)
    make_event(title="Cancelled", state=Event.State.CANCELLED, is_public=True)
    token = calendar_feed_for(member).token
    network = _parse(client.get(reverse("events:network_feed", args=[token])))
    assert sorted(str(e["summary"]) for e in network.walk("VEVENT")) == [
        "Published members only",
        "Published public",
    ]
    public = _parse(client.get(reverse("events:public_feed")))
    assert [str(e["summary"]) for e in public.walk("VEVENT")] == ["Published public"]
    assert client.get(reverse("events:network_feed", args=["wrong"])).status_code == 404


def _titles(client, url) -> set[str]:
    return {str(e["summary"]) for e in _parse(client.get(url)).walk("VEVENT")}


def test_feeds_follow_changes_and_leave_out_long_past_events(client, member, jobs):
    from datetime import timedelta

    from django.utils import timezone

    long_ago = timezone.now() - timedelta(days=400)
    make_event(
        title="Long past",
        is_public=True,
        starts_at=long_ago,
        ends_at=long_ago + timedelta(hours=2),
    )
    make_event(title="Soon", is_public=True)
    url = reverse("events:public_feed")
    assert _titles(client, url) == {"Soon"}  # the first reader's request builds it
    assert not jobs.waiting("events.feeds.build_feed")

    make_event(title="Added later", is_public=True)
    # Readers get the last copy at once while one job builds the new one.
    assert _titles(client, url) == {"Soon"}
    assert _titles(client, url) == {"Soon"}
    assert len(jobs.waiting("events.feeds.build_feed")) == 1
    jobs.run()
    assert _titles(client, url) == {"Soon", "Added later"}
    assert not jobs.waiting("events.feeds.build_feed")


def test_the_members_feed_of_every_event_is_renewed_by_the_job_too(member, jobs):
    from django.test import Client

    make_event(title="Heat networks")
    token = calendar_feed_for(member).token
    url = reverse("events:network_feed", args=[token])
    client = Client()
    assert _titles(client, url) == {"Heat networks"}
    make_event(title="Retrofit")
    assert _titles(client, url) == {"Heat networks"}
    jobs.run()
    assert _titles(client, url) == {"Heat networks", "Retrofit"}
