"""Data version tokens and values cached under them (kit/versions.py); the
rendered parts are checked in test_parts.py."""

import pytest

from kit import versions

pytestmark = pytest.mark.django_db


def test_a_change_gives_new_tokens_and_only_to_the_named_data():
    before = versions.tokens(versions.FORUMS, versions.EVENTS)
    versions.changed(versions.FORUMS)
    after = versions.tokens(versions.FORUMS, versions.EVENTS)
    assert after[0] != before[0]
    assert after[1] == before[1]


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
