"""Every cached page part of the portal, declared once.

A part is HTML that many readers share: a thread's page of posts, the directory's
results, the network at a glance. Each is declared here with its name, the data
tokens it depends on (kit/versions.py), its template and the exact key fields
its render function receives. The render function (a ``@parts.renders(name)``
function in the app that owns the data) takes only those fields as keyword
arguments, all plain values (numbers, text, dates, lists of them), and returns the
template's context. It never sees the request or the member, so what it renders
can only depend on its key: two readers with the same key see the same HTML, by
construction, and anything that differs between readers is a key field or stays
outside the part. Every part is checked by tests/portal/test_parts.py.

The cache key is made the same way for every part, from its declaration:
``part:<name>:<hash of the tokens' values and the key fields' values>``, so a
change to any of its data (a new token) or a different key makes a new key.

Forms inside a part render ``{% csrf_token %}`` with a placeholder; on the way
out, only the exact hidden field that tag writes gets this reader's own token (a
post that quotes the placeholder stays as typed). A part may also leave named
holes (``holes=``) for the reader's own small values, such as the navigation's
unread counts: the template writes ``{{ hole_name }}``, the cached copy keeps a
mark there that no content can forge, and each serving fills it with this
reader's value, escaped as ``{{ }}`` would, never kept. This module imports no
app: it is part of the shared kit below them.
"""

import hashlib
import inspect
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from . import versions
from .versions import CATALOGUE, EVENTS, FORUMS, PEOPLE, TRAINING

# Written into cached HTML in place of the CSRF token, and replaced with the
# reader's own token on the way out: a cached form never carries another's token.
CSRF_PLACEHOLDER = "csrf-token-placeholder-9d1c7f"
# Exactly what ``{% csrf_token %}`` writes around the placeholder. Only this is
# replaced: the same text typed into a post (a link, say) stays as typed, so no
# reader's token is ever put anywhere but into the hidden field of a form.
CSRF_FIELD = (
    f'<input type="hidden" name="csrfmiddlewaretoken" value="{CSRF_PLACEHOLDER}">'
)
# Key values a render function may receive: plain data, never a model instance,
# a request or a member.
PLAIN = (str, int, float, bool, date, type(None))


class Rendered(NamedTuple):
    """A part as served: its HTML (one per template) and the values it keeps."""

    pieces: tuple[SafeString, ...]
    kept: dict

    @property
    def html(self) -> SafeString:
        return self.pieces[0]


