"""The one search: case studies, discussions, events and people from one box.

Each app's own search function decides what a reader may see; this module only
gathers their best few and keeps the rendered results. Results are the same for
every reader who may see the same things, so they are kept under the versions of
all four kinds, keyed by the words, the kind and page, and by what decides what a
reader sees: reviewing case studies, moderating discussions, managing events, and
(rarely) having unpublished case studies of one's own.
"""

import functools
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, QuerySet, Window
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from casestudies import queries as casestudies_queries
from casestudies.models import PUBLISH_PERMISSION, CaseStudy
from casestudies.queries import search_case_studies
from events import queries as events_queries
from events.models import MANAGE_PERMISSION
from events.queries import search_events
from kit import versions
from kit.models import DataVersion
from network.forums import queries as forums_queries
from network.forums.queries import search_posts
from network.models.forums import can_moderate
from network.people import queries as people_queries
from network.people.queries import search_members

from .forms import SearchForm

PER_PAGE = 20
ALL_TOKENS = (versions.CATALOGUE, versions.FORUMS, versions.EVENTS, versions.PEOPLE)


@dataclass(frozen=True)
class SearchKind:
    key: str
    label: str
    search: object
    template: str
    # Each app's search ranks at most this many of the newest matches (ranking
    # every match of a broad word is what costs, PERFORMANCE.md), so the count
    # stops there too and the page says "more than".
    cap: int
    # The data a result shows: its rendering is kept under these versions, so a
    # new post leaves the cached case studies, events and people alone.
    tokens: tuple[str, ...]
    # What decides which of them the reader may see (see each app's search).
    audience: object
    # Rank the ids first, then read the few best rows: for wide rows joined to
    # others (a post's thread and author), cheaper than ranking whole rows.
    ids_first: bool = False


def _case_study_audience(viewer, tokens: dict) -> dict:
    if viewer.has_perm(PUBLISH_PERMISSION):
        return {"reviewer": True, "author_id": None}
    # Others see their own drafts too: only then is the key theirs alone.
    return {
        "reviewer": False,
        "author_id": viewer.pk if tokens["own_unpublished"] else None,
    }


# Stands for the reader's id in the draft check compiled once from the rule.
_READER = -7_391_024


@functools.cache
def _tokens_sql() -> tuple[str, tuple]:
    """The SQL of the tokens and of the draft check, with its parameters (the
    reader's id as ``_READER``): the check is the library's own rule
    (``unpublished_for_role``), compiled once."""
    versions_table = connection.ops.quote_name(DataVersion._meta.db_table)
    token = f"(SELECT token FROM {versions_table} WHERE name = %s)"
    own = CaseStudy.objects.unpublished_for_role(reviewer=False, author_id=_READER)
    own_sql, own_params = own.order_by().values("pk")[:1].query.sql_with_params()
    sql = f"SELECT {', '.join([token] * len(ALL_TOKENS))}, EXISTS ({own_sql})"
    return sql, (*ALL_TOKENS, *own_params)


