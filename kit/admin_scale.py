"""Django admin at scale (200,000 members, 100,000 case studies, a million posts):
the shapes every big changelist shares.

- ``ScaleAdmin``: a changelist that never counts a big table. Its paginator
  (``ScalePaginator``) takes an unfiltered table's size from PostgreSQL's own
  estimate, counts a filtered list only up to ``COUNT_UP_TO`` rows, and reads
  a deep page's keys from an index before its rows; the page says "about" or
  "more than" (templates/admin/pagination.html, search_form.html).
- ``IndexedSearchAdmin``: the search box reads an index (a search vector's GIN
  index, an exact key) through ``indexed_search``; Django's own search is an
  ILIKE '%word%' on every column listed, across joins, with duplicates removed
  by a subquery over whole rows: seconds at scale.
- ``picked_filter``: a filter on a big relation (5,000 events, 240 cohorts and
  growing) that takes the chosen row's id from the query string, as Django's
  own link does, and shows only that one; the admin finds the row by search or
  follows a link, never by scrolling a list of every row.
- ``related_filter``: a filter on a many-to-many relation (themes, groups) read
  through its join table, so Django's duplicate removal (a DISTINCT over whole
  rows) is never needed.
"""

from functools import cached_property

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.db.models.lookups import Exact
from django.utils.html import format_html
from django.utils.translation import gettext as _

# Below this many rows (by the estimate) a table is counted exactly: cheap.
ESTIMATE_FROM = 10_000
# A filtered list is counted up to here and then reads "more than": counting
# 35,000 matches of "heat" took 0.9 s, the first 1,001 of them 20 ms.
COUNT_UP_TO = 1_000
# From this offset a page's keys come first from an index (an index-only scan
# of the ordering's index), then only its own rows are read: page 900 of the
# case studies read 90,000 rows (360 ms), its keys alone take 8 ms.
KEYS_FIRST_FROM = 1_000


def words(term: str) -> SearchQuery:
    """The admin's words as a full-text query (websearch syntax, stemmed: never a
    syntax error), the same reading as the site's own search."""
    return SearchQuery(term, config="english", search_type="websearch")


def email_is(term: str, field: str = "email") -> Q:
    """An exact email, case-insensitively, from the lower(email) unique index."""
    return Q(Exact(Lower(field), term.lower()))


