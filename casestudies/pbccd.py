"""The PBCCD projects table: a council's case studies for one reporting year
(April to March) in the shape of the Public Bodies Climate Change Duties
report's table of emissions-reduction projects, as rows, CSV and Excel.

A value the case study does not give is left blank and listed as missing,
never guessed. A council-year is a few dozen projects, so the files are built
in the request, in memory; MOST_ROWS bounds them all the same.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Font

from kit.csv import csv_safe

from .models import CaseStudy

MOST_ROWS = 1000

HEADINGS = [
    "Project name",
    "Funding source",
    "First full year of CO2e savings",
    "Are these savings figures estimated or actual?",
    "Capital cost (£)",
    "Operational cost (£/annum)",
    "Project lifetime (years)",
    "Primary fuel/emission source saved",
    "Estimated carbon savings per year (tCO2e/annum)",
    "Estimated costs savings (£/annum)",
    "Behaviour change",
    "Comments",
]
# The headings a member must fill in on the case study when they are blank
# (the project name is always there; comments are its summary).
FILLED_FROM = {
    "Funding source": "funding source",
    "First full year of CO2e savings": "first full year of savings",
    "Are these savings figures estimated or actual?": "emissions saved",
    "Capital cost (£)": "capital cost",
    "Operational cost (£/annum)": "operational cost a year",
    "Project lifetime (years)": "project lifetime",
    "Primary fuel/emission source saved": "primary fuel or emission source",
    "Estimated carbon savings per year (tCO2e/annum)": "emissions saved",
    "Estimated costs savings (£/annum)": "cost savings a year",
    "Behaviour change": "behaviour change",
}


def reporting_year_label(year: int) -> str:
    """2024 is the year from April 2024 to March 2025: "2024/25"."""
    return f"{year}/{(year + 1) % 100:02d}"


def latest_reporting_year(today: date) -> int:
    """The last reporting year that has ended by ``today``."""
    return today.year - 1 if today.month >= 4 else today.year - 2


def case_studies_for_year(council, year: int):
    """The council's published case studies (led by it, not outside learning)
    delivered in the reporting year: finished in it, or, with no end date,
    started in it."""
    first, last = date(year, 4, 1), date(year + 1, 3, 31)
    return (
        CaseStudy.objects.published()
        .in_network()
        .filter(organisation=council)
        .filter(
            Q(end_date__range=(first, last))
            | Q(end_date__isnull=True, start_date__range=(first, last))
        )
        .only(
            "pk",
            "title",
            "summary",
            "funding_sources",
            "savings_from_year",
            "emissions_saved",
            "emissions_confidence",
            "capital_cost",
            "operational_cost",
            "lifetime_years",
            "primary_source",
            "cost_saving",
            "behaviour_change",
        )
        .order_by("title", "pk")[:MOST_ROWS]
    )


@dataclass
class Row:
    case_study: CaseStudy
    values: list
    missing: list[str] = field(default_factory=list)


def _row(cs: CaseStudy) -> Row:
    has_saving = cs.emissions_saved is not None
    values = [
        cs.title,
        cs.funding_sources.strip() or None,
        reporting_year_label(cs.savings_from_year) if cs.savings_from_year else None,
        ("Actual" if cs.emissions_confidence == "measured" else "Estimated")
        if has_saving
        else None,
        cs.capital_cost,
        cs.operational_cost,
        cs.lifetime_years,
        cs.get_primary_source_display() if cs.primary_source else None,
        float(cs.emissions_saved) if has_saving else None,
        cs.cost_saving,
        {True: "Yes", False: "No"}.get(cs.behaviour_change),
        cs.summary,
    ]
    missing = []
    for heading, value in zip(HEADINGS, values, strict=True):
        label = FILLED_FROM.get(heading)
        if label and value is None and label not in missing:
            missing.append(label)
    return Row(cs, values, missing)


def projects_table(council, year: int) -> list[Row]:
    # The report's own words are English (its headings and answers are), so a
    # case study's labels go in English whatever language the reader chose.
    with translation.override(settings.LANGUAGE_CODE):
        return [_row(cs) for cs in case_studies_for_year(council, year)]


def as_csv(rows: list[Row]) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads £ right), formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADINGS)
    for row in rows:
        writer.writerow(
            [
                "" if v is None else csv_safe(v) if isinstance(v, str) else v
                for v in row.values
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(rows: list[Row], *, title: str) -> bytes:
    """One sheet with the template's headings; numbers as numbers, blanks empty."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Projects"
    sheet.append(HEADINGS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        # openpyxl stores a string that starts with "=" as a formula: disarm it.
        sheet.append([csv_safe(v) if isinstance(v, str) else v for v in row.values])
    sheet.freeze_panes = "A2"
    book.properties.title = title
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