def _tokens_for(viewer) -> dict:
    """The versions of the four kinds and whether the viewer is an author of an
    unpublished case study, in the one query a search needs before its caches.

    Written as SQL because building it with the ORM (four subqueries and an
    EXISTS) took longer than everything else a cached search does."""
    sql, params = _tokens_sql()
    params = [viewer.pk if value == _READER else value for value in params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        *found, own_unpublished = cursor.fetchone()
    tokens = {name: token or 0 for name, token in zip(ALL_TOKENS, found, strict=True)}
    tokens["own_unpublished"] = own_unpublished
    return tokens


SEARCH_KINDS = [
    SearchKind(
        "case_studies",
        gettext_lazy("Case studies"),
        search_case_studies,
        "portal/includes/_result_case_study.html",
        casestudies_queries.SEARCH_CANDIDATES,
        tokens=(versions.CATALOGUE, versions.PEOPLE),  # with city and council
        audience=_case_study_audience,
    ),
    SearchKind(
        "posts",
        gettext_lazy("Discussions"),
        search_posts,
        "portal/includes/_result_post.html",
        forums_queries.SEARCH_CANDIDATES,
        tokens=(versions.FORUMS, versions.PEOPLE),  # with the author's name
        audience=lambda viewer, tokens: {"moderator": can_moderate(viewer)},
        ids_first=True,
    ),
    SearchKind(
        "events",
        gettext_lazy("Events"),
        search_events,
        "portal/includes/_result_event.html",
        events_queries.SEARCH_LIMIT,
        tokens=(versions.EVENTS,),
        audience=lambda viewer, tokens: {"manager": viewer.has_perm(MANAGE_PERMISSION)},
    ),
    SearchKind(
        "members",
        gettext_lazy("People"),
        search_members,
        "portal/includes/_result_member.html",
        people_queries.SEARCH_CANDIDATES,
        tokens=(versions.PEOPLE,),
        # Only approved members reach the search, and they all find the same.
        audience=lambda viewer, tokens: {},
    ),
]
SEARCH_KINDS_BY_KEY = {kind.key: kind for kind in SEARCH_KINDS}


def _rows_like(results: QuerySet, pks: list) -> list:
    """The rows with these ids, in this order, with the related rows ``results``
    would have read: one query by primary key."""
    if not pks:
        return []
    rows = results.model._default_manager.filter(pk__in=pks)
    rows.query.select_related = results.query.select_related
    rows.query.deferred_loading = results.query.deferred_loading
    by_pk = {row.pk: row for row in rows}
    return [by_pk[pk] for pk in pks if pk in by_pk]


def best_of(kind: SearchKind, query: str, *, viewer, limit: int = 5) -> dict:
    """The best few results of one kind and how many there are (up to its cap),
    as the viewer may see."""
    results = kind.search(query, viewer=viewer).annotate(matches=Window(Count("pk")))
    # The result templates show no many-to-many rows (a member's expertise).
    results = results.prefetch_related(None)
    if kind.ids_first:
        best = list(results.values_list("pk", "matches")[:limit])
        count = best[0][1] if best else 0
        top = _rows_like(results, [pk for pk, _ in best])
    else:
        # One query: the best few rows, each carrying how many matched (before
        # any LIMIT of the app's own, hence the min with the cap).
        top = list(results[:limit])
        count = top[0].matches if top else 0
    count = min(count, kind.cap) if results.query.is_sliced else count
    return {"count": count, "capped": count >= kind.cap, "results": top}


def search_everything(query: str, *, viewer, per_kind: int = 5) -> list[dict]:
    """The top results of each kind with how many there are, as the viewer may see."""
    return [
        {"kind": kind, **best_of(kind, query, viewer=viewer, limit=per_kind)}
        for kind in SEARCH_KINDS
    ]


def _kind_results(request, tokens: dict, q: str, kind: SearchKind, page=None):
    """One kind's results, kept rendered under its versions, for the words and
    the reader's audience: the best few (and how many) for the page of every
    kind, or one page of them all."""
    viewer = request.user

    def render_group():
        group = {"kind": kind, **best_of(kind, q, viewer=viewer)}
        html = render_to_string(
            "portal/includes/_search_group.html", {"q": q, "group": group}
        )
        return {"count": group["count"], "capped": group["capped"], "html": html}

    def render_page():
        results = kind.search(q, viewer=viewer)
        context = {
            "q": q,
            "kind": kind,
            "page": Paginator(results, PER_PAGE).get_page(page),
            "query": urlencode({"q": q, "kind": kind.key}),
        }
        return render_to_string("portal/includes/_search_page.html", context)

    return versions.cached(
        f"search:{kind.key}",
        [tokens[name] for name in kind.tokens],
        render_group if page is None else render_page,
        q=q,
        page=page,
        **kind.audience(viewer, tokens),
    )


def search(request):
    """One box searches case studies, discussions, events and people at once,
    showing only what this member may see; ``kind`` shows all of one kind."""
    form = SearchForm(request.GET)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    kind = SEARCH_KINDS_BY_KEY.get(request.GET.get("kind", ""))
    context = {"form": form, "q": q, "kind": kind}
    if q:
        tokens = _tokens_for(request.user)
        if kind:
            page = request.GET.get("page", "1")[:10]
            html = _kind_results(request, tokens, q, kind, page)
            context["page_html"] = mark_safe(html)  # noqa: S308 (our template's)
        else:
            context["groups"] = [
                {"kind": k, **_kind_results(request, tokens, q, k)}
                for k in SEARCH_KINDS
            ]
            for group in context["groups"]:
                group["html"] = mark_safe(group["html"])  # noqa: S308
    return render(request, "portal/search.html", context)
