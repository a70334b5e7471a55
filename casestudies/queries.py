"""Reads the case-study pages (and other apps' pages) need. Every function returns
only what may be seen: published case studies unless a viewer is given."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext
from taggit.models import Tag, TaggedItem

from kit import versions
from network.models import City, Member, Organisation, PolicyDriver, Theme

from .models import PUBLISH_PERMISSION, CaseStudy

# Sentinels that cannot occur in Markdown source; the view escapes the snippet, then
# turns these into <mark> tags, so a member's text never becomes HTML.
MARK_START = "\x02"
MARK_END = "\x03"

# "place" is a filter with fixed choices, no counts: a cold list page stays
# within its query budget (one grouped query per counted facet).
FACETS = ("city", "council", "place", "theme", "driver", "tag", "stage", "year")

# A broad search ranks at most this many matches (the newest), since ranking
# reads every match's stored vector; the page says "more than" when capped.
SEARCH_CANDIDATES = 500
# Where a broad search looks first for those newest matches: the newest this many
# published case studies (an index range), before falling back to all matches.
RECENT_WINDOW = 5000
# recent_case_studies_for orders only this many of the newest by relevance.
RECENT_CANDIDATES = 100
# related_case_studies ranks only this many of the newest (an index-only scan):
# those sharing the most themes and tags, then the same city.
RELATED_CANDIDATES = 300
# search_case_studies puts at most this many of the viewer's unpublished matches
# (drafts, or submitted ones for reviewers) before the published ones.
UNPUBLISHED_CANDIDATES = 50
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


def _apply_filters(
    case_studies: QuerySet,
    *,
    q: str = "",
    city: str = "",
    council: str = "",
    place: str = "",
    theme: str = "",
    driver: str = "",
    tag: str = "",
    stage: str = "",
    year: int | None = None,
    **_ignored,
) -> QuerySet:
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
    "published_at",
)


def export_case_studies(**filters):
    """Every case study of the filtered list, in its order, as dicts of the
    spreadsheet's values with ``themes`` and ``tags`` as lists of names: one
    query, read through a server-side cursor EXPORT_CHUNK rows at a time (the
    whole catalogue is 100,000 rows), the names gathered by PostgreSQL per row
    from the through tables' indexes, so the count of queries never grows."""
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
    rows = listed.annotate(theme_names=themes, tag_names=tags).values(
        *EXPORT_FIELDS, "theme_names", "tag_names"
    )
    return rows.iterator(chunk_size=EXPORT_CHUNK)


def facet_counts(*, version: int | None = None, **filters):
    """For each facet, (value, label, count) choices: how many published case
    studies each choice would give together with the other filters. Cached under
    the catalogue version; computed with one grouped query per facet (through
    tables grouped directly, no COUNT(DISTINCT) over joins)."""
    filters = _facet_key(filters)
    return _cached("facets", version, lambda: _facet_counts(**filters), **filters)


