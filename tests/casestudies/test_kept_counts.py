"""The counts kept in each change's transaction (casestudies/counts.py): after
every kind of write they equal a fresh count, and the list's facets and result
count, in every filter combination the page offers, equal those counted from
the case studies themselves."""

from datetime import date
from itertools import combinations

import pytest
from django.core.management import call_command
from django.urls import reverse

from casestudies import services
from casestudies.counts import counts_agree, rebuild_counts
from casestudies.models import CaseStudy, FacetCount, ListedCaseStudy
from casestudies.queries import (
    _apply_filters,
    _list_figures,
    impact_by_city,
    impact_by_theme,
    impact_figures,
    impact_outside,
    impact_totals,
)
from network.models import Theme
from tests.casestudies.factories import make_case_study
from tests.factories import make_member, organisation

pytestmark = pytest.mark.django_db

FACETS = ("city", "council", "theme", "tag", "stage", "year")


def _catalogue():
    heat = Theme.objects.get(slug="low-carbon-heat")
    transport = Theme.objects.get(slug="transport")
    dundee = organisation("Dundee City Council")
    stirling = organisation("Stirling Council")
    made = [
        make_case_study(
            title="Dundee heat network",
            organisation=dundee,
            themes=[heat],
            tags=["heat pumps"],
            emissions_saved=120,
            capital_cost=1000,
        ),
        make_case_study(
            title="Dundee electric buses",
            organisation=dundee,
            themes=[transport, heat],
            tags=["buses", "heat pumps"],
            stage=CaseStudy.Stage.COMPLETE,
            start_date=date(2023, 5, 1),
            emissions_saved=40,
            emissions_confidence=CaseStudy.Confidence.MEASURED,
        ),
        make_case_study(
            title="Stirling heat pumps",
            organisation=stirling,
            themes=[heat],
            tags=["heat pumps"],
            revenue_cost=500,
        ),
        make_case_study(
            title="Oslo heat network",
            organisation=None,
            place=CaseStudy.Place.ABROAD,
            country="Norway",
            source_organisation="Oslo kommune",
            themes=[heat],
            emissions_saved=900,
        ),
        make_case_study(
            title="Draft heat network",
            organisation=dundee,
            themes=[heat],
            status=CaseStudy.Status.DRAFT,
        ),
    ]
    return made


def _choices(case_study) -> dict[str, set[str]]:
    """Each facet's values of one case study, read through the ORM."""
    return {
        "city": {case_study.city.slug} if case_study.city else set(),
        "council": {case_study.organisation.slug} if case_study.organisation else set(),
        "theme": set(case_study.themes.values_list("slug", flat=True)),
        "tag": set(case_study.tags.values_list("slug", flat=True)),
        "stage": {case_study.stage},
        "year": {str(case_study.start_date.year)} if case_study.start_date else set(),
    }


def _fresh(filters) -> tuple[dict, int]:
    """Facets and count counted from the case studies themselves: a facet's
    choice counts those passing every other filter (and the words)."""
    matching = _apply_filters(CaseStudy.objects.published(), **filters)
    count = matching.distinct().count()
    facets = {}
    for facet in FACETS:
        others = {k: v for k, v in filters.items() if k != facet}
        rows = _apply_filters(CaseStudy.objects.published(), **others).distinct()
        counted = {}
        for case_study in rows:
            for value in _choices(case_study)[facet]:
                counted[value] = counted.get(value, 0) + 1
        facets[facet] = counted
    return facets, count


def _kept(filters) -> tuple[dict, int]:
    figures = _list_figures(**filters)
    facets = {f: {v: n for v, _, n in figures.facets[f]} for f in FACETS}
    return facets, figures.count


