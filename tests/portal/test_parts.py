"""Every cached page part (kit/parts.py), checked the same way.

For each declared part: its render function takes exactly its key fields; its
template reads nothing but what that function returns and its holes (so nothing of
the request or the reader can reach it); two different keys never share a copy; a
new token of any of its data makes a new key; a form in it gets each reader's own
CSRF token, and its holes each reader's own values. The pages' own tests check
that a change shows at once.
"""

import inspect
import re
from datetime import date

import pytest
from django.middleware.csrf import _does_token_match
from django.template import loader
from django.template.base import FilterExpression, Node, NodeList, Variable
from django.template.loader_tags import ExtendsNode, IncludeNode
from django.test import RequestFactory
from django.urls import get_resolver
from django.utils import timezone

from kit import parts, versions
from tests.casestudies.factories import make_case_study
from tests.events.factories import make_event, make_registration, make_session
from tests.factories import make_member, make_theme, organisation
from tests.forums.factories import make_reply, make_thread

# Names Django's template language gives every template (and the placeholder).
GIVEN = {"forloop", "block", "csrf_token", "True", "False", "None"}
# What a reader's request would bring into a template through context processors.
READERS_OWN = {"request", "user", "perms", "messages", "member_nav"}


def setup_module():
    # Importing every view module registers every part's render function.
    get_resolver().url_patterns  # noqa: B018


# --- What a template reads -------------------------------------------------------


def template_reads(name: str) -> set[str]:
    """The first names of the variables a template reads (through its includes
    and parents) that it does not bind itself (loops, ``with``, ``as``)."""
    read, bound = set(), set()
    _walk(loader.get_template(name).template.nodelist, read, bound)
    return read - bound - GIVEN


def _walk(nodes, read: set, bound: set) -> None:
    for node in nodes:
        _read_node(node, read, bound)


def _read_node(node: Node, read: set, bound: set) -> None:
    for attr, value in vars(node).items():
        # ``as`` names: {% url ... as x %}, {% for %}, {% get_current_language as x %}
        bound_as = ("asvar", "target_var", "var_name", "variable")
        if attr in bound_as and isinstance(value, str):
            bound.add(value)
        elif attr == "loopvars":
            bound.update(value)
        elif attr == "extra_context" and isinstance(value, dict):
            if not isinstance(node, IncludeNode):  # {% with %} binds its names
                bound.update(value)
            _read_value(list(value.values()), read)
        elif isinstance(value, NodeList):
            _walk(value, read, bound)
        elif attr == "conditions_nodelists":
            for condition, nodelist in value:
                _read_condition(condition, read)
                _walk(nodelist, read, bound)
        elif not isinstance(value, Node):
            _read_value(value, read)
    if isinstance(node, IncludeNode | ExtendsNode):
        _follow(node, read, bound)


def _follow(node, read: set, bound: set) -> None:
    expression = node.template if isinstance(node, IncludeNode) else node.parent_name
    name = expression.var if isinstance(expression, FilterExpression) else None
    if not isinstance(name, str):
        return
    if getattr(node, "isolated_context", False):
        return  # ``only``: the include sees what its ``with`` gives, nothing else
    inner_read, inner_bound = set(), set(bound)
    _walk(loader.get_template(name).template.nodelist, inner_read, inner_bound)
    read.update(inner_read - inner_bound)


def _read_condition(condition, read: set) -> None:
    if condition is None:
        return
    for attr in ("first", "second", "value"):
        part = getattr(condition, attr, None)
        if isinstance(part, FilterExpression):
            _read_value(part, read)
        elif part is not None:
            _read_condition(part, read)


def _read_value(value, read: set) -> None:
    if isinstance(value, FilterExpression):
        _read_value(value.var, read)
        for _filter, args in value.filters:
            for _is_lookup, arg in args:
                _read_value(arg, read)
    elif isinstance(value, Variable):
        if value.lookups:
            read.add(value.lookups[0])
    elif isinstance(value, list | tuple):
        for item in value:
            _read_value(item, read)
    elif isinstance(value, dict):
        _read_value(list(value.values()), read)


# --- An example key for every part, on a little data -----------------------------


