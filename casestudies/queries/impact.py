"""The impact figures: emissions saved and money invested, per city, theme
and policy driver."""

from django.db.models import (
    Count,
    DecimalField,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from ..models import CaseStudy


def _impact(case_studies: QuerySet, *group) -> QuerySet | dict:
    zero = Value(0, output_field=DecimalField(max_digits=14, decimal_places=1))
    figures = {
        # Each row is one case study (or one case study and one of its themes).
        "projects": Count("pk"),
        "emissions": Coalesce(Sum("emissions_saved"), zero),
        "estimated": Coalesce(
            Sum("emissions_saved", filter=Q(emissions_confidence="estimated")), zero
        ),
        "measured": Coalesce(
            Sum("emissions_saved", filter=Q(emissions_confidence="measured")), zero
        ),
        "invested": Coalesce(Sum("capital_cost"), 0) + Coalesce(Sum("revenue_cost"), 0),
    }
    if not group:
        return case_studies.aggregate(**figures)
    return case_studies.values(*group).annotate(**figures)


def impact_by_city() -> list[dict]:
    """The network's own figures per city; outside learning never counts here."""
    rows = _impact(CaseStudy.objects.published().in_network(), "city__name")
    return [
        {**r, "name": r["city__name"] or gettext("Outside the cities")}
        for r in rows.order_by("city__name")
    ]


def impact_outside() -> list[dict]:
    """Learning from outside the network, per kind of place, kept apart."""
    labels = dict(CaseStudy.Place.choices)
    rows = _impact(CaseStudy.objects.published().outside(), "place").order_by("place")
    return [{**r, "name": labels.get(r["place"], r["place"])} for r in rows]


def impact_by_theme() -> list[dict]:
    zero = Value(0, output_field=DecimalField(max_digits=14, decimal_places=1))
    saved = "casestudy__emissions_saved"
    confidence = "casestudy__emissions_confidence"
    rows = (
        CaseStudy.themes.through.objects.filter(
            casestudy__status=CaseStudy.Status.PUBLISHED,
            casestudy__place=CaseStudy.Place.NETWORK,
        )
        .values("theme__name", "theme__order")
        .annotate(
            projects=Count("*"),
            emissions=Coalesce(Sum(saved), zero),
            estimated=Coalesce(Sum(saved, filter=Q(**{confidence: "estimated"})), zero),
            measured=Coalesce(Sum(saved, filter=Q(**{confidence: "measured"})), zero),
            invested=Coalesce(Sum("casestudy__capital_cost"), 0)
            + Coalesce(Sum("casestudy__revenue_cost"), 0),
        )
        .order_by("theme__order")
    )
    return [{**r, "name": r["theme__name"]} for r in rows]


def impact_totals() -> dict:
    """The network's own totals (outside learning is counted apart)."""
    return _impact(CaseStudy.objects.published().in_network())


def driver_figures(driver) -> dict:
    """What the network did under a driver: figures per city and in all (one
    grouped query and one aggregate over the driver's published case studies)."""
    done = CaseStudy.objects.published().filter(drivers=driver)
    rows = _impact(done.in_network(), "city__name").order_by("city__name")
    return {
        "by_city": [
            {**r, "name": r["city__name"] or gettext("Outside the cities")}
            for r in rows
        ],
        "totals": _impact(done.in_network()),
        "outside": _impact(done.outside()),
    }