def _every_combination():
    """No filter, each filter alone, each two together, the words alone and with
    a filter, and the place filter: every shape the list's form can send."""
    one = {
        "city": "dundee",
        "council": "stirling-council",
        "theme": "low-carbon-heat",
        "tag": "heat-pumps",
        "stage": "complete",
        "year": 2021,
    }
    shapes = [{}, {"q": "heat"}, {"place": "outside"}, {"place": "network"}]
    shapes += [{k: v} for k, v in one.items()]
    shapes += [dict(pair) for pair in combinations(one.items(), 2)]
    shapes += [{"q": "heat", k: v} for k, v in one.items()]
    shapes += [{"q": "network", "place": "abroad"}]
    return shapes


def _assert_right():
    assert counts_agree() == []
    for filters in _every_combination():
        assert _kept(filters) == _fresh(filters), filters
    kept = impact_figures()
    assert kept["totals"] == impact_totals()
    assert kept["by_city"] == impact_by_city()
    assert [
        {k: r[k] for k in ("name", "projects", "emissions", "invested")}
        for r in kept["by_theme"]
    ] == [
        {k: r[k] for k in ("name", "projects", "emissions", "invested")}
        for r in impact_by_theme()
    ]
    assert [(r["name"], r["projects"]) for r in kept["outside"]] == [
        (r["name"], r["projects"]) for r in impact_outside()
    ]


def test_counts_are_right_after_every_kind_of_write():
    reviewer = make_member(is_superuser=True)
    dundee_heat, buses, stirling, oslo, draft = _catalogue()
    _assert_right()

    services.publish_case_study(draft, published_by=reviewer)
    _assert_right()

    services.unpublish_case_study(dundee_heat, unpublished_by=reviewer)
    _assert_right()

    # An edit of a published case study's themes, tags and council (so its city).
    buses.refresh_from_db()
    buses.organisation = organisation("Stirling Council")
    buses.city = None
    buses.stage = CaseStudy.Stage.IN_DELIVERY
    buses.start_date = date(2024, 1, 1)
    services.save_case_study_edit(
        buses,
        edited_by=reviewer,
        co_authors=[],
        themes=[Theme.objects.get(slug="transport")],
        drivers=[],
        partners=[],
        tags=["buses", "hydrogen"],
    )
    assert buses.status == CaseStudy.Status.PUBLISHED
    _assert_right()

    # A theme's case studies changed from the theme's side.
    Theme.objects.get(slug="transport").case_studies.add(stirling)
    _assert_right()

    # An author's edit sends it back for review: out of the counts.
    author = stirling.authors.get()
    services.resubmit_after_edit(stirling, edited_by=author)
    _assert_right()

    oslo.delete()
    _assert_right()


def test_rebuild_counts_the_same_as_the_writes_kept():
    _catalogue()
    kept = sorted(FacetCount.objects.exclude(projects=0).values_list())
    kept = [row[1:] for row in kept]
    assert rebuild_counts() == 4
    rebuilt = sorted(FacetCount.objects.exclude(projects=0).values_list())
    assert sorted(kept) == sorted(row[1:] for row in rebuilt)
    assert ListedCaseStudy.objects.count() == 4


def test_the_command_rebuilds_and_checks(capsys):
    _catalogue()
    FacetCount.objects.all().delete()
    with pytest.raises(Exception, match="kept counts differ"):
        call_command("rebuild_catalogue_counts", "--check")
    call_command("rebuild_catalogue_counts")
    call_command("rebuild_catalogue_counts", "--check")
    assert "agree" in capsys.readouterr().out


def test_the_list_shows_a_publish_at_once(member_client):
    reviewer = make_member(is_superuser=True)
    *_, draft = _catalogue()
    url = reverse("casestudies:list")
    assert (
        member_client.get(url, {"theme": "low-carbon-heat"})
        .context["page"]
        .paginator.count
        == 4
    )
    services.publish_case_study(draft, published_by=reviewer)
    response = member_client.get(url, {"theme": "low-carbon-heat"})
    assert response.context["page"].paginator.count == 5
    assert "Low-carbon heat (5)" in response.content.decode()