@dataclass(frozen=True)
class Part:
    name: str
    tokens: tuple[str, ...]
    # One template, or several rendered from the same context (a page that puts
    # the reader's own controls between two shared pieces).
    template: str | tuple[str, ...]
    key: tuple[str, ...]
    # Context values kept beside the HTML and handed back to the view (plain
    # data: the authors' ids, a title), and the kept datetime, if any, after
    # which the copy is out of date by the clock alone (an event that ends).
    keep: tuple[str, ...] = ()
    expires: str = ""
    # Context names the template writes that each serving fills with the
    # reader's own value (``fill=``): never part of the cached copy.
    holes: tuple[str, ...] = ()
    # Why it is cached: what rendering it costs, for the next reader of the list.
    why: str = ""

    @property
    def templates(self) -> tuple[str, ...]:
        return (self.template,) if isinstance(self.template, str) else self.template

    def cache_key(self, token_values, key: dict) -> str:
        """``part:<name>:<hash>``, from the tokens' and the key fields' values and
        the active language: a part rendered in English is never served to a
        reader who chose Gaelic, nor the other way round."""
        values = [key[field] for field in self.key]
        raw = json.dumps(
            [list(token_values), values, get_language()], default=_plain_json
        )
        return f"part:{self.name}:{hashlib.sha256(raw.encode()).hexdigest()[:40]}"

    def check_key(self, key: dict) -> None:
        if set(key) != set(self.key):
            raise TypeError(
                f"part {self.name!r} takes exactly {sorted(self.key)}, "
                f"not {sorted(key)}"
            )
        for field, value in key.items():
            if not _is_plain(value):
                raise TypeError(
                    f"part {self.name!r}: {field}={value!r} is not plain data "
                    "(pass its id or its text)"
                )

    def check_fill(self, fill: dict) -> None:
        if set(fill) != set(self.holes):
            raise TypeError(
                f"part {self.name!r} has the holes {sorted(self.holes)}, "
                f"not {sorted(fill)}"
            )

    def get(self, request, *, known=None, fill=None, **key) -> Rendered | None:
        """The part for this key: from the cache, or rendered and kept. None when
        its render function found nothing to show (a member with no profile).

        ``request`` only gets its reader's CSRF token into the forms; pass None
        to embed the part in another one (the outer part puts the token in).
        ``known`` is token values already read ({name: value}): no query then.
        ``fill`` is this reader's value for each of the part's holes.
        """
        self.check_key(key)
        fill = fill or {}
        self.check_fill(fill)
        known = known or {}
        missing = [name for name in self.tokens if name not in known]
        read = (
            dict(zip(missing, versions.tokens(*missing), strict=True))
            if missing
            else {}
        )
        token_values = [known.get(name, read.get(name)) for name in self.tokens]
        cache = versions.page_cache()
        cache_key = self.cache_key(token_values, key)
        entry = cache.get(cache_key)
        if entry is None or _past(self.expires and entry["kept"][self.expires]):
            entry = self._render(dict(zip(self.tokens, token_values, strict=True)), key)
            cache.set(cache_key, entry, versions.CACHE_SECONDS)
        if entry["missing"]:
            return None
        pieces = tuple(_served(request, piece, fill) for piece in entry["pieces"])
        return Rendered(pieces, entry["kept"])

    def context(self, token_values: dict, key: dict) -> dict | None:
        """What its render function makes of the key (None: nothing to show)."""
        function = _RENDERERS[self.name]
        extra = {"tokens": token_values} if _wants_tokens(function) else {}
        return function(**key, **extra)

    def _render(self, token_values: dict, key: dict) -> dict:
        context = self.context(token_values, key)
        if context is None:
            return {"missing": True, "pieces": (), "kept": {}}
        # A fresh mark per rendering: no text in the part can imitate it.
        mark = secrets.token_hex(8)
        holes = {name: mark_safe(f"<!--{mark}:{name}-->") for name in self.holes}
        context = {**context, **holes, "csrf_token": CSRF_PLACEHOLDER}
        pieces = []
        for name in self.templates:
            html = render_to_string(name, context)
            pieces.append(_cut(html, mark) if self.holes else html)
        kept = {name: context[name] for name in self.keep}
        return {"missing": False, "pieces": tuple(pieces), "kept": kept}


def _plain_json(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"{value!r} is not plain data")


def _is_plain(value) -> bool:
    if isinstance(value, list | tuple | frozenset | set):
        return all(_is_plain(item) for item in value)
    return isinstance(value, PLAIN)


def _past(moment) -> bool:
    return isinstance(moment, datetime) and moment <= timezone.now()


def _with_token(request, html: str) -> SafeString:
    if request is not None and CSRF_FIELD in html:
        field = CSRF_FIELD.replace(CSRF_PLACEHOLDER, get_token(request))
        html = html.replace(CSRF_FIELD, field)
    return mark_safe(html)  # noqa: S308 (rendered by our templates, escaped there)


def _cut(html: str, mark: str) -> tuple[str, ...]:
    """The rendered text around its holes: text, hole name, text, ... text."""
    return tuple(re.split(rf"<!--{mark}:(\w+)-->", html))


def _served(request, piece: str | tuple[str, ...], fill: dict) -> SafeString:
    """A piece as this reader gets it: their CSRF token in its forms (only in the
    part's own text) and their values in its holes, escaped as ``{{ }}`` would."""
    if isinstance(piece, str):
        return _with_token(request, piece)
    served = [
        _with_token(request, text)
        if n % 2 == 0
        else conditional_escape(localize(fill[text]))
        for n, text in enumerate(piece)
    ]
    return mark_safe("".join(served))  # noqa: S308 (our text, their values escaped)


def _wants_tokens(function: Callable) -> bool:
    return "tokens" in inspect.signature(function).parameters


# --- The parts ------------------------------------------------------------------

