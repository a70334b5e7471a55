"""Shared renderings under data version tokens (kit/versions.py)."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from kit import versions

pytestmark = pytest.mark.django_db

FORM = Template('<form method="post">{% csrf_token %}<button>Go</button></form>')


def render_form():
    render_form.calls += 1
    return FORM.render(Context({"csrf_token": versions.CSRF_PLACEHOLDER}))


def test_a_change_gives_new_tokens_and_only_to_the_named_data():
    before = versions.tokens(versions.FORUMS, versions.EVENTS)
    versions.changed(versions.FORUMS)
    after = versions.tokens(versions.FORUMS, versions.EVENTS)
    assert after[0] != before[0]
    assert after[1] == before[1]


def test_cached_html_renders_once_per_version_and_key():
    render_form.calls = 0
    request = RequestFactory().get("/")
    tokens = versions.tokens(versions.FORUMS)
    versions.cached_html(request, "t", tokens, render_form, page=1)
    versions.cached_html(request, "t", tokens, render_form, page=1)
    assert render_form.calls == 1
    versions.cached_html(request, "t", tokens, render_form, page=2)
    assert render_form.calls == 2
    versions.changed(versions.FORUMS)
    versions.cached_html(request, "t", versions.tokens(versions.FORUMS), render_form)
    assert render_form.calls == 3


def test_each_reader_gets_their_own_csrf_token_in_a_cached_form():
    render_form.calls = 0
    tokens = versions.tokens(versions.EVENTS)
    first, second = RequestFactory().get("/"), RequestFactory().get("/")
    html_1 = versions.cached_html(first, "form", tokens, render_form)
    html_2 = versions.cached_html(second, "form", tokens, render_form)
    assert render_form.calls == 1
    assert versions.CSRF_PLACEHOLDER not in html_1 + html_2
    assert first.META["CSRF_COOKIE"] != second.META["CSRF_COOKIE"]
    assert html_1 != html_2


def test_a_value_that_expires_by_the_clock_is_made_again(monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    made = []

    def compute():
        made.append(1)
        return {"until": now + timedelta(minutes=5)}

    def get():
        return versions.cached("clock", (1,), compute, expires=lambda v: v["until"])

    get()
    get()
    assert len(made) == 1
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(minutes=6))
    get()
    assert len(made) == 2


def test_changes_batched_changes_each_token_once_on_leaving():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kit import versions

    before = versions.tokens(versions.FORUMS, versions.EVENTS, versions.TRAINING)
    with CaptureQueriesContext(connection) as captured, versions.changes_batched():
        for _ in range(50):
            versions.changed(versions.FORUMS)
        versions.changed(versions.EVENTS)
        assert (
            versions.tokens(versions.FORUMS, versions.EVENTS, versions.TRAINING)
            == before
        )
    writes = [q for q in captured if "INSERT" in q["sql"]]
    assert len(writes) == 1
    forums, events, training = versions.tokens(
        versions.FORUMS, versions.EVENTS, versions.TRAINING
    )
    assert forums != before[0] and events != before[1]
    assert training == before[2]
