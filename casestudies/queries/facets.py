"""The list's facet counts: how many case studies each filter choice gives."""

from django.db import connection
from django.db.models.functions import ExtractYear
from taggit.models import Tag, TaggedItem

from network.models import City, Organisation, PolicyDriver, Theme

from ..models import CaseStudy
from .common import (
    _cached,
    _case_study_type_id,
    _facet_key,
    _filters,
    _search_query,
)


def facet_counts(*, version: int | None = None, **filters):
    """For each facet, (value, label, count) choices: how many published case
    studies each choice would give together with the other filters. Cached under
    the catalogue version; computed with one grouped query per facet (through
    tables grouped directly, no COUNT(DISTINCT) over joins)."""
    filters = _facet_key(filters)
    return _cached("facets", version, lambda: _facet_counts(**filters), **filters)


def _facet_counts(**filters) -> dict[str, list[tuple[str, str, int]]]:
    """One query: the published case studies matching the words (the text match
    is the cost, so it runs once, into a materialised CTE), then every facet's
    grouped count over those rows, each with the filters other than its own."""
    q, city, council, place, theme, driver, tag, stage, year = _filters(filters)
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
