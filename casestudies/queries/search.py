"""The list and search of case studies: ids in order, the page's rows, the
spreadsheet export and the site search's matches."""

from dataclasses import dataclass
from itertools import islice

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchRank
from django.db.models import (
    BigIntegerField,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.functions import TruncDate
from taggit.models import TaggedItem

from ..models import CaseStudy, reader_role
from .common import (
    HEAVY_COLUMNS,
    LIST_FIELDS,
    _apply_filters,
    _cached,
    _case_study_type_id,
    _facet_key,
    _search_query,
    _snippet,
    catalogue_version,
)
from .facets import list_figures

# A broad search ranks at most this many matches (the newest), since ranking
# reads every match's stored vector; the page says "more than" when capped.
SEARCH_CANDIDATES = 500
# Where a broad search looks first for those newest matches: the newest this many
# published case studies (an index range), before falling back to all matches.
RECENT_WINDOW = 5000
# search_case_studies puts at most this many of the viewer's unpublished matches
# (drafts, or submitted ones for reviewers) before the published ones.
UNPUBLISHED_CANDIDATES = 50


def list_case_studies(
    *, q: str = "", sort: str = "", snippets: bool = True, **filters
) -> QuerySet[CaseStudy]:
    """Published case studies matching every filter, newest first or, when
    searching, most relevant first; each with the values the list shows (and,
    unless ``snippets`` is False, the matched words in context)."""
    case_studies = _apply_filters(CaseStudy.objects.published(), q=q, **filters)
    case_studies = case_studies.select_related("city", "organisation").only(
        *LIST_FIELDS
    )
    if q:
        query = _search_query(q)
        case_studies = case_studies.annotate(rank=SearchRank(F("search_vector"), query))
        if snippets:
            case_studies = case_studies.annotate(snippet=_snippet(query))
    if q and sort != "newest":
        case_studies = case_studies.order_by("-rank", "-published_at", "-pk")
    else:
        case_studies = case_studies.order_by("-published_at", "-pk")
    return case_studies.prefetch_related("themes")


# Rows fetched per round trip from the export's server-side cursor.
EXPORT_CHUNK = 2000
EXPORT_FIELDS = (
    "pk",
    "title",
    "organisation__name",
    "source_organisation",
    "city__name",
    "stage",
    "start_date",
    "capital_cost",
    "revenue_cost",
    "emissions_saved",
    "emissions_confidence",
)


def export_case_study_chunks(**filters):
    """Every case study of the filtered list, in its order, in lists of at most
    EXPORT_CHUNK tuples of EXPORT_FIELDS followed by the day it was published
    (in the current time zone, by PostgreSQL: a datetime's parsing and
    conversion a row was a second of the whole catalogue) and the theme and the
    tag names, each joined into one text by "; " (by PostgreSQL too, rather
    than two arrays a row parsed and joined in Python): one query, read through a server-side cursor a chunk at
    a time (the whole catalogue is 100,000 rows), the names gathered by
    PostgreSQL per row from the through tables' indexes, so the count of
    queries never grows."""
    themes = ArraySubquery(
        CaseStudy.themes.through.objects.filter(casestudy_id=OuterRef("pk"))
        .order_by("theme__order", "theme__name")
        .values("theme__name")
    )
    tags = ArraySubquery(
        TaggedItem.objects.filter(
            content_type_id=_case_study_type_id(), object_id=OuterRef("pk")
        )
        .order_by("tag__name")
        .values("tag__name")
    )
    listed = list_case_studies(snippets=False, **filters).prefetch_related(None)
    rows = listed.annotate(
        published_on=TruncDate("published_at"),
        theme_names=_joined(themes),
        tag_names=_joined(tags),
    ).values_list(*EXPORT_FIELDS, "published_on", "theme_names", "tag_names")
    rows = rows.iterator(chunk_size=EXPORT_CHUNK)
    while chunk := list(islice(rows, EXPORT_CHUNK)):
        yield chunk


def _joined(names):
    """The names as one text, "; " between them ('' for none)."""
    return Func(
        names, Value("; "), function="array_to_string", output_field=TextField()
    )


@dataclass
class Listing:
    """What a list page pages through: ids in order (a queryset sliced on an
    index, or a cached list for a search), how many, and whether the count is
    capped (a broad search)."""

    ids: object
    count: int
    capped: bool = False


def list_ids(*, version: int | None = None, **filters) -> Listing:
    """The ids of the list, in order, with their count (the list's figures',
    cached with its facets). A page then reads only its 20 ids from the index,
    however deep (a deferred join)."""
    if version is None:
        version = catalogue_version()
    key = _facet_key(filters)
    if filters.get("q"):
        key["sort"] = filters.get("sort", "")
        ids, capped = _cached(
            "search", version, lambda: _search_ids(version=version, **filters), **key
        )
        return Listing(ids=ids, count=len(ids), capped=capped)
    matching = _apply_filters(CaseStudy.objects.published(), **filters)
    count = list_figures(version=version, **filters).count
    ids = matching.order_by("-published_at", "-pk").values_list("pk", flat=True)
    return Listing(ids=ids, count=count)


def _recent_cutoff():
    """When the RECENT_WINDOW-th newest case study was published (None if fewer)."""
    return (
        CaseStudy.objects.published()
        .order_by("-published_at", "-pk")
        .values_list("published_at", flat=True)[RECENT_WINDOW : RECENT_WINDOW + 1]
        .first()
    )


def _search_ids(
    *, version: int, q: str, sort: str = "", **filters
) -> tuple[list[int], bool]:
    """The matching ids, most relevant first (or newest first). A broad search
    ranks only its SEARCH_CANDIDATES newest matches: ranking reads each match's
    stored vector, and thousands of them would take most of a second."""
    query = _search_query(q)
    matching = _apply_filters(CaseStudy.objects.published(), q=q, **filters)
    capped = matching.order_by()[: SEARCH_CANDIDATES + 1].count() > SEARCH_CANDIDATES
    newest = matching.order_by("-published_at", "-pk").values_list("pk", flat=True)
    if capped:
        candidates = []
        cutoff = _cached("cutoff", version, lambda: _recent_cutoff() or "")
        if cutoff:
            candidates = list(
                newest.filter(published_at__gte=cutoff)[:SEARCH_CANDIDATES]
            )
        if len(candidates) < SEARCH_CANDIDATES:
            candidates = list(newest[:SEARCH_CANDIDATES])
        matching = CaseStudy.objects.filter(pk__in=candidates)
    if sort == "newest":
        return list(
            newest
            if not capped
            else matching.order_by("-published_at", "-pk").values_list("pk", flat=True)
        ), capped
    ranked = (
        matching.annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "-published_at", "-pk")
        .values_list("pk", flat=True)
    )
    return list(ranked), capped