def _facet_counts(
    *,
    q: str = "",
    city: str = "",
    council: str = "",
    place: str = "",
    theme: str = "",
    driver: str = "",
    tag: str = "",
    stage: str = "",
    year: int | None = None,
    **_ignored,
) -> dict[str, list[tuple[str, str, int]]]:
    """One query: the published case studies matching the words (the text match
    is the cost, so it runs once, into a materialised CTE), then every facet's
    grouped count over those rows, each with the filters other than its own."""
    matching = CaseStudy.objects.published()
    if q:
        matching = matching.filter(search_vector=_search_query(q))
    matching_sql, params = (
        matching.order_by()
        .values("id", "city_id", "organisation_id", "place", "stage")
        .annotate(year=ExtractYear("start_date"))
        .query.sql_with_params()
    )
    params = list(params)
    table = connection.ops.quote_name
    themes_through = table(CaseStudy.themes.through._meta.db_table)
    drivers_through = table(CaseStudy.drivers.through._meta.db_table)
    tagged = table(TaggedItem._meta.db_table)
    # Each filter as a condition on a matching row "m": a facet counts the rows
    # that pass every condition but its own (so its other choices stay visible).
    conditions = {}
    if city:
        conditions["city"] = (
            f"m.city_id IN (SELECT id FROM {table(City._meta.db_table)} "
            "WHERE slug = %s)",
            [city],
        )
    if council:
        conditions["council"] = (
            "m.organisation_id IN "
            f"(SELECT id FROM {table(Organisation._meta.db_table)} WHERE slug = %s)",
            [council],
        )
    # "place" has fixed choices and no counts: only a condition.
    if place == "outside":
        conditions["place"] = ("m.place <> %s", [CaseStudy.Place.NETWORK])
    elif place:
        conditions["place"] = ("m.place = %s", [place])
    if driver:
        conditions["driver"] = (
            f"EXISTS (SELECT 1 FROM {drivers_through} d "
            f"JOIN {table(PolicyDriver._meta.db_table)} dr "
            "ON dr.id = d.policydriver_id "
            "WHERE d.casestudy_id = m.id AND dr.slug = %s)",
            [driver],
        )
    if theme:
        conditions["theme"] = (
            f"EXISTS (SELECT 1 FROM {themes_through} t "
            f"JOIN {table(Theme._meta.db_table)} th ON th.id = t.theme_id "
            "WHERE t.casestudy_id = m.id AND th.slug = %s)",
            [theme],
        )
    if tag:
        conditions["tag"] = (
            f"EXISTS (SELECT 1 FROM {tagged} ti "
            f"JOIN {table(Tag._meta.db_table)} tg ON tg.id = ti.tag_id "
            "WHERE ti.content_type_id = %s AND ti.object_id = m.id AND tg.slug = %s)",
            [_case_study_type_id(), tag],
        )
    if stage:
        conditions["stage"] = ("m.stage = %s", [stage])
    if year:
        conditions["year"] = ("m.year = %s", [int(year)])

    def others(facet):
        sql = " AND ".join(c for f, (c, _) in conditions.items() if f != facet)
        args = [
            arg for f, (_, values) in conditions.items() if f != facet for arg in values
        ]
        return sql or "TRUE", args

    # (facet, joins, value, label, order within the facet, limit)
    facets = [
        ("city", f"JOIN {table(City._meta.db_table)} x ON x.id = m.city_id",
         "x.slug", "x.name", "x.name", None),
        ("council",
         f"JOIN {table(Organisation._meta.db_table)} x ON x.id = m.organisation_id",
         "x.slug", "x.name", "x.name", None),
        ("theme",
         f"JOIN {themes_through} t ON t.casestudy_id = m.id "
         f"JOIN {table(Theme._meta.db_table)} x ON x.id = t.theme_id",
         "x.slug", "x.name", 'x."order", x.name', None),
        ("driver",
         f"JOIN {drivers_through} t ON t.casestudy_id = m.id "
         f"JOIN {table(PolicyDriver._meta.db_table)} x "
         "ON x.id = t.policydriver_id",
         "x.slug", "x.short_name", 'x."order", x.name', None),
        # The 40 most used tags: a long tail of one-off tags would bury the rest.
        ("tag",
         f"JOIN {tagged} t ON t.object_id = m.id AND t.content_type_id = %s "
         f"JOIN {table(Tag._meta.db_table)} x ON x.id = t.tag_id",
         "x.slug", "x.name", "COUNT(*) DESC, x.name", 40),
        ("stage", "", "m.stage", "m.stage", "m.stage", None),
        ("year", "", "m.year::int::text", "m.year::int::text", "m.year DESC", None),
    ]  # fmt: skip
    branches = []
    for facet, joins, value, label, order, limit in facets:
        where, args = others(facet)
        if facet == "year":
            where += " AND m.year IS NOT NULL"
        group_by = {
            "theme": 'x.slug, x.name, x."order"',
            "driver": 'x.slug, x.short_name, x."order", x.name',
            "year": "m.year",
        }.get(facet, f"{value}, {label}")
        branches.append(
            f"(SELECT %s AS facet, {value} AS value, {label} AS label, "
            f"COUNT(*) AS n, ROW_NUMBER() OVER (ORDER BY {order}) AS position "
            f"FROM matching m {joins} WHERE {where} GROUP BY {group_by} "
            f"ORDER BY {order}" + (f" LIMIT {limit})" if limit else ")")
        )
        # In the branch's order: its name, the tag join's content type, filters.
        params += [facet, *([_case_study_type_id()] if facet == "tag" else []), *args]
    sql = (
        f"WITH matching AS MATERIALIZED ({matching_sql}) "
        + " UNION ALL ".join(branches)
        + " ORDER BY facet, position"
    )
    counts = {facet: [] for facet, *_ in facets}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for facet, value, label, n, _ in cursor.fetchall():
            counts[facet].append((str(value), str(label), n))
    stage_labels = dict(CaseStudy.Stage.choices)
    stage_counts = {value: n for value, _, n in counts["stage"]}
    counts["stage"] = [
        (value, label, stage_counts[value])
        for value, label in stage_labels.items()
        if stage_counts.get(value)
    ]
    return counts


