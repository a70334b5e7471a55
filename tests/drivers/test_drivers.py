"""Policy drivers: seeded, named by case studies, threads and events, filtered
on, and each with a page of what the network did under it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from casestudies.models import CaseStudy
from network.models import PolicyDriver
from tests.casestudies.factories import make_case_study
from tests.events.factories import make_event
from tests.factories import make_city, make_organisation, make_theme, organisation
from tests.forums.factories import make_forum, make_thread

pytestmark = pytest.mark.django_db


def driver(slug="pbccd"):
    return PolicyDriver.objects.get(slug=slug)


def test_the_nine_drivers_are_seeded_with_their_official_sources():
    drivers = {d.short_name: d for d in PolicyDriver.objects.all()}
    assert len(drivers) == 9
    assert drivers["PBCCD"].name == "Public Bodies Climate Change Duties"
    assert drivers["PBCCD"].kind == PolicyDriver.Kind.DUTY
    assert drivers["LHEES"].kind == PolicyDriver.Kind.STRATEGY
    assert drivers["Circular Economy Act"].source_url.startswith(
        "https://www.legislation.gov.uk/asp/2024/13"
    )
    assert "COSLA" in drivers["Climate Delivery Framework"].description
    assert all(d.source_url.startswith("https://") for d in drivers.values())


def test_a_case_study_names_its_drivers_on_the_form(member, member_client):
    response = member_client.post(
        reverse("casestudies:create"),
        {
            "title": "School heat pumps",
            "summary": "Heat pumps in six schools.",
            "body": "We did it.",
            "organisation": organisation("Dundee City Council").pk,
            "stage": "planned",
            "emissions_confidence": "estimated",
            "drivers": [driver().pk, driver("lhees").pk],
        },
    )
    assert response.status_code == 302
    case_study = CaseStudy.objects.get(title="School heat pumps")
    assert set(case_study.drivers.values_list("slug", flat=True)) == {"pbccd", "lhees"}


def test_a_thread_names_its_drivers(member, member_client):
    forum = make_forum()
    response = member_client.post(
        reverse("network:thread_create"),
        {
            "forum": forum.pk,
            "title": "LHEES delivery plans",
            "body": "How far are you?",
            "drivers": [driver("lhees").pk],
        },
    )
    assert response.status_code == 302
    assert list(forum.threads.get().drivers.all()) == [driver("lhees")]


def test_list_filters_by_driver_with_counts(member_client):
    make_case_study(title="Heat strategy work").drivers.add(driver("lhees"))
    make_case_study(title="Bus lanes")
    response = member_client.get(reverse("casestudies:list"), {"driver": "lhees"})
    assertContains(response, "Heat strategy work")
    assertNotContains(response, "Bus lanes")
    assertContains(response, "LHEES (1)")


def test_driver_page_gives_figures_by_city_and_lists_what_names_it(
    member, member_client
):
    dundee, perth = make_city(name="Dundee"), make_city(name="Perth")
    council = make_organisation(name="Dundee Council", city=dundee)
    for saved in (10, 5):
        make_case_study(
            organisation=council, emissions_saved=saved, capital_cost=1000
        ).drivers.add(driver())
    make_case_study(
        title="Perth boilers", city=perth, emissions_saved=7, organisation=council
    ).drivers.add(driver())
    make_case_study(title="Draft one", status=CaseStudy.Status.DRAFT).drivers.add(
        driver()
    )
    make_case_study(title="Not under it", emissions_saved=100)
    make_event(title="PBCCD reporting clinic").drivers.add(driver())
    thread = make_thread(author=member, title="Filling in the PBCCD report")
    thread.drivers.add(driver())

    response = member_client.get(reverse("portal:driver", args=["pbccd"]))
    assertContains(response, "Public Bodies Climate Change Duties</h1>")
    table = response.content.decode().split("by city</span></caption>")[1]
    assert '<th scope="row">Dundee</th><td class="portal-number">2</td>' in table
    assert '<td class="portal-number">15.0</td>' in table
    assert '<th scope="row">Perth</th><td class="portal-number">1</td>' in table
    assertContains(response, "<strong>22.0 tCO2e</strong>")
    assertContains(response, "Perth boilers")
    assertNotContains(response, "Draft one")
    assertNotContains(response, "Not under it")
    assertContains(response, "PBCCD reporting clinic")
    assertContains(response, "Filling in the PBCCD report")


def test_driver_list_counts_published_case_studies(member_client):
    make_case_study().drivers.add(driver())
    make_case_study(status=CaseStudy.Status.DRAFT).drivers.add(driver())
    response = member_client.get(reverse("portal:drivers"))
    assertContains(response, reverse("portal:driver", args=["pbccd"]))
    assertContains(response, '<td class="portal-number">1</td>', html=True)


def test_unknown_driver_is_404(member_client):
    assert member_client.get(reverse("portal:driver", args=["nope"])).status_code == 404


def _queries(client, path):
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def test_driver_page_is_paginated_and_its_queries_do_not_grow(member, member_client):
    theme = make_theme(name="Heat")
    path = reverse("portal:driver", args=["pbccd"])
    make_case_study(themes=[theme]).drivers.add(driver())
    few = _queries(member_client, path)
    for i in range(25):
        make_case_study(title=f"Project {i:02}", themes=[theme]).drivers.add(driver())
        make_event().drivers.add(driver())
        make_thread(author=member).drivers.add(driver())
    assert _queries(member_client, path) == few
    response = member_client.get(path, {"page": 2})
    assertContains(response, "Page 2 of 2")
    assertContains(response, "Project 00")
    assertNotContains(response, "Project 24")


def test_an_event_names_its_drivers(coordinator_client):
    from events.models import Event
    from tests.events.test_views import EVENT_FORM

    data = {**EVENT_FORM, "drivers": [driver("low-emission-zones").pk]}
    assert coordinator_client.post(reverse("events:create"), data).status_code == 302
    event = Event.objects.get(title=EVENT_FORM["title"])
    assert list(event.drivers.all()) == [driver("low-emission-zones")]
