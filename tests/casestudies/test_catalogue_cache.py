"""Cached figures (facet counts, list counts, impact) follow every change to the
published catalogue: publish, unpublish, edit, tags and themes."""

import pytest
from django.urls import reverse

from casestudies import queries
from casestudies.models import CaseStudy
from casestudies.services import publish_case_study, unpublish_case_study
from network.models import Theme
from tests.casestudies.factories import make_case_study

pytestmark = pytest.mark.django_db

LIST = reverse("casestudies:list")


def facet(name, value):
    for slug, _label, n in queries.facet_counts()[name]:
        if slug == value:
            return n
    return 0


def impact_page(client) -> bytes:
    return client.get(reverse("casestudies:impact")).content


def test_a_new_publication_shows_in_the_cached_counts(member_client, coordinator):
    heat = Theme.objects.get(slug="low-carbon-heat")
    make_case_study(themes=[heat], tags=["heat pumps"])
    draft = make_case_study(
        themes=[heat], tags=["heat pumps"], status=CaseStudy.Status.SUBMITTED
    )
    assert facet("theme", "low-carbon-heat") == 1
    assert member_client.get(LIST).context["page"].paginator.count == 1
    assert b"from the 1 published case study" in impact_page(member_client)

    publish_case_study(draft, published_by=coordinator)

    assert facet("theme", "low-carbon-heat") == 2
    assert facet("tag", "heat-pumps") == 2
    response = member_client.get(LIST)
    assert response.context["page"].paginator.count == 2
    assert b"from the 2 published case studies" in impact_page(member_client)

    unpublish_case_study(draft, unpublished_by=coordinator)
    assert facet("theme", "low-carbon-heat") == 1
    assert member_client.get(LIST).context["page"].paginator.count == 1


def test_editing_themes_and_tags_of_a_published_one_shows(member_client):
    heat = Theme.objects.get(slug="low-carbon-heat")
    case_study = make_case_study(themes=[heat])
    assert facet("tag", "schools") == 0
    case_study.tags.add("schools")
    assert facet("tag", "schools") == 1
    case_study.tags.remove("schools")
    assert facet("tag", "schools") == 0
    case_study.themes.clear()
    assert facet("theme", "low-carbon-heat") == 0


def test_a_broad_search_is_capped_and_says_so(member_client, monkeypatch):
    # The search ranks at most this many; the page says so.
    monkeypatch.setattr(queries.search, "SEARCH_CANDIDATES", 3)
    monkeypatch.setattr(queries, "SEARCH_CANDIDATES", 3)
    for n in range(5):
        make_case_study(title=f"Heat pump {n}")
    response = member_client.get(LIST, {"q": "heat pump"})
    assert response.context["capped"] is True
    assert len(response.context["page"]) == 3
    assert "More than 3 case studies match" in response.content.decode()


def test_deep_pages_show_the_right_rows(member_client):
    for n in range(45):
        make_case_study(title=f"Project {n:02d}")
    response = member_client.get(LIST, {"page": 3})
    page = response.context["page"]
    assert page.paginator.count == 45
    newest_first = list(
        CaseStudy.objects.published()
        .order_by("-published_at", "-pk")
        .values_list("title", flat=True)
    )
    assert [cs.title for cs in page] == newest_first[40:]