def case_studies_in_order(ids, *, q: str = "") -> list[CaseStudy]:
    """The page's rows, in the order of ids, with what the list shows (and, when
    searching, a highlighted snippet of the body)."""
    ids = list(ids)
    rows = CaseStudy.objects.filter(pk__in=ids).select_related("city", "organisation")
    rows = rows.only(*LIST_FIELDS).prefetch_related("themes")
    if q:
        rows = rows.annotate(snippet=_snippet(_search_query(q)))
    by_pk = {row.pk: row for row in rows}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def search_case_studies(query: str, *, viewer) -> QuerySet[CaseStudy]:
    """What the viewer may see that matches the words (``search_for_role``)."""
    role = reader_role(viewer)
    if role is None:
        return CaseStudy.objects.none()
    return search_for_role(query, **role)


def search_for_role(
    query: str, *, reviewer: bool, author_id: int | None
) -> QuerySet[CaseStudy]:
    """What the role may see that matches the words: first the few unpublished
    ones it may see (an author's drafts; submitted ones for reviewers), newest
    first, then the published ones in the list search's ranked (and, for a broad
    word, capped) order, which is cached under the catalogue version."""
    if not (query or "").strip():
        return CaseStudy.objects.none()
    unpublished = (
        CaseStudy.objects.unpublished_for_role(reviewer=reviewer, author_id=author_id)
        .filter(search_vector=_search_query(query))
        .order_by("-updated_at")
        .values_list("pk", flat=True)[:UNPUBLISHED_CANDIDATES]
    )
    ids = [*unpublished, *list_ids(q=query).ids]
    # The ids' own order, as one array_position() rather than hundreds of WHENs.
    order = Func(
        Value(list(ids), output_field=ArrayField(BigIntegerField())),
        F("pk"),
        function="array_position",
        output_field=IntegerField(),
    )
    return (
        CaseStudy.objects.filter(pk__in=ids)
        .select_related("city", "organisation")
        .defer(*HEAVY_COLUMNS)
        .order_by(order)
        if ids
        else CaseStudy.objects.none()
    )
