"""Learning from outside the network: added by coordinators with a source, kept
apart in the filters and the impact page, never in a city's figures."""

from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from casestudies.models import CaseStudy
from casestudies.queries import impact_by_city, impact_outside, impact_totals
from portal.queries import network_at_a_glance
from tests.casestudies.factories import make_case_study
from tests.factories import organisation

pytestmark = pytest.mark.django_db


def outside(**fields):
    fields.setdefault("place", CaseStudy.Place.ABROAD)
    fields.setdefault("country", "Denmark")
    fields.setdefault("place_name", "Copenhagen")
    fields.setdefault("source_organisation", "City of Copenhagen")
    fields.setdefault("source_url", "https://example.org/copenhagen-heat")
    fields.setdefault("source_licence", "CC BY 4.0")
    fields.setdefault("organisation", None)
    return make_case_study(**fields)


def test_existing_case_studies_are_the_networks_own():
    case_study = make_case_study()
    assert case_study.place == CaseStudy.Place.NETWORK
    assert not case_study.is_outside


def test_an_outside_case_study_never_changes_a_citys_figures():
    dundee = organisation("Dundee City Council")
    make_case_study(organisation=dundee, emissions_saved=Decimal("10"))
    by_city, totals = impact_by_city(), impact_totals()
    home = network_at_a_glance()
    # Even one that names a network council and city stays out of its figures.
    added = outside(
        organisation=dundee, city=dundee.city, emissions_saved=Decimal("999")
    )
    assert added.city is None
    assert impact_by_city() == by_city
    assert impact_totals() == totals
    assert network_at_a_glance() == home
    assert [(r["name"], r["projects"], r["emissions"]) for r in impact_outside()] == [
        ("Abroad", 1, Decimal("999"))
    ]


def test_impact_page_shows_outside_learning_apart(member_client):
    make_case_study(organisation=organisation("Dundee City Council"), emissions_saved=5)
    outside(emissions_saved=Decimal("70"))
    response = member_client.get(reverse("casestudies:impact"))
    assertContains(response, "<strong>5.0 tCO2e</strong>")
    body = response.content.decode().split("Learning from outside the network")[1]
    assert '<th scope="row">Abroad</th><td class="portal-number">1</td>' in body
    assert '<td class="portal-number">70.0</td>' in body


def test_list_filters_network_and_outside_apart(member_client):
    make_case_study(title="Dundee heat network")
    outside(title="Copenhagen district heating")
    url = reverse("casestudies:list")
    response = member_client.get(url, {"place": "outside"})
    assertContains(response, "Copenhagen district heating")
    assertContains(response, "From outside the network: Copenhagen, Denmark")
    assertNotContains(response, "Dundee heat network")
    response = member_client.get(url, {"place": "network"})
    assertContains(response, "Dundee heat network")
    assertNotContains(response, "Copenhagen district heating")
    assertContains(response, '<option value="outside">Outside it</option>', html=True)


def _form(**fields):
    data = {
        "title": "Copenhagen district heating",
        "summary": "Heat for a whole city.",
        "body": "How they did it.",
        "stage": "complete",
        "emissions_confidence": "estimated",
        "place": "abroad",
        "country": "Denmark",
        "place_name": "Copenhagen",
        "source_organisation": "City of Copenhagen",
        "source_url": "https://example.org/heat",
        "source_licence": "CC BY 4.0",
    }
    return {**data, **fields}


def test_a_coordinator_adds_an_outside_case_study(coordinator, coordinator_client):
    response = coordinator_client.post(reverse("casestudies:create"), _form())
    assert response.status_code == 302
    case_study = CaseStudy.objects.get(title="Copenhagen district heating")
    assert case_study.place == "abroad"
    assert case_study.organisation is None
    assert case_study.added_by == coordinator
    response = coordinator_client.get(case_study.get_absolute_url())
    assertContains(response, "Abroad: Copenhagen, Denmark")
    assertContains(response, "City of Copenhagen</a> (CC BY 4.0)")


def test_an_outside_case_study_needs_its_source(coordinator_client):
    response = coordinator_client.post(
        reverse("casestudies:create"),
        _form(source_organisation="", source_licence="", country=""),
    )
    assert response.status_code == 200
    assertContains(response, "Name the organisation it comes from.")
    assertContains(response, "Say under what licence or permission it is used.")
    assertContains(response, "Name the country.")
    assertContains(response, 'value="Copenhagen district heating"')
    assert not CaseStudy.objects.exists()


def test_a_network_case_study_still_needs_its_lead_organisation(coordinator_client):
    response = coordinator_client.post(
        reverse("casestudies:create"), _form(place="network")
    )
    assertContains(response, "Choose the council or body that led it.")


def test_members_cannot_add_outside_case_studies(member_client):
    response = member_client.get(reverse("casestudies:create"))
    assertNotContains(response, 'name="source_organisation"')
    member_client.post(
        reverse("casestudies:create"),
        _form(organisation=organisation("Dundee City Council").pk),
    )
    assert CaseStudy.objects.get().place == CaseStudy.Place.NETWORK
