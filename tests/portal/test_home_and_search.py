"""The member home and the one search: they gather from every app, and show each
member only what that member may see."""

import re

import pytest
from django.urls import reverse

from casestudies.models import CaseStudy
from events.models import Event
from network.forums import services as forum_services
from tests.casestudies.factories import make_case_study
from tests.events.factories import make_event, make_registration
from tests.factories import make_member, organisation
from tests.forums.factories import make_reply, make_thread

pytestmark = pytest.mark.django_db


def fill(n, *, author, other):
    """n case studies, events and watched threads with unread replies."""
    for i in range(n):
        make_case_study(title=f"Heat network study {i}", authors=[other])
        event = make_event(title=f"Heat network event {i}")
        make_registration(event, member=author)
        thread = make_thread(author=author, title=f"Heat network thread {i}")
        make_reply(thread, author=other, body="Our heat network costs were lower.")


def test_home_shows_what_matters_to_the_member(member, member_client, other_member):
    mine = make_event(title="Retrofit day")
    make_event(title="Someone else's day")
    make_registration(mine, member=member)
    make_case_study(
        title="Glasgow cycle lanes", organisation=organisation("Glasgow City Council")
    )
    thread = make_thread(author=member, title="Heat pump noise")
    make_reply(thread, author=other_member, body="We measured it.")
    response = member_client.get(reverse("portal:member_home"))
    content = response.content.decode()
    assert "Retrofit day" in content
    assert content.index("Retrofit day") < content.index("Someone else&#x27;s day")
    assert "you are registered" in content
    assert "Glasgow cycle lanes" in content
    assert "Heat pump noise" in content
    assert "1 new post" in content


def glance_row(response, city) -> list[str]:
    """The cells of the city's row in the glance table: members, case studies,
    emissions saved."""
    html = response.content.decode()
    row = re.search(rf'<th scope="row">{city}</th>(.*?)</tr>', html).group(1)
    return re.findall(r'<td class="portal-number">([^<]*)</td>', row)


def test_home_glance_table_counts_per_city(member_client):
    make_member(organisation=organisation("Glasgow City Council"))
    make_member(organisation=organisation("Stirling Council"), approved=False)
    make_case_study(
        organisation=organisation("Stirling Council"), emissions_saved="120.5"
    )
    make_case_study(
        status=CaseStudy.Status.DRAFT, organisation=organisation("Stirling Council")
    )
    response = member_client.get(reverse("portal:member_home"))
    # Pending members and drafts are not counted.
    assert glance_row(response, "Stirling") == ["0", "1", "121"]
    assert glance_row(response, "Glasgow")[0] == "1"
    assert b"Map of Scotland" in response.content


def test_home_panels_show_a_change_on_the_next_visit(member_client, other_member):
    """The glance and the new case studies are cached as HTML for everyone: a new
    case study or member must still show at once, not after a timeout."""
    home = reverse("portal:member_home")
    before = glance_row(member_client.get(home), "Stirling")
    make_case_study(
        title="Stirling solar canopy",
        organisation=organisation("Stirling Council"),
        emissions_saved="10",
    )
    make_member(organisation=organisation("Stirling Council"))
    response = member_client.get(home)
    assert "Stirling solar canopy" in response.content.decode()
    after = glance_row(response, "Stirling")
    assert int(after[0]) == int(before[0]) + 1
    assert int(after[1]) == int(before[1]) + 1


def test_home_follows_the_members_reading_and_new_replies(
    member, member_client, other_member
):
    """The page is kept per member: reading or watching must still show at once."""
    home = reverse("portal:member_home")
    thread = make_thread(author=member, title="Heat pump noise")
    make_reply(thread, author=other_member, body="We measured it.")
    assert "1 new post" in member_client.get(home).content.decode()
    make_reply(thread, author=other_member, body="And again.")
    assert "2 new posts" in member_client.get(home).content.decode()
    member_client.get(thread.get_absolute_url() + "?page=1")  # reads both
    assert "Heat pump noise" not in member_client.get(home).content.decode()
    make_reply(thread, author=other_member, body="A third.")
    forum_services.set_subscription(member, thread=thread, level="muted")
    assert "Heat pump noise" not in member_client.get(home).content.decode()
    forum_services.set_subscription(member, thread=thread, level="watching")
    assert "Heat pump noise" in member_client.get(home).content.decode()


def test_home_drops_an_event_once_it_has_ended(member_client, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    make_event(
        title="Morning webinar",
        starts_at=now - timedelta(minutes=30),
        ends_at=now + timedelta(minutes=30),
    )
    home = reverse("portal:member_home")
    assert "Morning webinar" in member_client.get(home).content.decode()
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(hours=1))
    assert "Morning webinar" not in member_client.get(home).content.decode()


def test_home_events_say_registered_only_to_the_member_who_is(
    member, member_client, other_client, other_member
):
    event = make_event(title="Retrofit day")
    make_registration(event, member=member)
    assert (
        "you are registered"
        in member_client.get(reverse("portal:member_home")).content.decode()
    )
    other = other_client.get(reverse("portal:member_home")).content.decode()
    assert "Retrofit day" in other
    assert "you are registered" not in other
    make_registration(event, member=other_member)
    assert (
        "you are registered"
        in other_client.get(reverse("portal:member_home")).content.decode()
    )


