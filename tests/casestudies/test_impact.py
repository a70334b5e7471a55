"""The impact page adds up published case studies only."""

from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from casestudies.models import CaseStudy
from casestudies.queries import impact_by_city, impact_by_theme, impact_totals
from network.models import Theme
from tests.casestudies.factories import make_case_study
from tests.factories import organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects():
    heat = Theme.objects.get(slug="low-carbon-heat")
    transport = Theme.objects.get(slug="transport")
    dundee = organisation("Dundee City Council")
    make_case_study(
        organisation=dundee,
        themes=[heat],
        emissions_saved=Decimal("100.5"),
        emissions_confidence="measured",
        capital_cost=1_000_000,
        revenue_cost=50_000,
    )
    make_case_study(
        organisation=dundee,
        themes=[heat, transport],
        emissions_saved=Decimal("20"),
        emissions_confidence="estimated",
        capital_cost=200_000,
    )
    make_case_study(
        organisation=organisation("Stirling Council"),
        themes=[heat],
        emissions_saved=Decimal("7"),
    )
    # Drafts never count.
    make_case_study(
        organisation=dundee,
        emissions_saved=Decimal("9999"),
        capital_cost=9,
        status=CaseStudy.Status.DRAFT,
    )


def test_impact_sums_by_city(projects):
    rows = {r["name"]: r for r in impact_by_city()}
    assert rows["Dundee"]["projects"] == 2
    assert rows["Dundee"]["emissions"] == Decimal("120.5")
    assert rows["Dundee"]["measured"] == Decimal("100.5")
    assert rows["Dundee"]["estimated"] == Decimal("20")
    assert rows["Dundee"]["invested"] == 1_250_000
    assert rows["Stirling"]["invested"] == 0


def test_impact_sums_by_theme_and_totals(projects):
    rows = {r["name"]: r for r in impact_by_theme()}
    assert rows["Low-carbon heat"]["projects"] == 3
    assert rows["Low-carbon heat"]["emissions"] == Decimal("127.5")
    assert rows["Transport"]["emissions"] == Decimal("20")
    totals = impact_totals()
    assert totals["projects"] == 3
    assert totals["emissions"] == Decimal("127.5")


def test_impact_page_shows_chart_and_table(projects, member_client):
    response = member_client.get(reverse("casestudies:impact"))
    assertContains(response, '<figure class="portal-bar-chart"', count=2)
    assertContains(response, ">Impact by city</span></caption>")
    assertContains(response, "120.5")
    assertContains(response, "1,250,000")


def test_impact_page_follows_a_new_case_study_and_a_renamed_theme(
    projects, member_client
):
    """The page is rendered once per catalogue version: a change shows at once."""
    url = reverse("casestudies:impact")
    assertContains(member_client.get(url), "3 published case studies")
    heat = Theme.objects.get(name="Low-carbon heat")
    make_case_study(themes=[heat], emissions_saved="1")
    assertContains(member_client.get(url), "4 published case studies")
    heat.name = "Warm homes, low carbon"
    heat.save()
    assertContains(member_client.get(url), "Warm homes, low carbon")