ALL_PARTS = (
    Part(
        "site-header",
        tokens=(),
        template="includes/_nav.html",
        # Who reads (visitor, pending, member, staff), which links mark the page's
        # section, and whether each unread badge shows; the counts are holes.
        key=("audience", "current", "notifications_badge", "messages_badge"),
        holes=("unread_notifications", "unread_messages", "search_words"),
        why="the header with the navigation twice (the bar and the mobile menu): "
        "23 addresses and 27 translations, 3 ms of every page",
    ),
    Part(
        "site-footer",
        tokens=(),
        template="includes/_footer.html",
        key=(),
        holes=("next_path",),
        why="the footer's links and its language switch: 0.8 ms of every page",
    ),
    Part(
        "casestudy-list",
        tokens=(CATALOGUE,),
        template="casestudies/includes/_list_body.html",
        key=("query",),
        why="filters with facet counts, 20 cards and pages: 4-8 ms and 5 queries",
    ),
    Part(
        "casestudy-detail",
        tokens=(CATALOGUE, PEOPLE),
        template="casestudies/includes/_detail_body.html",
        key=("case_study_id",),
        keep=("author_ids",),
        why="Markdown body, facts, authors and related ones: 8 queries",
    ),
    Part(
        "casestudy-impact",
        tokens=(CATALOGUE, PEOPLE),
        template="casestudies/includes/_impact_body.html",
        key=(),
        why="four grouped sums over every published case study, and charts",
    ),
    Part(
        "casestudy-pbccd",
        # The council's case studies (catalogue) and its name (people).
        tokens=(CATALOGUE, PEOPLE),
        template="casestudies/includes/_pbccd_body.html",
        key=("council_id", "year"),
        why="a council-year's projects table: 1,000 rows of 12 cells at scale",
    ),
    Part(
        "forum-list",
        tokens=(FORUMS,),
        template="network/forums/includes/_forum_list_body.html",
        # It says "last post 5 minutes ago": made again each minute.
        key=("moderator", "minute"),
        why="30 forums with counts and times: 17,000 Python calls a request",
    ),
    Part(
        "thread-head",
        tokens=(FORUMS, PEOPLE),
        template="network/forums/includes/_thread_head.html",
        key=("thread_id",),
        why="the thread's title, author, tags and subject link",
    ),
    Part(
        "thread-posts",
        tokens=(FORUMS, PEOPLE),
        template="network/forums/includes/_thread_posts.html",
        key=(
            "thread_id",
            "page",
            "moderator",
            "may_mark_answers",
            "new_after",
            "viewer_id",
        ),
        why="20 posts with their authors' cards and the reply form",
    ),
    Part(
        "events-list-page",
        tokens=(EVENTS, PEOPLE),
        template="events/includes/_event_list_body.html",
        key=("events", "page", "pages", "statuses"),
        why="20 event cards with their themes and places left",
    ),
    Part(
        "events-calendar",
        tokens=(EVENTS,),
        template="events/includes/_calendar_body.html",
        key=("month", "manager", "today"),
        why="a month's table of days and events",
    ),
    Part(
        "event-head",
        tokens=(EVENTS, PEOPLE, FORUMS),
        template="events/includes/_event_head.html",
        key=("event_id", "manager", "past"),
        why="the event's heading, themes and places left",
    ),
    Part(
        "event-agenda",
        tokens=(EVENTS, PEOPLE, FORUMS),
        template="events/includes/_event_agenda.html",
        key=("event_id", "manager"),
        why="the sessions with their speakers and materials, and the discussion",
    ),
    Part(
        "event-registration-form",
        tokens=(),
        template="events/includes/_registration_fields.html",
        key=(),
        why="the blank registration form: 0.9 ms and 7,000 Python calls to render",
    ),
    Part(
        "people-directory",
        tokens=(PEOPLE,),
        template="network/people/includes/_directory_results.html",
        key=("query", "page"),
        why="the count and 20 member cards with their expertise",
    ),
    Part(
        "people-directory-form",
        tokens=(PEOPLE,),
        template="network/people/includes/_directory_form.html",
        key=("q", "city", "organisation", "member_type", "tag"),
        why="the filters' selects of every city and organisation: 2 queries",
    ),
    Part(
        "people-profile",
        tokens=(PEOPLE, CATALOGUE, EVENTS, FORUMS),
        template=(
            "portal/people/includes/_profile_head.html",
            "portal/people/includes/_profile_body.html",
        ),
        key=("member_id", "moderator"),
        keep=("title",),
        why="the member, their case studies, talks and posts: 6 queries",
    ),
    Part(
        "people-topic",
        tokens=(PEOPLE, CATALOGUE, EVENTS, FORUMS),
        template="portal/people/includes/_topic_people.html",
        key=("theme_id", "driver_id", "tag"),
        why="authors, speakers, thread starters and experts on a topic",
    ),
    Part(
        "people-council",
        # Its members and the similar councils' counts (people), their case
        # studies (catalogue), its members' talks (events), its training figures.
        tokens=(PEOPLE, CATALOGUE, EVENTS, TRAINING),
        template=(
            "portal/people/includes/_council_head.html",
            "portal/people/includes/_council_body.html",
        ),
        key=("slug", "page"),
        keep=("title", "council_id"),
        why="a page of its members, its case studies, talks, training figures and "
        "the councils like it: 17 queries, 300 ms for Glasgow at scale",
    ),
    Part(
        "training-progress",
        # The figures group learners by their council: the people version too.
        tokens=(TRAINING, PEOPLE),
        template="training/includes/_progress_body.html",
        key=(),
        why="enrolment and certification figures per council and city",
    ),
    Part(
        "search-case-studies",
        tokens=(CATALOGUE, PEOPLE),
        template="portal/includes/_search_group.html",
        key=("q", "reviewer", "author_id"),
        keep=("count", "capped"),
        why="the site search's best case studies for the words, ranked, and their count",
    ),
    Part(
        "search-case-studies-page",
        tokens=(CATALOGUE, PEOPLE),
        template="portal/includes/_search_page.html",
        key=("q", "page", "reviewer", "author_id"),
        why="one page of the site search's case studies for the words",
    ),
    Part(
        "search-posts",
        tokens=(FORUMS, PEOPLE),
        template="portal/includes/_search_group.html",
        key=("q", "moderator"),
        keep=("count", "capped"),
        why="the site search's best posts for the words, ranked, and their count",
    ),
    Part(
        "search-posts-page",
        tokens=(FORUMS, PEOPLE),
        template="portal/includes/_search_page.html",
        key=("q", "page", "moderator"),
        why="one page of the site search's posts for the words",
    ),
    Part(
        "search-events",
        tokens=(EVENTS,),
        template="portal/includes/_search_group.html",
        key=("q", "manager"),
        keep=("count", "capped"),
        why="the site search's best events for the words, ranked, and their count",
    ),
    Part(
        "search-events-page",
        tokens=(EVENTS,),
        template="portal/includes/_search_page.html",
        key=("q", "page", "manager"),
        why="one page of the site search's events for the words",
    ),
    Part(
        "search-members",
        tokens=(PEOPLE,),
        template="portal/includes/_search_group.html",
        key=("q",),
        keep=("count", "capped"),
        why="the site search's best members for the words, ranked, and their count",
    ),
    Part(
        "search-members-page",
        tokens=(PEOPLE,),
        template="portal/includes/_search_page.html",
        key=("q", "page"),
        why="one page of the site search's members for the words",
    ),
    Part(
        "home-body",
        tokens=versions.ALL,
        template="portal/includes/_home_body.html",
        key=("member_id", "reading", "elected"),
        keep=("until",),
        expires="until",
        why="one member's home: their events, threads, training and two panels",
    ),
    Part(
        "home-case-studies",
        tokens=(CATALOGUE,),
        template="portal/includes/_home_case_studies.html",
        key=("city_id", "interests"),
        why="the newest case studies ranked by city and expertise",
    ),
    Part(
        "home-glance",
        tokens=(CATALOGUE, PEOPLE),
        template="portal/includes/_home_glance.html",
        key=(),
        why="the network's figures per city",
    ),
    Part(
        "home-public",
        tokens=(CATALOGUE, EVENTS, TRAINING, PEOPLE),
        template="portal/includes/_public_home_body.html",
        key=(),
        keep=("until",),
        expires="until",
        why="what the network achieved per city, its public events and cohorts",
    ),
)
PARTS = {part.name: part for part in ALL_PARTS}

