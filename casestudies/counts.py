"""The published catalogue's counts, kept in each change's own transaction.

The case-study list shows, beside every filter choice, how many published case
studies it gives with the other filters; the impact page sums their figures.
Counted afresh after each change that took 0.5-1.2 s at 100,000 case studies,
the first request after any write. So the counts are kept instead:
``ListedCaseStudy`` holds each published case study's filter values as they were
counted, ``FacetCount`` the counts (and figures) of every value and of every two
values of different facets together. ``recount_case_studies(ids)`` is the one
writer: it reads the case studies as they are now, takes away what their listed
rows added and adds what they add now. The signals (signals.py) call it for
every change a case study's values depend on, within that change's transaction,
so a count never outlives the data it came from.

``case_study_values`` is the one statement of which values a case study has;
the facet queries (queries/facets.py) filter on the same "facet:value" texts.
``rebuild_counts`` (``manage.py rebuild_catalogue_counts``, the scale loader)
counts everything again from nothing.
"""

from collections import defaultdict
from contextvars import ContextVar
from decimal import Decimal

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import ExtractYear

from kit.batching import collected
from kit.mail import batched

from .models import CaseStudy, FacetCount, ListedCaseStudy
from .queries.common import _case_study_type_id

NETWORK = CaseStudy.Place.NETWORK
# Case studies read at once by a rebuild.
REBUILD_CHUNK = 5000


def facet_of(value: str) -> str:
    """ "city" for "city:3"."""
    return value.partition(":")[0]


def case_study_values(ids) -> dict[int, ListedCaseStudy]:
    """The published ones among these case studies, as unsaved listed rows: each
    one's filter values and figures, as the list's filters read them (one query)."""
    rows = (
        CaseStudy.objects.published()
        .filter(pk__in=list(ids))
        .order_by()
        .annotate(
            year=ExtractYear("start_date"),
            theme_ids=ArrayAgg("themes", distinct=True, filter=Q(themes__isnull=False)),
            driver_ids=ArrayAgg(
                "drivers", distinct=True, filter=Q(drivers__isnull=False)
            ),
        )
        .values_list(
            "pk",
            "city_id",
            "organisation_id",
            "place",
            "stage",
            "year",
            "theme_ids",
            "driver_ids",
            "emissions_saved",
            "emissions_confidence",
            "capital_cost",
            "revenue_cost",
        )
    )
    tags = defaultdict(list)
    for object_id, tag_id in CaseStudy.tags.through.objects.filter(
        content_type_id=_case_study_type_id(), object_id__in=list(ids)
    ).values_list("object_id", "tag_id"):
        tags[object_id].append(tag_id)
    listed = {}
    for pk, city, council, place, stage, year, themes, drivers, *figures in rows:
        saved, confidence, capital, revenue = figures
        values = [f"place:{place}", f"stage:{stage}"]
        values += ["place:outside"] if place != NETWORK else []
        values += [f"city:{city}"] if city else []
        values += [f"council:{council}"] if council else []
        values += [f"year:{year}"] if year else []
        values += [f"theme:{pk_}" for pk_ in themes or ()]
        values += [f"driver:{pk_}" for pk_ in drivers or ()]
        values += [f"tag:{pk_}" for pk_ in sorted(set(tags[pk]))]
        listed[pk] = ListedCaseStudy(
            case_study_id=pk,
            values=sorted(values),
            emissions_saved=saved,
            emissions_confidence=confidence,
            invested=(capital or 0) + (revenue or 0),
        )
    return listed


def _same(a: ListedCaseStudy, b: ListedCaseStudy) -> bool:
    fields = ("values", "emissions_saved", "emissions_confidence", "invested")
    return all(getattr(a, f) == getattr(b, f) for f in fields)


def _add(deltas: dict, listed: ListedCaseStudy, sign: int) -> None:
    """Add (or with sign -1 take away) one listed case study's counts: the whole
    catalogue, each of its values, and each two of its values of different facets."""
    saved = listed.emissions_saved or Decimal(0)
    confidence = listed.emissions_confidence
    figures = (
        sign,
        sign * saved,
        sign * saved if confidence == CaseStudy.Confidence.ESTIMATED else 0,
        sign * saved if confidence == CaseStudy.Confidence.MEASURED else 0,
        sign * listed.invested,
    )
    values = listed.values
    keys = [("", ""), *((value, "") for value in values)]
    keys += [
        (value, other)
        for value in values
        for other in values
        if facet_of(value) != facet_of(other)
    ]
    for key in keys:
        total = deltas.get(key)
        if total is None:
            deltas[key] = list(figures)
        else:
            for i, x in enumerate(figures):
                total[i] += x


