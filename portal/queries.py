"""Reads for the pages that gather from several apps: the member home and the one
search. They compose each app's own query functions and add nothing to their rules
of who may see what."""

from django.db.models import Count, DecimalField, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from casestudies.models import CaseStudy
from network.models import City, Member


def _case_study_figures_by_city() -> dict[int | None, dict]:
    """{city id (None for councils without one): {"n": published case studies,
    "emissions": tCO2e saved a year}}, of the network's own work: learning from
    outside the network never counts in a city's figures."""
    zero = Value(0, output_field=DecimalField(max_digits=14, decimal_places=1))
    return {
        row["city"]: row
        for row in CaseStudy.objects.published()
        .in_network()
        .values("city")
        .annotate(n=Count("pk"), emissions=Coalesce(Sum("emissions_saved"), zero))
        .order_by()
    }


def network_at_a_glance() -> list[dict]:
    """Per city: approved members, published case studies, emissions saved a year,
    (the member home caches it rendered; the map beside it is static/img/scotland.svg,
    drawn by bin/draw-map)."""
    members = dict(
        Member.objects.approved()
        .filter(organisation__city__isnull=False)
        .values_list("organisation__city")
        .annotate(n=Count("pk"))
        .values_list("organisation__city", "n")
    )
    studies = _case_study_figures_by_city()
    rows = []
    for city in City.objects.all():
        figures = studies.get(city.pk, {})
        rows.append(
            {
                "name": city.name,
                "members": members.get(city.pk, 0),
                "case_studies": figures.get("n", 0),
                "emissions": figures.get("emissions", 0),
            }
        )
    return rows


def achievements_by_city() -> dict:
    """What the network has achieved, for visitors: per city, its published case
    studies and the emissions they save a year, with the totals. Figures only:
    nothing about any member (no names, no member counts). Two small queries."""
    studies = _case_study_figures_by_city()

    def row(name, figures):
        return {
            "name": name,
            "case_studies": figures.get("n", 0),
            "emissions": figures.get("emissions", 0),
        }

    cities = [row(city.name, studies.get(city.pk, {})) for city in City.objects.all()]
    others = row(_("Other councils"), studies.get(None, {}))
    every = [*cities, others]
    return {
        "cities": cities,
        "others": others,
        "case_studies": sum(r["case_studies"] for r in every),
        "emissions": sum(r["emissions"] for r in every),
    }
