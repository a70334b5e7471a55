"""What the case-study reads share: the catalogue version, the list filters
and the columns a list reads."""

from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db.models import (
    F,
    Func,
    IntegerField,
    QuerySet,
    Subquery,
)

from kit import versions

from ..models import CaseStudy

# Sentinels that cannot occur in Markdown source; the view escapes the snippet, then
# turns these into <mark> tags, so a member's text never becomes HTML.
MARK_START = "\x02"
MARK_END = "\x03"
# The list's filters. "place" has fixed choices and shows no counts (it is
# still a condition of the others' counts, see queries/facets.py).
FACETS = ("city", "council", "place", "theme", "driver", "tag", "stage", "year")
# Columns the lists never show; never read them for a list.
HEAVY_COLUMNS = ("body", "search_vector")


def catalogue_version() -> int:
    """The current catalogue version token: one indexed one-row read."""
    return versions.tokens(versions.CATALOGUE)[0]


def _cached(name: str, version: int | None, compute, **key):
    """``compute()``'s value, kept under the catalogue version and ``key``."""
    if version is None:
        version = catalogue_version()
    return versions.cached(f"casestudies:{name}", (version,), compute, **key)


def _facet_key(filters: dict) -> dict:
    return {k: v for k, v in filters.items() if k in FACETS or k == "q"}


def _search_query(text: str) -> SearchQuery:
    # websearch syntax: quotes for phrases, "or", "-word"; stemmed by the english
    # config, so "heating" finds "heat"; never a syntax error for odd input.
    return SearchQuery(text, config="english", search_type="websearch")


class Filters(NamedTuple):
    """The list's filters: the words and every facet, "" (or None) when unset."""

    q: str = ""
    city: str = ""
    council: str = ""
    place: str = ""
    theme: str = ""
    driver: str = ""
    tag: str = ""
    stage: str = ""
    year: int | None = None


assert Filters._fields == ("q", *FACETS)


def _filters(filters: dict) -> Filters:
    """The filters among these keyword arguments (others are ignored)."""
    return Filters(**_facet_key(filters))


def _apply_filters(case_studies: QuerySet, **filters) -> QuerySet:
    q, city, council, place, theme, driver, tag, stage, year = _filters(filters)
    if q:
        case_studies = case_studies.filter(search_vector=_search_query(q))
    if city:
        case_studies = case_studies.filter(city__slug=city)
    if council:
        case_studies = case_studies.filter(organisation__slug=council)
    if place == "outside":
        case_studies = case_studies.outside()
    elif place:
        case_studies = case_studies.filter(place=place)
    if theme:
        case_studies = case_studies.filter(themes__slug=theme)
    if driver:
        case_studies = case_studies.filter(drivers__slug=driver)
    if tag:
        case_studies = case_studies.filter(tags__slug=tag)
    if stage:
        case_studies = case_studies.filter(stage=stage)
    if year:
        case_studies = case_studies.filter(start_date__year=year)
    return case_studies


LIST_FIELDS = (
    "pk",
    "title",
    "summary",
    "stage",
    "start_date",
    "published_at",
    "emissions_saved",
    "emissions_confidence",
    "capital_cost",
    "revenue_cost",
    "city__name",
    "organisation__name",
    "place",
    "place_name",
    "country",
    "source_organisation",
)


def _snippet(query: SearchQuery) -> SearchHeadline:
    return SearchHeadline(
        "body",
        query,
        config="english",
        start_sel=MARK_START,
        stop_sel=MARK_END,
        max_words=30,
        min_words=12,
    )


def _case_study_type_id() -> int:
    # Cached by Django after the first call in a process.
    return ContentType.objects.get_for_model(CaseStudy).pk


def _count_of(rows: QuerySet) -> Subquery:
    """SELECT COUNT(*) of the rows, as a correlated subquery (always one row)."""
    counted = rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())