def estimated_rows(model) -> int | None:
    """The table's rows as PostgreSQL estimates them (the planner's own sum: the
    rows per page of the last ANALYZE times the pages now), or None if it has
    never been analysed."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN reltuples < 0 THEN NULL"
            " WHEN relpages = 0 THEN reltuples"
            " ELSE reltuples / relpages * (pg_relation_size(oid)"
            " / current_setting('block_size')::int) END"
            " FROM pg_class WHERE oid = %s::regclass",
            [connection.ops.quote_name(model._meta.db_table)],
        )
        row = cursor.fetchone()
    return None if row is None or row[0] is None else int(row[0])


class ScalePaginator(Paginator):
    """Django's paginator without a COUNT(*) of a big table. ``count_is`` says
    how the count was had: "" (counted), "about" (the estimate of an unfiltered
    table) or "more than" (a filtered list, counted up to COUNT_UP_TO)."""

    count_is = ""

    @cached_property
    def count(self):
        rows = self.object_list
        estimate = estimated_rows(rows.model)
        if estimate is None or estimate < ESTIMATE_FROM:
            return super().count  # a small table (or never analysed): counted
        if not rows.query.where:
            self.count_is = "about"
            return estimate
        counted = rows.order_by().values("pk")[: COUNT_UP_TO + 1].count()
        if counted > COUNT_UP_TO:
            self.count_is = "more than"
            return COUNT_UP_TO
        return counted

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        if bottom < KEYS_FIRST_FROM:
            return self._get_page(rows[bottom:top], number, self)
        # The page's keys in the list's order (no join, no other column), then
        # its rows, in the same order, by key.
        keys = rows.values("pk")[bottom:top]
        return self._get_page(rows.filter(pk__in=keys), number, self)


class ScaleChangeList(ChangeList):
    """The list without the columns it never shows (``list_defer``)."""

    def get_queryset(self, request, exclude_parameters=None):
        rows = super().get_queryset(request, exclude_parameters)
        return (
            rows.defer(*self.model_admin.list_defer)
            if self.model_admin.list_defer
            else rows
        )


class ScaleAdmin(admin.ModelAdmin):
    """A changelist of a big table: counted as ScalePaginator does, the second
    count (of the whole table) never made, and the rows' checkboxes written
    directly (rendering a widget template for each of 100 rows was a third of
    the page's time). ``list_defer`` names the columns the list leaves out (a
    text, a search vector) but the change form shows; ``change_select_related``
    the relations the change form shows read-only, read with the object."""

    paginator = ScalePaginator
    show_full_result_count = False
    list_defer = ()
    change_select_related = ()

    def get_changelist(self, request, **kwargs):
        return ScaleChangeList

    def get_object(self, request, object_id, from_field=None):
        # Django's own, with the read-only relations in the same query (and
        # only those: select_related() with none named would join every one).
        queryset = self.get_queryset(request)
        if self.change_select_related:
            queryset = queryset.select_related(*self.change_select_related)
        model = queryset.model
        field = (
            model._meta.pk if from_field is None else model._meta.get_field(from_field)
        )
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (model.DoesNotExist, ValidationError, ValueError):
            return None

    def action_checkbox(self, obj):
        # The markup of Django's own CheckboxInput, which the actions' script reads.
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select"'
            ' aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            format_html(_("Select this object for an action - {}"), str(obj)),
        )


class IndexedSearchAdmin(ScaleAdmin):
    """A big changelist whose search reads an index."""

    def indexed_search(self, queryset: QuerySet, term: str) -> QuerySet:
        """The rows matching the term, from an index; each admin says how."""
        raise NotImplementedError

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        # Every indexed search filters the table's own rows (subqueries, never a
        # join that repeats a row), so there are no duplicates to remove.
        return self.indexed_search(queryset, term), False


def ids_of(queryset: QuerySet, most: int = 1_000):
    """The keys of a small lookup (organisations named so, members named so) as
    a list, so the search's OR becomes a BitmapOr of two indexes instead of a
    subplan tested on every row; a lookup with more keys stays a subquery."""
    queryset = queryset.order_by()  # any keys will do: no sort
    keys = list(queryset.values_list("pk", flat=True)[: most + 1])
    return keys if len(keys) <= most else queryset.values("pk")


def picked_filter(field: str, title: str):
    """A list filter on ``field`` (a foreign key, or a path of them) showing only
    the chosen row."""

    class PickedFilter(admin.SimpleListFilter):
        parameter_name = f"{field}__id__exact"

        def lookups(self, request, model_admin):
            value = self.value()
            if not (value or "").isdigit():
                return ()
            related = model_admin.model
            for part in field.split("__"):
                related = related._meta.get_field(part).related_model
            chosen = related._default_manager.filter(pk=value).first()
            return [(value, str(chosen))] if chosen else ()

        def queryset(self, request, queryset):
            value = self.value()
            if (value or "").isdigit():
                return queryset.filter(**{f"{field}__pk": int(value)})
            return queryset

    PickedFilter.title = title
    PickedFilter.__name__ = "Picked" + field.title().replace("_", "") + "Filter"
    return PickedFilter


def related_filter(field: str, title: str):
    """A list filter on a many-to-many ``field`` to a short list (themes,
    groups): every row of it offered, as Django's own filter does, under the
    same parameter, and the rows chosen through the join table's index."""

    class RelatedFilter(admin.SimpleListFilter):
        parameter_name = f"{field}__id__exact"

        def lookups(self, request, model_admin):
            related = model_admin.model._meta.get_field(field).related_model
            return [(str(row.pk), str(row)) for row in related._default_manager.all()]

        def queryset(self, request, queryset):
            value = self.value()
            if not (value or "").isdigit():
                return queryset
            relation = queryset.model._meta.get_field(field)
            through = relation.remote_field.through
            own = relation.m2m_field_name()
            other = relation.m2m_reverse_field_name()
            chosen = through.objects.filter(**{f"{other}_id": int(value)})
            return queryset.filter(pk__in=chosen.values(f"{own}_id"))

    RelatedFilter.title = title
    RelatedFilter.__name__ = "Related" + field.title().replace("_", "") + "Filter"
    return RelatedFilter
