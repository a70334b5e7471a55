"""Django admin at scale (200,000 members, 100,000 case studies, a million posts):
the shapes every big changelist shares.

- ``IndexedSearchAdmin``: the search box reads an index (a search vector's GIN
  index, an exact key) through ``indexed_search``; Django's own search is an
  ILIKE '%word%' on every column listed, across joins, with duplicates removed
  by a subquery over whole rows: seconds at scale. No full count either (a
  second COUNT of the whole table per page).
- ``picked_filter``: a filter on a big relation (5,000 events, 240 cohorts and
  growing) that takes the chosen row's id from the query string, as Django's
  own link does, and shows only that one; the admin finds the row by search or
  follows a link, never by scrolling a list of every row.
"""

from django.contrib import admin
from django.contrib.postgres.search import SearchQuery
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.db.models.lookups import Exact


def words(term: str) -> SearchQuery:
    """The admin's words as a full-text query (websearch syntax, stemmed: never a
    syntax error), the same reading as the site's own search."""
    return SearchQuery(term, config="english", search_type="websearch")


def email_is(term: str, field: str = "email") -> Q:
    """An exact email, case-insensitively, from the lower(email) unique index."""
    return Q(Exact(Lower(field), term.lower()))


class IndexedSearchAdmin(admin.ModelAdmin):
    """A changelist whose search reads an index and whose pages count once."""

    show_full_result_count = False

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
