"""The list's facet counts and result count: how many case studies each filter
choice gives together with the other filters, and how many the filters give.

Both come from one query, cached under the catalogue version. Unfiltered, or
with one filter, it reads the counts kept in each change's own transaction
(``FacetCount``, casestudies/counts.py): a few hundred rows. With the words of a
search or more filters it counts over the narrow listed rows
(``ListedCaseStudy``: each published case study's "facet:value" texts) that
match, the text matched once, in a materialised CTE."""

from typing import NamedTuple

from django.db import connection
from taggit.models import Tag

from network.models import City, Organisation, PolicyDriver, Theme

from ..models import CaseStudy, FacetCount, ListedCaseStudy
from .common import _cached, _facet_key, _filters, _search_query

# The facets with counts, in the form's order ("place" is only a filter).
COUNTED_FACETS = ("city", "council", "theme", "driver", "tag", "stage", "year")
# The 40 most used tags: a long tail of one-off tags would bury the rest.
MOST_TAGS = 40


class ListFigures(NamedTuple):
    """What the list shows besides its rows: each facet's (value, label, count)
    choices, and how many case studies the filters give."""

    facets: dict[str, list[tuple[str, str, int]]]
    count: int


def facet_counts(*, version: int | None = None, **filters):
    """For each facet, (value, label, count) choices: how many published case
    studies each choice would give together with the other filters."""
    return list_figures(version=version, **filters).facets


def list_figures(*, version: int | None = None, **filters) -> ListFigures:
    """The facets and the count of the list with these filters, cached under the
    catalogue version (one query when not cached)."""
    filters = _facet_key(filters)
    return _cached("figures", version, lambda: _list_figures(**filters), **filters)


def _facet_counts(**filters) -> dict[str, list[tuple[str, str, int]]]:
    return _list_figures(**filters).facets


def _list_figures(**filters) -> ListFigures:
    q, *_ = _filters(filters)
    chosen = _chosen(filters)
    if not q and len(chosen) <= 1:
        sql, params = _kept_sql(chosen)
    else:
        sql, params = _counted_sql(q, chosen)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return _figures(rows)


def _value_sql(facet: str, value) -> tuple[str, list]:
    """The filter's "facet:value" text, as SQL (NULL for a stale slug)."""
    tables = {"city": City, "council": Organisation, "theme": Theme}
    tables |= {"driver": PolicyDriver, "tag": Tag}
    if facet in tables:
        table = connection.ops.quote_name(tables[facet]._meta.db_table)
        return f"(SELECT %s || id FROM {table} WHERE slug = %s)", [f"{facet}:", value]
    return "%s", [f"{facet}:{value}"]


def _chosen(filters) -> dict[str, tuple[str, list]]:
    """Each filter set (not the words), as its value's SQL."""
    chosen = {}
    for facet, value in _filters(filters)._asdict().items():
        if facet != "q" and value not in (None, ""):
            chosen[facet] = _value_sql(facet, value)
    return chosen


def _kept_sql(chosen) -> tuple[str, list]:
    sql, params = _kept_counts(chosen)
    return _labelled(f"SELECT 'n', k.* FROM ({sql}) k"), params


def _kept_counts(chosen) -> tuple[str, list]:
    """The kept counts (value, projects): with no filter, every value's (other
    = ''); with one, its own facet's without it and the other facets' with it,
    and its total (value '')."""
    table = connection.ops.quote_name(FacetCount._meta.db_table)
    if not chosen:
        sql = f"SELECT c.value, c.projects FROM {table} c WHERE c.other = ''"
        return sql + " AND c.projects > 0", []
    ((facet, (value, value_params)),) = chosen.items()
    sql = (
        f"SELECT c.value, c.projects FROM {table} c, (SELECT {value} AS w) f "
        "WHERE c.projects > 0 AND ("
        "(c.other = '' AND split_part(c.value, ':', 1) = %s) OR "
        "(c.other = f.w AND split_part(c.value, ':', 1) <> %s)) "
        f"UNION ALL SELECT '', COALESCE((SELECT projects FROM {table} "
        f"WHERE other = '' AND value = {value}), 0)"
    )
    return sql, [*value_params, facet, facet, *value_params]