def test_home_events_do_not_say_registered_after_a_cancellation(member, member_client):
    event = make_event(title="Retrofit day")
    make_registration(event, member=member, status="cancelled")
    home = member_client.get(reverse("portal:member_home")).content.decode()
    assert "Retrofit day" in home
    assert "you are registered" not in home


def test_home_training_progress_only_for_elected_members(member_client):
    response = member_client.get(reverse("portal:member_home"))
    assert b"Your Carbon Literacy training" not in response.content
    councillor = make_member(member_type="elected")
    from tests.conftest import client_for

    response = client_for(councillor).get(reverse("portal:member_home"))
    assert b"Your Carbon Literacy training" in response.content


def test_home_query_count_does_not_grow(member, member_client, other_member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def visit():
        with CaptureQueriesContext(connection) as captured:
            response = member_client.get(reverse("portal:member_home"))
        return len(captured), response

    member_client.get(reverse("portal:member_home"))  # permissions cached
    fill(2, author=member, other=other_member)
    cold_small, _ = visit()  # the shared panels are rendered again after a change
    warm_small, _ = visit()
    fill(12, author=member, other=other_member)
    cold_large, _ = visit()
    warm_large, response = visit()
    assert response.content.decode().count("new post") == 5
    assert (cold_large, warm_large) == (cold_small, warm_small)
    assert warm_small < cold_small <= 15


def test_search_groups_kinds_with_counts(member_client, member, other_member):
    make_case_study(title="District heating in Dundee", body="heating the flats")
    event = make_event(title="Heating and cooling day")
    assert event
    make_thread(
        author=other_member, title="Heating costs", body="District heating works."
    )
    make_member(full_name="Heather Heating", job_title="Heating engineer")
    response = member_client.get(reverse("portal:search"), {"q": "heating"})
    groups = {g["kind"].key: g for g in response.context["groups"]}
    assert groups["case_studies"]["count"] == 1
    assert groups["events"]["count"] == 1
    assert groups["posts"]["count"] == 1
    assert groups["members"]["count"] == 1
    content = response.content.decode()
    assert "District heating in Dundee" in content
    assert "?q=heating&amp;kind=case_studies" in content


def test_search_is_stemmed(member_client):
    make_case_study(title="Heat pumps for council homes")
    response = member_client.get(reverse("portal:search"), {"q": "heating pump"})
    assert b"Heat pumps for council homes" in response.content


def test_search_never_shows_what_the_member_may_not_see(
    member_client, other_member, coordinator
):
    make_case_study(
        title="Secret heat draft",
        status=CaseStudy.Status.DRAFT,
        authors=[other_member],
    )
    make_event(title="Cancelled heat event", state=Event.State.CANCELLED)
    make_event(title="Draft heat event", state=Event.State.DRAFT)
    thread = make_thread(
        author=other_member, title="Open heat thread", body="Our heat plan."
    )
    hidden = make_reply(thread, author=other_member, body="Hidden heat remark")
    forum_services.hide_post(hidden, moderator=coordinator, reason="Off topic")
    make_member(approved=False, full_name="Pending Heat Person")
    response = member_client.get(reverse("portal:search"), {"q": "heat"})
    content = response.content.decode()
    for secret in (
        "Secret heat draft",
        "Cancelled heat event",
        "Draft heat event",
        "Hidden heat remark",
        "Pending Heat Person",
    ):
        assert secret not in content
    assert "Open heat thread" in content


def test_search_one_kind_is_paginated(member_client):
    for i in range(25):
        make_case_study(title=f"Solar canopy {i}")
    response = member_client.get(
        reverse("portal:search"), {"q": "solar", "kind": "case_studies"}
    )
    assert len(response.context["page"].object_list) == 20
    assert b"Page 1 of 2" in response.content


def test_search_query_count_does_not_grow(member_client, other_member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def run():
        with CaptureQueriesContext(connection) as captured:
            member_client.get(reverse("portal:search"), {"q": "heat network"})
        return len(captured)

    run()  # the member's permission set is cached from the first request on
    fill(2, author=other_member, other=other_member)
    small = run()
    fill(10, author=other_member, other=other_member)
    assert run() == small


def test_empty_search_shows_the_form(member_client):
    response = member_client.get(reverse("portal:search"), {"q": "   "})
    assert response.status_code == 200
    assert b"Search the network" in response.content


def test_home_shows_a_new_job_title_at_once(member, member_client):
    home = reverse("portal:member_home")
    member_client.get(home)
    member.job_title = "Net zero programme lead"
    member.save()
    assert "Net zero programme lead" in member_client.get(home).content.decode()


def test_search_and_home_show_an_outside_case_study_by_where_it_happened(
    member_client,
):
    make_case_study(
        title="Copenhagen heat for every home",
        organisation=None,
        place=CaseStudy.Place.ABROAD,
        country="Denmark",
        place_name="Copenhagen",
        source_organisation="City of Copenhagen",
    )
    found = member_client.get(reverse("portal:search"), {"q": "Copenhagen heat"})
    assert found.status_code == 200
    assert "Copenhagen, Denmark, outside the network" in found.content.decode()
    home = member_client.get(reverse("portal:member_home"))
    assert home.status_code == 200
    assert "Copenhagen, Denmark, outside the network" in home.content.decode()
