"""A coordinator schedules an event with an agenda and publishes it; officers
register until it is full, and the next one joins the waiting list."""

from pathlib import Path

import pytest
from icalendar import Calendar

from events.models import Event, Registration
from tests.browser.conftest import assert_accessible, sign_in_as, tick
from tests.factories import make_member

pytestmark = pytest.mark.django_db(transaction=True)


def _page_for(page, member):
    other = page.context.browser.new_context(base_url=page.live_url).new_page()
    other.live_url = page.live_url
    sign_in_as(other, member)
    return other


def test_schedule_publish_register_and_wait(page):
    coordinator = make_member(full_name="Callum Fraser", perms=["events.manage_events"])
    first = make_member(full_name="Aileen Murray", member_type="officer")
    second = make_member(full_name="Iain MacLeod", member_type="officer")

    sign_in_as(page, coordinator)
    page.goto("/events/")
    assert_accessible(page)
    page.get_by_role("link", name="Schedule an event").click()
    page.wait_for_url("**/events/new/")
    assert_accessible(page)
    page.get_by_label("Title").fill("Heat networks masterclass")
    page.get_by_label("Format").select_option("online")
    page.get_by_label("Online joining link").fill("https://meet.example.org/heat-room")
    page.get_by_label("Starts").fill("2030-07-10T10:00")
    page.get_by_label("Ends").fill("2030-07-10T12:00")
    page.get_by_label("Capacity").fill("1")
    page.get_by_role("button", name="Save event").click()
    page.get_by_text("Event saved as a draft").wait_for()
    assert_accessible(page)
    event = Event.objects.get(title="Heat networks masterclass")
    assert event.state == "draft"

    page.get_by_role("link", name="Add a session").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Dundee's district heating")
    page.get_by_label("Guest speakers").fill("Jane Smith, Scottish Government")
    page.get_by_role("button", name="Save session").click()
    page.get_by_role("heading", name="Dundee's district heating").wait_for()
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Event published").wait_for()
    assert_accessible(page)

    officer = _page_for(page, first)
    officer.goto(f"/events/{event.pk}/")
    assert_accessible(officer)
    officer.get_by_label("Access needs").fill("Live captions, please")
    tick(officer.get_by_label("I agree that the coordinators running this event"))
    officer.get_by_role("button", name="Register").click()
    officer.get_by_text("You are registered.").first.wait_for()
    assert officer.get_by_role(
        "link", name="https://meet.example.org/heat-room"
    ).count()
    assert_accessible(officer)
    with officer.expect_download() as download:
        officer.get_by_role("link", name="Add to your calendar (.ics)").click()
    ics = Calendar.from_ical(Path(download.value.path()).read_bytes())
    (vevent,) = ics.walk("VEVENT")
    assert str(vevent["summary"]) == "Heat networks masterclass"
    assert vevent.decoded("dtstart").utcoffset().total_seconds() == 3600

    # The month calendar, past events and calendar feeds pages.
    officer.goto("/events/calendar/?month=2030-07")
    assert officer.get_by_role("link", name="10:00 Heat networks masterclass").count()
    assert_accessible(officer)
    for path in ("/events/past/", "/events/my-calendar/", "/events/public/"):
        officer.goto(path)
        assert_accessible(officer)

    late = _page_for(page, second)
    late.goto(f"/events/{event.pk}/")
    assert late.get_by_text("full, new registrations join the waiting list").count()
    assert not late.get_by_text("heat-room").count()
    late.get_by_role("button", name="Join the waiting list").click()
    late.get_by_text("You are on the waiting list").first.wait_for()
    assert_accessible(late)
    assert Registration.objects.get(member=second).status == "waiting"

    page.goto(f"/events/{event.pk}/registrations/")
    assert_accessible(page)
    assert page.get_by_text("Live captions, please").count()