def _counted_sql(q: str, chosen) -> tuple[str, list]:
    """Every value's count over the listed rows that match the words and every
    filter but the value's own; the total over those that match them all. Each
    row's filters are checked once (a flag each), and only rows that miss at
    most one filter are counted at all.

    Words with at most one filter and matching more than half the catalogue
    count the rows they do not match instead, taken from the kept counts: the
    fewer rows to count, whichever they are."""
    listed = connection.ops.quote_name(ListedCaseStudy._meta.db_table)
    table = connection.ops.quote_name(FacetCount._meta.db_table)
    head, head_params = "", []
    source, source_params = f"{listed} l", []
    tail, tail_params = "", []
    conditions, condition_params = [], []
    if q:
        # The listed rows' own copy of the vectors, and its GIN index (the
        # column keeps no statistics, so the planner always takes the index:
        # a scan would read every vector): the matches are found on these
        # narrow rows, not on the case studies' own.
        words = ListedCaseStudy.objects.filter(search_vector=_search_query(q))
    if q and len(chosen) <= 1:
        sql, head_params = words.values(
            "case_study_id", "values"
        ).query.sql_with_params()
        head = (
            f"WITH words AS MATERIALIZED ({sql}), broad AS MATERIALIZED ("
            "SELECT (SELECT COUNT(*) FROM words) * 2 > COALESCE((SELECT projects "
            f"FROM {table} WHERE value = '' AND other = ''), 0) AS yes), "
        )
        # The matches, or (one-time filters: only one side runs) the rows the
        # words did not match.
        source = (
            "(SELECT w.values FROM words w WHERE NOT (SELECT yes FROM broad) "
            f"UNION ALL SELECT o.values FROM {listed} o "
            "WHERE (SELECT yes FROM broad) AND NOT EXISTS "
            "(SELECT 1 FROM words w WHERE w.case_study_id = o.case_study_id)) l"
        )
        kept, tail_params = _kept_counts(chosen)
        tail = (
            f" UNION ALL SELECT 'k', k.* FROM ({kept}) k "
            "UNION ALL SELECT 'broad', '', (SELECT yes FROM broad)::int"
        )
    elif q:
        sql, source_params = words.values(
            "case_study_id", "values"
        ).query.sql_with_params()
        source = f"({sql}) l"
    if len(chosen) > 1:
        # Any of the filters' values (the GIN index): a row with none misses
        # two or more, so counts in no facet.
        anything = ", ".join(value for value, _ in chosen.values())
        conditions.append(f"l.values && ARRAY[{anything}]::varchar[]")
        condition_params += [p for _, values in chosen.values() for p in values]
    flags, flag_params = ["l.values"], []
    for index, (value, value_params) in enumerate(chosen.values()):
        flags.append(f"l.values @> ARRAY[{value}]::varchar[] AS f{index}")
        flag_params += value_params
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    misses = " + ".join(f"(NOT f{i})::int" for i in range(len(chosen))) or "0"

    def passes(facets) -> str:
        """SQL that the row passes the chosen filters of these facets."""
        names = [f"f{i}" for i, facet in enumerate(chosen) if facet in facets]
        return " AND ".join(names) or "TRUE"

    # A value counts the rows that pass every filter but its own facet's: one
    # conditional count per chosen facet, picked once per value (not per row).
    picks, pick_params = [], []
    for facet in chosen:
        pick_params.append(facet)
        picks.append(
            f"WHEN %s THEN COUNT(*) FILTER (WHERE {passes(set(chosen) - {facet})})"
        )
    every = passes(set(chosen))
    projects = (
        f"CASE split_part(v, ':', 1) {' '.join(picks)} "
        f"ELSE COUNT(*) FILTER (WHERE {every}) END"
        if chosen
        else "COUNT(*)"
    )
    sql = (
        f"{head or 'WITH '}matching AS MATERIALIZED (SELECT * FROM (SELECT "
        f"{', '.join(flags)} FROM {source} {where}) r WHERE {misses} <= 1) "
        f"SELECT * FROM (SELECT 'n', v AS value, {projects} AS projects "
        "FROM matching m CROSS JOIN LATERAL unnest(m.values) v GROUP BY v) c "
        "WHERE c.projects > 0 "
        f"UNION ALL SELECT 'n', '', COUNT(*) FROM matching m WHERE {every}{tail}"
    )
    params = [
        *head_params,
        *flag_params,
        *source_params,
        *condition_params,
        *pick_params,
        *tail_params,
    ]
    return _labelled(sql), params