@dataclass
class Listing:
    """What a list page pages through: ids in order (a queryset sliced on an
    index, or a cached list for a search), how many, and whether the count is
    capped (a broad search)."""

    ids: object
    count: int
    capped: bool = False


def list_ids(*, version: int | None = None, **filters) -> Listing:
    """The ids of the list, in order, with their (cached) count. A page then
    reads only its 20 ids from the index, however deep (a deferred join)."""
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
    count = _cached("count", version, matching.count, **key)
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
    """What the viewer may see that matches the words: first the few unpublished
    ones they may see (their drafts; submitted ones for reviewers), newest first,
    then the published ones in the list search's ranked (and, for a broad word,
    capped) order, which is cached under the catalogue version."""
    if not getattr(viewer, "is_approved", False) or not (query or "").strip():
        return CaseStudy.objects.none()
    unpublished = CaseStudy.objects.exclude(status=CaseStudy.Status.PUBLISHED)
    if not viewer.has_perm(PUBLISH_PERMISSION):
        # Written plainly (not visible_to's OR) so the planner starts from the
        # member's few authored rows rather than every match of the words.
        unpublished = unpublished.filter(authors=viewer)
    unpublished = (
        unpublished.filter(search_vector=_search_query(query))
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


# What the case-study page shows around its cached body.
HEADING_FIELDS = ("pk", "title", "summary", "status", "review_comments", "published_at")


def case_study_for_reading(
    viewer, pk: int, *, heading_only: bool = False
) -> QuerySet[CaseStudy]:
    """The case study if the viewer may see it (no viewer: if it is published);
    ``heading_only`` reads just what the page shows around the cached body."""
    readable = CaseStudy.objects
    visible = (
        readable.published() if viewer is None else readable.visible_to(viewer)
    ).filter(pk=pk)
    if heading_only:
        return visible.only(*HEADING_FIELDS)
    return visible.select_related(
        "city", "organisation", "contact__organisation", "published_by", "added_by"
    ).prefetch_related("themes", "tags", "partners", "authors", "attachments")


def _case_study_type_id() -> int:
    # Cached by Django after the first call in a process.
    return ContentType.objects.get_for_model(CaseStudy).pk


def _count_of(rows: QuerySet) -> Subquery:
    """SELECT COUNT(*) of the rows, as a correlated subquery (always one row)."""
    counted = rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


def related_case_studies(case_study: CaseStudy, limit: int = 3) -> list[CaseStudy]:
    """Published ones sharing the most themes and tags, then the same city, among
    the RELATED_CANDIDATES newest (not every published one: that took a second)."""
    theme_ids = [t.pk for t in case_study.themes.all()]
    tag_ids = [t.pk for t in case_study.tags.all()]
    candidates = (
        CaseStudy.objects.published()
        .exclude(pk=case_study.pk)
        .order_by("-published_at", "-pk")
        .values("pk")[:RELATED_CANDIDATES]
    )
    return list(
        CaseStudy.objects.filter(pk__in=candidates)
        .defer(*HEAVY_COLUMNS)
        .annotate(
            # Correlated counts per candidate (index probes), not joins over
            # every tagged item.
            shared=_count_of(
                CaseStudy.themes.through.objects.filter(
                    casestudy_id=OuterRef("pk"), theme_id__in=theme_ids
                )
            )
            + _count_of(
                TaggedItem.objects.filter(
                    content_type_id=_case_study_type_id(),
                    object_id=OuterRef("pk"),
                    tag_id__in=tag_ids,
                )
            ),
            same_city=Case(
                When(city_id=case_study.city_id, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .filter(Q(shared__gt=0) | Q(same_city=1))
        .select_related("city")
        .order_by("-shared", "-same_city", "-published_at", "-pk")[:limit]
    )


def my_case_studies(member: Member) -> QuerySet[CaseStudy]:
    return (
        CaseStudy.objects.authored_by(member)
        .select_related("city", "organisation")
        .order_by("-updated_at", "-pk")
    )


def review_queue() -> QuerySet[CaseStudy]:
    """Submitted case studies, the longest waiting first."""
    return (
        CaseStudy.objects.filter(status=CaseStudy.Status.SUBMITTED)
        .select_related("city", "organisation")
        .prefetch_related("authors")
        .order_by("submitted_at", "pk")
    )


def recent_case_studies_for(
    member: Member, limit: int = 5, *, interests=None, city_id=None
) -> list[CaseStudy]:
    """Recently published (the RECENT_CANDIDATES newest, from the index), those
    from the member's city or on their expertise first. Pass ``interests`` and
    ``city_id`` when already known (the member home keys its cache by them)."""
    if interests is None:
        interests = list(member.expertise.values_list("name", flat=True))
        city_id = member.organisation.city_id if member.organisation_id else None
    relevance = (
        Case(
            When(city_id=city_id, then=Value(2)),
            default=Value(0),
            output_field=IntegerField(),
        )
        if city_id
        else Value(0, output_field=IntegerField())
    )
    newest = (
        CaseStudy.objects.published()
        .order_by("-published_at", "-pk")
        .values("pk")[:RECENT_CANDIDATES]
    )
    if interests:
        on_theme = Exists(
            CaseStudy.themes.through.objects.filter(
                casestudy_id=OuterRef("pk"), theme__name__in=interests
            )
        )
        on_tag = Exists(
            TaggedItem.objects.filter(
                content_type_id=_case_study_type_id(),
                object_id=OuterRef("pk"),
                tag__name__in=interests,
            )
        )
        relevance = relevance + Case(
            When(on_theme | on_tag, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    return list(
        CaseStudy.objects.filter(pk__in=newest)
        .defer(*HEAVY_COLUMNS)
        .annotate(relevance=relevance)
        .select_related("city", "organisation")
        .order_by("-relevance", "-published_at", "-pk")[:limit]
    )


def case_studies_by(member: Member) -> QuerySet[CaseStudy]:
    """Published case studies the member wrote or is the contact for (a UNION of
    two indexed lookups, not an OR that scans every published one)."""
    authored = CaseStudy.authors.through.objects.filter(member_id=member.pk).values(
        "casestudy_id"
    )
    contact = CaseStudy.objects.filter(contact_id=member.pk).order_by().values("pk")
    return (
        CaseStudy.objects.published()
        .filter(pk__in=authored.union(contact))
        .defer(*HEAVY_COLUMNS)
        .select_related("city", "organisation")
        .order_by("-published_at", "-pk")
    )


def case_studies_for_organisation(organisation: Organisation) -> QuerySet[CaseStudy]:
    """Published case studies the organisation led or was a partner in."""
    partnered = CaseStudy.partners.through.objects.filter(
        organisation_id=organisation.pk
    ).values("casestudy_id")
    return (
        CaseStudy.objects.published()
        .filter(Q(organisation=organisation) | Q(pk__in=partnered))
        .defer(*HEAVY_COLUMNS)
        .select_related("city", "organisation")
        .order_by("-published_at")
    )


def members_for_topic(
    *, theme: Theme | str | None = None, tag: str | None = None, driver=None
):
    """Approved members who wrote, or are the contact for, a published case study
    on the theme (a Theme or its slug), tag (its slug) or policy driver, by name.

    The case studies come from the theme's, tag's or driver's own join table (an
    index), and their people as a UNION of the authors' join table and the
    contact column: no OR across joins, no DISTINCT over every author, and no
    compare of names."""
    case_studies = CaseStudy.objects.published()
    if theme is not None:
        key = "themes__slug" if isinstance(theme, str) else "themes"
        case_studies = case_studies.filter(**{key: theme})
    if tag:
        case_studies = case_studies.filter(tags__slug=tag)
    if driver is not None:
        case_studies = case_studies.filter(drivers=driver)
    ids = case_studies.order_by().values("pk")
    authors = CaseStudy.authors.through.objects.filter(casestudy_id__in=ids).values(
        "member_id"
    )
    contacts = (
        CaseStudy.objects.filter(pk__in=ids, contact__isnull=False)
        .order_by()
        .values("contact_id")
    )
    return (
        Member.objects.approved()
        .filter(pk__in=authors.union(contacts))
        .select_related("organisation")
        .order_by("full_name", "pk")
    )


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


def case_studies_for_driver(driver) -> QuerySet[CaseStudy]:
    """Published case studies that name the policy driver, newest first."""
    return (
        CaseStudy.objects.published()
        .filter(drivers=driver)
        .defer(*HEAVY_COLUMNS)
        .select_related("city", "organisation")
        .order_by("-published_at", "-pk")
        .prefetch_related("themes")
    )


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
