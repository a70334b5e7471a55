"""Finding case studies: search, filters with counts, CSV, and a steady query count."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from casestudies.models import CaseStudy
from casestudies.queries import facet_counts, list_case_studies
from casestudies.services import catalogue_changed
from network.models import Theme
from tests.casestudies.factories import make_case_study
from tests.factories import make_member, organisation

pytestmark = pytest.mark.django_db

LIST = reverse("casestudies:list")


def titles(response):
    return [cs.title for cs in response.context["page"]]


def test_stemmed_search_finds_heat_from_heating(member_client):
    make_case_study(title="District heat network in Dundee")
    make_case_study(title="Cycle lanes", body="Segregated routes for bikes.")
    response = member_client.get(LIST, {"q": "heating"})
    assert titles(response) == ["District heat network in Dundee"]


def test_search_ranks_title_above_body_and_highlights(member_client):
    make_case_study(title="Bus depot", body="The depot uses hydrogen fuel cells.")
    make_case_study(title="Hydrogen buses for Aberdeen", body="Buses on routes.")
    response = member_client.get(LIST, {"q": "hydrogen"})
    assert titles(response) == ["Hydrogen buses for Aberdeen", "Bus depot"]
    assertContains(response, "<mark>hydrogen</mark>")


def test_search_snippet_escapes_member_html(member_client):
    make_case_study(title="Heat", body="heat <b>bold</b> <script>alert(1)</script>")
    response = member_client.get(LIST, {"q": "heat"})
    assertNotContains(response, "<script>alert(1)")
    assertNotContains(response, "<b>bold</b>")


def test_sort_newest_overrides_relevance(member_client):
    make_case_study(
        title="Hydrogen buses", published_at=datetime(2022, 1, 1, tzinfo=UTC)
    )
    make_case_study(
        title="Depot", body="hydrogen", published_at=datetime(2024, 1, 1, tzinfo=UTC)
    )
    response = member_client.get(LIST, {"q": "hydrogen", "sort": "newest"})
    assert titles(response) == ["Depot", "Hydrogen buses"]


def test_filters_combine(member_client):
    heat = Theme.objects.get(slug="low-carbon-heat")
    transport = Theme.objects.get(slug="transport")
    dundee = organisation("Dundee City Council")
    stirling = organisation("Stirling Council")
    make_case_study(
        title="Dundee heat 2021",
        organisation=dundee,
        themes=[heat],
        tags=["heat pumps"],
    )
    make_case_study(
        title="Dundee heat 2023",
        organisation=dundee,
        themes=[heat],
        start_date=date(2023, 5, 1),
    )
    make_case_study(title="Dundee buses", organisation=dundee, themes=[transport])
    make_case_study(title="Stirling heat", organisation=stirling, themes=[heat])
    response = member_client.get(
        LIST, {"city": "dundee", "theme": "low-carbon-heat", "year": "2021"}
    )
    assert titles(response) == ["Dundee heat 2021"]
    response = member_client.get(LIST, {"council": "stirling-council"})
    assert titles(response) == ["Stirling heat"]
    response = member_client.get(LIST, {"tag": "heat-pumps", "stage": "planned"})
    assert titles(response) == ["Dundee heat 2021"]
    response = member_client.get(LIST, {"tag": "heat-pumps", "stage": "complete"})
    assert titles(response) == []


def test_facet_counts_respect_the_other_filters():
    heat = Theme.objects.get(slug="low-carbon-heat")
    transport = Theme.objects.get(slug="transport")
    dundee = organisation("Dundee City Council")
    make_case_study(organisation=dundee, themes=[heat, transport])
    make_case_study(organisation=dundee, themes=[heat])
    make_case_study(organisation=organisation("Stirling Council"), themes=[heat])
    facets = facet_counts(city="dundee")
    assert ("low-carbon-heat", "Low-carbon heat", 2) in facets["theme"]
    assert ("transport", "Transport", 1) in facets["theme"]
    # The city facet ignores its own filter, so the other choices stay visible.
    assert {(v, n) for v, _, n in facets["city"]} == {("dundee", 2), ("stirling", 1)}
    assert facets["year"] == [("2021", "2021", 2)]


def test_counts_shown_beside_each_choice(member_client):
    make_case_study(organisation=organisation("Dundee City Council"))
    assertContains(member_client.get(LIST), "Dundee (1)")


def test_stale_filter_is_ignored_not_an_error(member_client):
    make_case_study(title="Any")
    response = member_client.get(LIST, {"year": "not-a-year", "stage": "nonsense"})
    assert response.status_code == 200
    assert titles(response) == ["Any"]


def test_csv_matches_the_filters(member_client):
    heat = Theme.objects.get(slug="low-carbon-heat")
    make_case_study(
        title="Dundee heat", themes=[heat], capital_cost=1000, emissions_saved=12.5
    )
    make_case_study(
        title="Glasgow bikes", organisation=organisation("Glasgow City Council")
    )
    make_case_study(title="=HYPERLINK(evil)", themes=[heat])
    response = member_client.get(
        reverse("casestudies:csv"), {"theme": "low-carbon-heat"}
    )
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(content)))
    assert sorted(r["Title"] for r in rows) == ["'=HYPERLINK(evil)", "Dundee heat"]
    dundee = next(r for r in rows if r["Title"] == "Dundee heat")
    assert dundee["Capital cost (£)"] == "1000"
    assert dundee["Emissions saved (tCO2e a year)"] == "12.5"
    assert dundee["Themes"] == "Low-carbon heat"
    # The page and the spreadsheet agree.
    page = member_client.get(LIST, {"theme": "low-carbon-heat"})
    assert sorted(titles(page)) == sorted(
        cs.title for cs in list_case_studies(theme="low-carbon-heat")
    )


def _make_many(count):
    heat = Theme.objects.get(slug="low-carbon-heat")
    authors = [make_member()]
    for n in range(count):
        make_case_study(
            title=f"Heat project {n}",
            authors=authors,
            themes=[heat],
            tags=["heat pumps", f"tag{n % 3}"],
        )


@pytest.mark.parametrize("params", [{}, {"q": "heat", "theme": "low-carbon-heat"}])
def test_list_query_count_is_the_same_with_5_and_50(
    member_client, django_assert_num_queries, params
):
    _make_many(5)
    member_client.get(LIST, params)  # warm the session and permission caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Cold (a new catalogue version: counts recomputed) and warm (cached counts)
    # requests each cost the same number of queries with 5 and with 50.
    catalogue_changed()
    with CaptureQueriesContext(connection) as five:
        member_client.get(LIST, params)
    with CaptureQueriesContext(connection) as five_warm:
        member_client.get(LIST, params)
    _make_many(45)
    with django_assert_num_queries(len(five)):
        response = member_client.get(LIST, params)
    assert len(response.context["page"]) == 20
    with django_assert_num_queries(len(five_warm)):
        member_client.get(LIST, params)
    assert len(five_warm) < len(five)


def test_csv_published_date_is_the_uk_date(member_client):
    # 23:30 UTC on 30 June is 00:30 on 1 July in Scotland, as the page shows.
    make_case_study(
        title="Late night", published_at=datetime(2025, 6, 30, 23, 30, tzinfo=UTC)
    )
    response = member_client.get(reverse("casestudies:csv"))
    content = b"".join(response.streaming_content).decode()
    (row,) = csv.DictReader(io.StringIO(content))
    assert row["Published"] == "2025-07-01"


def _csv_rows(member_client, params):
    """The spreadsheet's rows and the queries its stream ran."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = member_client.get(reverse("casestudies:csv"), params)
    with CaptureQueriesContext(connection) as streamed:
        content = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(content))), len(streamed)


@pytest.mark.parametrize("params", [{}, {"q": "project"}])
def test_csv_query_count_is_the_same_for_3_and_30(member_client, params):
    """The whole catalogue is 100,000 rows at scale: one query read through a
    cursor, with each row's themes and tags gathered in it, never a query per
    row or per chunk."""
    heat = Theme.objects.get(slug="low-carbon-heat")
    for i in range(3):
        make_case_study(title=f"Project {i}", themes=[heat], tags=[f"t{i}", "=sum"])
    three, three_queries = _csv_rows(member_client, params)
    for i in range(3, 30):
        make_case_study(title=f"Project {i}", themes=[heat], tags=[f"t{i}", "=sum"])
    thirty, thirty_queries = _csv_rows(member_client, params)
    assert (len(three), len(thirty)) == (3, 30)
    assert thirty_queries == three_queries <= 2
    row = next(r for r in thirty if r["Title"] == "Project 7")
    assert row["Themes"] == "Low-carbon heat"
    # Tag names sorted; a cell that would start a formula is quoted.
    assert row["Tags"] == "'=sum; t7"
    seventh = CaseStudy.objects.get(title="Project 7")
    assert row["Link"] == "http://testserver" + seventh.get_absolute_url()