def _labelled(counts_sql: str) -> str:
    """The counts' rows (kind, value, projects; value '' for the total) with
    each value's slug, label and order from its own table (a deleted theme's or
    tag's count drops out). Kind "n" is a count, "k" a kept count from which
    the "n" counts are taken when the "broad" row says 1."""
    table = connection.ops.quote_name
    joins = []
    slugs, labels, orders = [], [], []
    for facet, model, label, order in (
        ("city", City, "name", "name"),
        ("council", Organisation, "name", "name"),
        ("theme", Theme, "name", '"order"'),
        ("driver", PolicyDriver, "short_name", '"order"'),
        ("tag", Tag, "name", "name"),
    ):
        alias = f"x_{facet}"
        joins.append(
            f"LEFT JOIN {table(model._meta.db_table)} {alias} "
            f"ON c.value = '{facet}:' || {alias}.id"
        )
        slugs.append(f"{alias}.slug")
        labels.append(f"{alias}.{label}")
        orders.append(f"{alias}.{order}::text")
    rest = "split_part(c.value, ':', 2)"
    return (
        "SELECT c.kind, split_part(c.value, ':', 1), c.projects, "
        f"COALESCE({', '.join(slugs)}, {rest}), "
        f"COALESCE({', '.join(labels)}, {rest}), "
        f"COALESCE({', '.join(orders)}, '') "
        f"FROM ({counts_sql}) c (kind, value, projects) {' '.join(joins)} "
        f"WHERE c.value = '' OR split_part(c.value, ':', 1) IN ('stage', 'year', "
        f"'place') OR COALESCE({', '.join(slugs)}) IS NOT NULL"
    )


def _figures(rows) -> ListFigures:
    """The facets' choices in each facet's order, and the total, from the rows
    (kind, facet, count, slug, label, order) of either query (facet "" the
    total). When the words matched most of the catalogue, the counts are of the
    rows they did not match: each is taken from its kept count."""
    broad = any(kind == "broad" and n for kind, _, n, *_ in rows)
    counted = {(f, slug): n for kind, f, n, slug, *_ in rows if kind == "n"}
    count = 0
    found = {facet: [] for facet in COUNTED_FACETS}
    for kind, facet, n, slug, label, order in rows:
        if kind != ("k" if broad else "n"):
            continue
        if broad:
            n -= counted.get((facet, slug), 0)
        if facet == "":
            count = n
        elif facet in found and n > 0:
            found[facet].append((slug, label, n, order))
    stages = list(CaseStudy.Stage)
    orders = {
        "city": lambda c: c[1],
        "council": lambda c: c[1],
        "theme": lambda c: (int(c[3] or 0), c[1]),
        "driver": lambda c: (int(c[3] or 0), c[1]),
        "tag": lambda c: (-c[2], c[1]),
        "stage": lambda c: stages.index(c[0]) if c[0] in stages else len(stages),
        "year": lambda c: -int(c[0]),
    }
    facets = {}
    for facet, choices in found.items():
        choices = sorted(choices, key=orders[facet])
        if facet == "tag":
            choices = choices[:MOST_TAGS]
        if facet == "stage":
            labels = dict(CaseStudy.Stage.choices)
            choices = [(s, str(labels.get(s, s)), n, o) for s, _, n, o in choices]
        facets[facet] = [(slug, str(label), n) for slug, label, n, _ in choices]
    return ListFigures(facets=facets, count=count)