def _apply(deltas: dict) -> None:
    """Add the deltas to the kept counts: one statement, rows in a fixed order
    so two writers lock them in the same order (no deadlock)."""
    rows = [(key, d) for key, d in sorted(deltas.items()) if any(d)]
    if not rows:
        return
    table = connection.ops.quote_name(FacetCount._meta.db_table)
    columns = ("projects", "emissions", "estimated", "measured", "invested")
    for batch in batched(rows, 5000):
        placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(batch))
        params = [x for (value, other), d in batch for x in (value, other, *d)]
        updates = ", ".join(f"{c} = {table}.{c} + EXCLUDED.{c}" for c in columns)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (value, other, {', '.join(columns)}) "
                f"VALUES {placeholders} "
                f"ON CONFLICT (other, value) DO UPDATE SET {updates}",
                params,
            )


# The case studies to recount on leaving ``recounts_batched()``, or None.
_batched: ContextVar[set[int] | None] = ContextVar("batched_recounts", default=None)


def recounts_batched():
    """Inside, ``recount_case_studies()`` only notes the ids; each is recounted
    once, on leaving. For bulk loads that read no counts in between (the demo
    data), inside their transaction, as ``versions.changes_batched()``."""
    return collected(_batched, recount_case_studies)


def recount_case_studies(ids) -> None:
    """Bring the kept counts up to date with these case studies as they are now
    (published or not, or deleted): call in the change's transaction."""
    ids = sorted({int(pk) for pk in ids if pk is not None})
    batch = _batched.get()
    if batch is not None:
        batch.update(ids)
    elif ids:
        _recount_now(ids)


@transaction.atomic
def _recount_now(ids: list[int]) -> None:
    # The case studies' row locks first: two changes of one case study (a tag
    # and a theme at once) then recount one after the other, the second seeing
    # the first's listed row, so neither counts it twice.
    locked = CaseStudy.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    list(locked.values_list("pk", flat=True))
    now = case_study_values(ids)
    listed = ListedCaseStudy.objects.defer("search_vector").select_for_update()
    before = listed.in_bulk(ids)
    changed = [
        pk
        for pk in ids
        if (pk in now) != (pk in before)
        or (pk in now and not _same(now[pk], before[pk]))
    ]
    if changed:
        _recount(changed, now, before)
    _copy_search_vectors([pk for pk in ids if pk in now])


def _recount(changed, now, before) -> None:
    deltas = {}
    for pk in changed:
        if pk in before:
            _add(deltas, before[pk], -1)
        if pk in now:
            _add(deltas, now[pk], 1)
    _apply(deltas)
    ListedCaseStudy.objects.filter(pk__in=changed).delete()
    ListedCaseStudy.objects.bulk_create([now[pk] for pk in changed if pk in now])


def _copy_search_vectors(ids) -> None:
    """Each listed row's copy of its case study's search vector, where it differs
    (PostgreSQL copies it: a vector is never parsed in Python)."""
    if not ids:
        return
    table = connection.ops.quote_name
    listed = table(ListedCaseStudy._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {listed} l SET search_vector = c.search_vector "
            f"FROM {table(CaseStudy._meta.db_table)} c "
            "WHERE c.id = l.case_study_id AND l.case_study_id = ANY(%s) "
            "AND l.search_vector IS DISTINCT FROM c.search_vector",
            [list(ids)],
        )


@transaction.atomic
def rebuild_counts() -> int:
    """Count the whole published catalogue again from nothing (the counts are
    only ever derived): the number of published case studies counted. The
    same reads and sums as a recount, the counts written once at the end."""
    FacetCount.objects.all().delete()
    ListedCaseStudy.objects.all().delete()
    ids = list(
        CaseStudy.objects.published().order_by("pk").values_list("pk", flat=True)
    )
    deltas = {}
    for chunk in batched(ids, REBUILD_CHUNK):
        now = case_study_values(chunk)
        for listed in now.values():
            _add(deltas, listed, 1)
        ListedCaseStudy.objects.bulk_create(now.values())
        _copy_search_vectors(list(now))
    _apply(deltas)
    return len(ids)


def counts_agree() -> list[tuple]:
    """The kept counts that differ from a fresh count (empty when all agree):
    (value, other, kept, fresh) for each, compared in a rolled-back rebuild."""
    kept = _all_counts()
    try:
        with transaction.atomic():
            rebuild_counts()
            fresh = _all_counts()
            raise _RolledBack
    except _RolledBack:
        pass
    keys = sorted(set(kept) | set(fresh))
    zero = (0, 0, 0, 0, 0)
    return [
        (*key, kept.get(key, zero), fresh.get(key, zero))
        for key in keys
        if kept.get(key, zero) != fresh.get(key, zero)
    ]


class _RolledBack(Exception):
    pass


def _all_counts() -> dict:
    rows = FacetCount.objects.exclude(projects=0).values_list(
        "value", "other", "projects", "emissions", "estimated", "measured", "invested"
    )
    return {(value, other): tuple(figures) for value, other, *figures in rows}