# name -> the function that makes its template's context, set by @renders.
_RENDERERS: dict[str, Callable[..., dict | None]] = {}


def renders(name: str):
    """Make the decorated function the render function of the part ``name``.

    Its keyword arguments must be the part's key fields exactly (and, if it
    needs them, ``tokens``: the part's token values, the same for everyone).
    """
    part = PARTS[name]

    def register(function):
        params = set(inspect.signature(function).parameters) - {"tokens"}
        if params != set(part.key):
            raise TypeError(
                f"{function.__qualname__} takes {sorted(params)}, but part "
                f"{name!r} is keyed by {sorted(part.key)}"
            )
        _RENDERERS[name] = function
        return function

    return register


def render(request, name: str, *, known=None, fill=None, **key) -> SafeString | None:
    """The part's HTML for this key, with this reader's CSRF token in its forms
    and their values in its holes."""
    found = PARTS[name].get(request, known=known, fill=fill, **key)
    return None if found is None else found.html


def get(request, name: str, *, known=None, fill=None, **key) -> Rendered | None:
    """The part's pieces and kept values (see ``Part.get``)."""
    return PARTS[name].get(request, known=known, fill=fill, **key)


def tokens(*names: str) -> dict[str, int]:
    """{name: token} of the named data, in one query: a page that needs several
    tokens (for parts and for its other cached data) reads them once."""
    return dict(zip(names, versions.tokens(*names), strict=True))
