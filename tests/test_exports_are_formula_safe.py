"""Every spreadsheet the portal exports shows members' text as text: a cell that
starts with a character a spreadsheet program would run as a formula (=, +, -,
@, a tab, a carriage return) is quoted, in every export alike (kit.csv)."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kit.csv import FORMULA_STARTS, csv_safe
from network.models import Organisation
from tests.casestudies.factories import make_case_study
from tests.conftest import client_for
from tests.events.factories import make_event, make_registration
from tests.factories import make_coordinator, make_member, organisation

pytestmark = pytest.mark.django_db

# One harmful text per character: each must come back with a leading quote.
HARMFUL = [f"{start}HYPERLINK(evil)" for start in FORMULA_STARTS]
QUOTED = sorted(f"'{text}" for text in HARMFUL)


def _rows(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8").removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(text, newline="")))


def _column(rows, heading: str) -> list[str]:
    index = rows[0].index(heading)
    return [row[index] for row in rows[1:] if len(row) > index]


def test_the_guard_quotes_exactly_the_formula_characters():
    assert FORMULA_STARTS == ("=", "+", "-", "@", "\t", "\r")
    assert [csv_safe(text) for text in HARMFUL] == [f"'{text}" for text in HARMFUL]
    assert csv_safe("Dundee") == "Dundee"
    assert csv_safe(" =1") == " =1"
    assert csv_safe(None) == ""
    assert csv_safe(12) == "12"


def test_the_case_study_list_csv(member_client):
    for text in HARMFUL:
        make_case_study(title=text, tags=[text])
    response = member_client.get(reverse("casestudies:csv"))
    rows = _rows(b"".join(response.streaming_content))
    assert sorted(_column(rows, "Title")) == QUOTED
    assert sorted(_column(rows, "Tags")) == QUOTED


def _pbccd_rows(client, name: str):
    url = reverse(name, args=["dundee-city-council", 2024])
    response = client.get(url)
    assert response.status_code == 200
    if name.endswith("xlsx"):
        sheet = load_workbook(io.BytesIO(response.content)).active
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    return _rows(response.content)


@pytest.mark.parametrize("name", ["casestudies:pbccd_csv", "casestudies:pbccd_xlsx"])
def test_the_pbccd_projects_table(name):
    dundee = organisation("Dundee City Council")
    for text in HARMFUL:
        make_case_study(
            title=text, organisation=dundee, start_date=date(2024, 6, 1), end_date=None
        )
    rows = _pbccd_rows(client_for(make_member(organisation=dundee)), name)
    quoted = QUOTED
    if name.endswith("xlsx"):  # XML reads a stored carriage return back as "\n"
        quoted = sorted(text.replace("\r", "\n") for text in QUOTED)
    assert sorted(row[0] for row in rows[1:]) == quoted


def test_the_event_registrations_csv(coordinator_client):
    event = make_event()
    for text in HARMFUL:
        make_registration(event, make_member(full_name=text, job_title=text))
    response = coordinator_client.get(
        reverse("events:registrations_csv", args=[event.pk])
    )
    rows = _rows(response.content)
    assert sorted(_column(rows, "Name")) == QUOTED
    assert sorted(_column(rows, "Job title")) == QUOTED


def test_the_event_needs_csv():
    coordinator = make_coordinator()
    event = make_event()
    event.coordinators.add(coordinator)
    for text in HARMFUL:
        make_registration(event, make_member(), access_needs=text, dietary_needs=text)
    response = client_for(coordinator).get(reverse("events:needs_csv", args=[event.pk]))
    rows = _rows(response.content)
    assert sorted(_column(rows, "Access needs")) == QUOTED
    assert sorted(_column(rows, "Dietary needs")) == QUOTED


def test_the_training_figures_csv(member_client):
    councils = Organisation.objects.councils().order_by("pk")[: len(HARMFUL)]
    for council, text in zip(councils, HARMFUL, strict=True):
        Organisation.objects.filter(pk=council.pk).update(name=text)
    response = member_client.get(reverse("training:progress_csv"))
    rows = _rows(response.content)
    names = [row[1] for row in rows if row[:1] == ["council"]]
    assert sorted(n for n in names if n.startswith("'")) == QUOTED
    assert not [n for n in names if n.startswith(FORMULA_STARTS)]
