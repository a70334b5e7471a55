"""The PBCCD projects table: a council-year of case studies, as the report's
table, downloaded as CSV and Excel by the council's members and coordinators."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django.asserts import assertContains, assertNotContains

from casestudies.models import CaseStudy
from casestudies.pbccd import HEADINGS, latest_reporting_year
from tests.casestudies.factories import make_case_study
from tests.conftest import client_for
from tests.factories import make_member, organisation

pytestmark = pytest.mark.django_db

DUNDEE = "dundee-city-council"


@pytest.fixture
def dundee():
    return organisation("Dundee City Council")


@pytest.fixture
def dundee_client(dundee):
    return client_for(make_member(organisation=dundee))


@pytest.fixture
def projects(dundee):
    complete = make_case_study(
        title="LED street lighting",
        summary='=HYPERLINK("http://evil") every lamp replaced.',
        organisation=dundee,
        start_date=date(2023, 9, 1),
        end_date=date(2025, 2, 28),
        funding_sources="Salix recycling fund",
        savings_from_year=2025,
        emissions_saved=Decimal("410.5"),
        emissions_confidence="measured",
        capital_cost=2_400_000,
        operational_cost=15_000,
        lifetime_years=20,
        primary_source="grid_electricity",
        cost_saving=380_000,
        behaviour_change=False,
    )
    sparse = make_case_study(
        title="Staff travel plan",
        organisation=dundee,
        start_date=date(2024, 6, 1),
        end_date=None,
        capital_cost=None,
    )
    # Not in the table: another year, a draft, another council, outside learning.
    make_case_study(title="Old boilers", organisation=dundee, end_date=date(2023, 5, 1))
    make_case_study(
        title="Draft idea",
        organisation=dundee,
        end_date=date(2024, 6, 1),
        status=CaseStudy.Status.DRAFT,
    )
    make_case_study(
        title="Stirling solar",
        organisation=organisation("Stirling Council"),
        end_date=date(2024, 6, 1),
    )
    make_case_study(
        title="Copenhagen heat",
        organisation=dundee,
        end_date=date(2024, 6, 1),
        place="abroad",
        country="Denmark",
        place_name="Copenhagen",
        source_organisation="City of Copenhagen",
        source_url="https://example.org/",
        source_licence="CC BY 4.0",
    )
    return complete, sparse


COMPLETE_ROW = [
    "LED street lighting",
    "Salix recycling fund",
    "2025/26",
    "Actual",
    2400000,
    15000,
    20,
    "Grid electricity",
    410.5,
    380000,
    "No",
    '\'=HYPERLINK("http://evil") every lamp replaced.',
]


def test_xlsx_has_the_template_headings_and_the_values(projects, dundee_client):
    url = reverse("casestudies:pbccd_xlsx", args=[DUNDEE, 2024])
    response = dundee_client.get(url)
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    assert (
        "pbccd-projects-dundee-city-council-2024-25.xlsx"
        in (response["Content-Disposition"])
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADINGS
    assert rows[1] == COMPLETE_ROW
    # Missing values are empty cells, not zeros or guesses.
    assert rows[2][0] == "Staff travel plan"
    assert rows[2][1:11] == [None] * 10
    assert len(rows) == 3


def test_csv_is_utf8_with_a_bom_and_formula_safe(projects, dundee_client):
    url = reverse("casestudies:pbccd_csv", args=[DUNDEE, 2024])
    response = dundee_client.get(url)
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == HEADINGS
    assert rows[1] == [str(v) for v in COMPLETE_ROW]
    assert rows[2][:11] == ["Staff travel plan"] + [""] * 10
    assert len(rows) == 3


def test_page_lists_what_is_missing_from_each_case_study(projects, dundee_client):
    response = dundee_client.get(
        reverse("casestudies:pbccd", args=[DUNDEE]), {"year": 2024}
    )
    assertContains(response, "Dundee City Council, 2024/25")
    assertContains(
        response,
        "Staff travel plan</a>: funding source, first full year of savings, "
        "emissions saved, capital cost, operational cost a year, project lifetime, "
        "primary fuel or emission source, cost savings a year, behaviour change",
    )
    assertNotContains(response, "LED street lighting</a>:")
    for absent in ["Old boilers", "Draft idea", "Stirling solar", "Copenhagen heat"]:
        assertNotContains(response, absent)


@pytest.mark.parametrize(
    "name", ["casestudies:pbccd", "casestudies:pbccd_csv", "casestudies:pbccd_xlsx"]
)
def test_the_kept_table_and_files_show_a_change_at_once(
    name, projects, dundee, dundee_client
):
    """The table and the files are kept (the same for every reader who may have
    them) until the case studies change: a new project is in the next one."""
    url = (
        reverse(name, args=[DUNDEE]) + "?year=2024"
        if name == "casestudies:pbccd"
        else reverse(name, args=[DUNDEE, 2024])
    )

    def projects_in(response) -> str:
        if name.endswith("xlsx"):
            sheet = load_workbook(io.BytesIO(response.content)).active
            return " ".join(str(row[0]) for row in sheet.iter_rows(values_only=True))
        return response.content.decode("utf-8-sig")

    assert "Heat pump trial" not in projects_in(dundee_client.get(url))
    make_case_study(
        title="Heat pump trial", organisation=dundee, start_date=date(2024, 5, 1)
    )
    assert "Heat pump trial" in projects_in(dundee_client.get(url))


def test_a_bad_year_is_a_field_error_and_keeps_what_was_typed(dundee_client):
    response = dundee_client.get(
        reverse("casestudies:pbccd", args=[DUNDEE]), {"year": "1066"}
    )
    assert response.status_code == 200
    assertContains(response, "Ensure this value is greater than or equal to 1990.")
    assertContains(response, 'value="1066"')


def test_the_default_year_is_the_last_one_that_has_ended():
    assert latest_reporting_year(date(2026, 3, 31)) == 2024
    assert latest_reporting_year(date(2026, 4, 1)) == 2025


@pytest.mark.parametrize("name", ["casestudies:pbccd_csv", "casestudies:pbccd_xlsx"])
def test_only_the_councils_members_and_coordinators(
    name, projects, member_client, coordinator_client, dundee_client
):
    url = reverse(name, args=[DUNDEE, 2024])
    assert dundee_client.get(url).status_code == 200
    assert coordinator_client.get(url).status_code == 200
    stirling = client_for(make_member(organisation=organisation("Stirling Council")))
    assert stirling.get(url).status_code == 403
    assert member_client.get(url).status_code == 403  # no council at all
    missing = reverse(name, args=["no-such-council", 2024])
    assert coordinator_client.get(missing).status_code == 404
    page = reverse("casestudies:pbccd", args=[DUNDEE])
    assert stirling.get(page).status_code == 403
    assert dundee_client.get(page).status_code == 200


def test_form_checks_the_pbccd_fields_and_keeps_them(member, member_client, dundee):
    response = member_client.post(
        reverse("casestudies:create"),
        {
            "title": "Depot heat pumps",
            "summary": "Heat pumps at the depot.",
            "body": "Done.",
            "organisation": dundee.pk,
            "stage": "complete",
            "emissions_confidence": "estimated",
            "lifetime_years": "250",
            "savings_from_year": "24",
            "operational_cost": "-5",
            "funding_sources": "Council capital",
        },
    )
    assert response.status_code == 200
    assertContains(response, "Give a lifetime of at most 100 years.")
    assertContains(response, "Give a year from 1990.")
    assertContains(response, "Ensure this value is greater than or equal to 0.")
    assertContains(response, 'value="250"')
    assertContains(response, "Council capital")
    assert not CaseStudy.objects.exists()