@pytest.fixture
def examples(db):
    member = make_member(organisation=organisation("Glasgow City Council"))
    member.expertise.add("heat networks")
    theme = make_theme()
    case_study = make_case_study(authors=[member], themes=[theme], tags=["heat"])
    thread = make_thread(author=member)
    make_reply(thread, author=member)
    event = make_event(themes=[theme])
    make_session(event, speakers=[member])
    make_registration(event, member)
    month = timezone.localdate(event.starts_at).replace(day=1)
    return {
        "site-header": {
            "audience": "staff",
            "current": ["forums"],
            "notifications_badge": True,
            "messages_badge": True,
        },
        "site-footer": {},
        "casestudy-list": {"query": "q=heat&page=1"},
        "casestudy-detail": {"case_study_id": case_study.pk},
        "casestudy-impact": {},
        # The factory's case study starts in April 2021, with no end date.
        "casestudy-pbccd": {"council_id": case_study.organisation_id, "year": 2021},
        "forum-list": {"moderator": True, "minute": "2026-12-04 01:30"},
        "thread-head": {"thread_id": thread.pk},
        "thread-posts": {
            "thread_id": thread.pk,
            "page": 1,
            "moderator": True,
            "may_mark_answers": True,
            "new_after": 1,
            "viewer_id": member.pk,
        },
        "events-list-page": {
            "events": [event.pk],
            "page": 1,
            "pages": 2,
            "statuses": [(event.pk, "confirmed")],
        },
        "events-calendar": {
            "month": month.isoformat(),
            "manager": True,
            "today": date.today().isoformat(),
        },
        "event-head": {"event_id": event.pk, "manager": True, "past": False},
        "event-agenda": {"event_id": event.pk, "manager": True},
        "event-registration-form": {},
        "people-directory": {"query": "q=member", "page": "1"},
        "people-directory-form": {
            "q": "member",
            "city": "",
            "organisation": str(member.organisation_id),
            "member_type": "",
            "tag": "",
        },
        "people-profile": {"member_id": member.pk, "moderator": True},
        "people-topic": {"theme_id": theme.pk, "driver_id": None, "tag": ""},
        "people-council": {"slug": member.organisation.slug, "page": "1"},
        "training-progress": {},
        "home-body": {
            "member_id": member.pk,
            "reading": member.reading_token,
            "elected": False,
        },
        "home-case-studies": {"city_id": None, "interests": ["heat networks"]},
        "home-glance": {},
        "home-public": {},
        "search-case-studies": {"q": "heat", "reviewer": False, "author_id": None},
        "search-case-studies-page": {
            "q": "heat",
            "page": "1",
            "reviewer": False,
            "author_id": member.pk,
        },
        "search-posts": {"q": "member", "moderator": False},
        "search-posts-page": {"q": "member", "page": "1", "moderator": True},
        "search-events": {"q": "event", "manager": False},
        "search-events-page": {"q": "event", "page": "1", "manager": True},
        "search-members": {"q": "member"},
        "search-members-page": {"q": "member", "page": "1"},
    }


def _tokens(part) -> dict:
    return dict(zip(part.tokens, versions.tokens(*part.tokens), strict=True))


def _fill(part, value="") -> dict:
    return dict.fromkeys(part.holes, value)


# --- The checks -------------------------------------------------------------------


def test_every_part_is_declared_once_with_a_render_function_of_its_key():
    assert len(parts.PARTS) == len(parts.ALL_PARTS)
    for part in parts.ALL_PARTS:
        function = parts._RENDERERS.get(part.name)
        assert function, f"no @parts.renders({part.name!r})"
        params = inspect.signature(function).parameters
        assert set(params) - {"tokens"} == set(part.key), part.name
        assert all(p.kind == p.KEYWORD_ONLY for p in params.values()), part.name
        assert not set(params) & {"request", "user", "member", "viewer"}
        assert set(part.tokens) <= set(versions.ALL), part.name
        assert set(part.keep) <= {
            "author_ids",
            "title",
            "until",
            "count",
            "capped",
            "council_id",
        }, part.name


def test_every_part_has_an_example_here(examples):
    assert set(examples) == set(parts.PARTS)


def test_key_fields_cover_what_each_template_reads(examples):
    for name, key in examples.items():
        part = parts.PARTS[name]
        context = part.context(_tokens(part), key)
        assert context is not None, name
        assert not set(part.holes) & set(context), name
        for template in part.templates:
            reads = template_reads(template)
            assert not reads & READERS_OWN, (name, reads & READERS_OWN)
            given = set(context) | set(part.holes)
            assert reads <= given, (name, template, reads - given)
        assert set(part.keep) <= set(context), name


def test_the_template_reader_sees_the_reader_if_a_template_asks():
    # The check above could not fail if template_reads missed variables.
    reads = template_reads("includes/_pagination.html")
    assert {"page", "query"} <= reads
    assert {"form", "page", "query"} <= template_reads(
        "casestudies/includes/_list_body.html"
    )
    assert "request" in template_reads("base.html")


