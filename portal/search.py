"""The one search: case studies, discussions, events and people from one box.

Each app's own search function decides what a reader may see; this module only
gathers their best few and keeps the rendered results. Results are the same for
every reader who may see the same things, so they are declared parts
(kit/parts.py: ``search-<kind>`` and ``search-<kind>-page``), kept under their
kind's versions and keyed by the words, the page and the reader's role: reviewing
case studies, moderating discussions, managing events, and (rarely) having
unpublished case studies of one's own (then the author's id). The render
functions get only those, never the request or the member.
"""

import functools
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, QuerySet, Window
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from casestudies import queries as casestudies_queries
from casestudies.models import PUBLISH_PERMISSION, CaseStudy
from casestudies.queries import search_for_role
from events import queries as events_queries
from events.models import manages_events
from events.queries import search_events_for_role
from kit import parts, versions
from kit.models import DataVersion
from network.forums import queries as forums_queries
from network.forums.queries import search_posts_for_role
from network.models.forums import can_moderate
from network.people import queries as people_queries
from network.people.queries import search_approved_members

from .forms import SearchForm

PER_PAGE = 20
ALL_TOKENS = (versions.CATALOGUE, versions.FORUMS, versions.EVENTS, versions.PEOPLE)


@dataclass(frozen=True)
class SearchKind:
    key: str
    label: str
    # The app's search for a role: (words, **role) -> the matches, best first.
    search: object
    template: str
    # Each app's search ranks at most this many of the newest matches (ranking
    # every match of a broad word is what costs, PERFORMANCE.md), so the count
    # stops there too and the page says "more than".
    cap: int
    # The cached parts of its best few and of its pages (their tokens: the data
    # a result shows, so a new post leaves the cached case studies alone).
    part: str
    # The reader's role for the app's search, from the reader and the tokens:
    # what decides which of them they may see, and all its part's key holds.
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
        search_for_role,
        "portal/includes/_result_case_study.html",
        casestudies_queries.SEARCH_CANDIDATES,
        part="search-case-studies",
        audience=_case_study_audience,
    ),
    SearchKind(
        "posts",
        gettext_lazy("Discussions"),
        search_posts_for_role,
        "portal/includes/_result_post.html",
        forums_queries.SEARCH_CANDIDATES,
        part="search-posts",
        audience=lambda viewer, tokens: {"moderator": can_moderate(viewer)},
        ids_first=True,
    ),
    SearchKind(
        "events",
        gettext_lazy("Events"),
        search_events_for_role,
        "portal/includes/_result_event.html",
        events_queries.SEARCH_LIMIT,
        part="search-events",
        audience=lambda viewer, tokens: {"manager": manages_events(viewer)},
    ),
    SearchKind(
        "members",
        gettext_lazy("People"),
        search_approved_members,
        "portal/includes/_result_member.html",
        people_queries.SEARCH_CANDIDATES,
        part="search-members",
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


def best_of(kind: SearchKind, query: str, *, limit: int = 5, **role) -> dict:
    """The best few results of one kind and how many there are (up to its cap),
    as the role may see."""
    results = kind.search(query, **role).annotate(matches=Window(Count("pk")))
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


def _group(kind_key: str, q: str, **role) -> dict:
    """The context of a kind's best few (the part ``search-<kind>``)."""
    kind = SEARCH_KINDS_BY_KEY[kind_key]
    group = {"kind": kind, **best_of(kind, q, **role)}
    return {"q": q, "group": group, "count": group["count"], "capped": group["capped"]}


def _page(kind_key: str, q: str, page: str, **role) -> dict:
    """The context of one page of a kind (the part ``search-<kind>-page``)."""
    kind = SEARCH_KINDS_BY_KEY[kind_key]
    return {
        "q": q,
        "kind": kind,
        "page": Paginator(kind.search(q, **role), PER_PAGE).get_page(page),
        "query": urlencode({"q": q, "kind": kind.key}),
    }


@parts.renders("search-case-studies")
def _case_studies(*, q, reviewer, author_id) -> dict:
    return _group("case_studies", q, reviewer=reviewer, author_id=author_id)


@parts.renders("search-case-studies-page")
def _case_studies_page(*, q, page, reviewer, author_id) -> dict:
    return _page("case_studies", q, page, reviewer=reviewer, author_id=author_id)


@parts.renders("search-posts")
def _posts(*, q, moderator) -> dict:
    return _group("posts", q, moderator=moderator)


@parts.renders("search-posts-page")
def _posts_page(*, q, page, moderator) -> dict:
    return _page("posts", q, page, moderator=moderator)


@parts.renders("search-events")
def _events(*, q, manager) -> dict:
    return _group("events", q, manager=manager)


@parts.renders("search-events-page")
def _events_page(*, q, page, manager) -> dict:
    return _page("events", q, page, manager=manager)


@parts.renders("search-members")
def _members(*, q) -> dict:
    return _group("members", q)


@parts.renders("search-members-page")
def _members_page(*, q, page) -> dict:
    return _page("members", q, page)


def search(request):
    """One box searches case studies, discussions, events and people at once,
    showing only what this member may see; ``kind`` shows all of one kind."""
    form = SearchForm(request.GET)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    kind = SEARCH_KINDS_BY_KEY.get(request.GET.get("kind", ""))
    context = {"form": form, "q": q, "kind": kind}
    if q:
        tokens = _tokens_for(request.user)
        known = {name: tokens[name] for name in ALL_TOKENS}
        roles = {k.key: k.audience(request.user, tokens) for k in SEARCH_KINDS}
        if kind:
            page = request.GET.get("page", "1")[:10]
            context["page_html"] = parts.render(
                request,
                f"{kind.part}-page",
                known=known,
                q=q,
                page=page,
                **roles[kind.key],
            )
        else:
            context["groups"] = [
                _group_shown(request, k, known, q, roles[k.key]) for k in SEARCH_KINDS
            ]
    return render(request, "portal/search.html", context)


def _group_shown(request, kind: SearchKind, known: dict, q: str, role: dict) -> dict:
    found = parts.get(request, kind.part, known=known, q=q, **role)
    return {"kind": kind, "html": found.html, **found.kept}