def test_two_readers_with_different_keys_never_share_a_copy(examples):
    for name, key in examples.items():
        part = parts.PARTS[name]
        tokens = list(_tokens(part).values())
        made = {part.cache_key(tokens, key)}
        for field, value in key.items():
            other = {**key, field: _other(value)}
            made.add(part.cache_key(tokens, other))
        assert len(made) == len(key) + 1, name
        assert all(made_key.startswith(f"part:{name}:") for made_key in made)


def _other(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, list):
        return [*value, 1]
    return f"{value}x" if value else "x"


def test_a_new_token_of_any_of_its_data_makes_a_new_key(examples):
    for name, key in examples.items():
        part = parts.PARTS[name]
        tokens = list(_tokens(part).values())
        before = part.cache_key(tokens, key)
        for i in range(len(tokens)):
            changed = [*tokens[:i], tokens[i] + 1, *tokens[i + 1 :]]
            assert part.cache_key(changed, key) != before, (name, part.tokens[i])


def test_a_part_is_rendered_once_per_key_and_token(examples):
    calls = []
    function = parts._RENDERERS["thread-head"]

    def counted(*, thread_id, tokens):
        calls.append(thread_id)
        return function(thread_id=thread_id, tokens=tokens)

    key = examples["thread-head"]
    request = RequestFactory().get("/")
    parts._RENDERERS["thread-head"] = counted
    try:
        first = parts.render(request, "thread-head", **key)
        assert parts.render(request, "thread-head", **key) == first
        assert len(calls) == 1
        versions.changed(versions.PEOPLE)
        parts.render(request, "thread-head", **key)
        assert len(calls) == 2
    finally:
        parts._RENDERERS["thread-head"] = function


def test_only_the_key_and_only_plain_values_reach_a_render_function(examples):
    key = examples["thread-head"]
    request = RequestFactory().get("/")
    with pytest.raises(TypeError):
        parts.render(request, "thread-head", **key, viewer_id=1)
    with pytest.raises(TypeError):
        parts.render(request, "thread-head")
    with pytest.raises(TypeError):
        parts.render(request, "thread-head", thread_id=make_member())
    with pytest.raises(TypeError):

        @parts.renders("thread-head")
        def reads_the_member(*, thread_id, member):
            return {}


def test_a_form_in_any_part_gets_each_readers_own_token(examples):
    field = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    with_forms = set()
    for name, key in examples.items():
        readers = [RequestFactory().get("/") for _ in range(3)]
        fill = _fill(parts.PARTS[name])
        pages = [parts.render(reader, name, fill=fill, **key) for reader in readers]
        assert not any(parts.CSRF_PLACEHOLDER in html for html in pages), name
        for reader, html in zip(readers, pages, strict=True):
            # Each token is one Django's CSRF check takes from this reader only.
            for token in field.findall(html):
                with_forms.add(name)
                for other in readers:
                    secret = other.META["CSRF_COOKIE"]
                    assert _does_token_match(token, secret) == (other is reader)
    assert {"thread-posts", "event-agenda", "site-header"} <= with_forms


def test_each_reader_gets_their_own_values_in_the_holes_escaped(examples):
    holed = [part for part in parts.ALL_PARTS if part.holes]
    assert {"site-header", "site-footer"} <= {part.name for part in holed}
    for part in holed:
        key = examples[part.name]
        # No request: the CSRF placeholder stays, so the two copies compare.
        first = parts.render(None, part.name, fill=_fill(part, '<b>"1"'), **key)
        second = parts.render(None, part.name, fill=_fill(part, 2), **key)
        # One cached copy, each reader's values in it, escaped as {{ }} would.
        assert "&lt;b&gt;&quot;1&quot;" in first and "<b>" not in first, part.name
        assert "&lt;b&gt;" not in second, part.name
        assert first.replace("&lt;b&gt;&quot;1&quot;", "2") == second, part.name
    with pytest.raises(TypeError):
        parts.render(None, "site-footer")
    with pytest.raises(TypeError):
        parts.render(None, "site-footer", fill={"next_path": "/", "q": "x"})


def test_a_part_inside_another_leaves_the_placeholder_to_the_outer_one(examples):
    inner = parts.render(None, "thread-posts", **examples["thread-posts"])
    field = 'name="csrfmiddlewaretoken" value="'
    assert f"{field}{parts.CSRF_PLACEHOLDER}" in inner
