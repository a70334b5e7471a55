"""Every address of the portal, Django admin's included, is in the walker's list
(portal/benchmark/addresses.py), answers without a server error as the role that
may open it, and runs at most 15 queries with cold caches, the same count with
little data and with more: a new page cannot be left out of the profile."""

import pytest
from django.contrib import admin

from portal.benchmark.addresses import (
    ADDRESSES,
    Sample,
    every_address,
    url_pattern_names,
)
from portal.management.commands.profile_addresses import walk
from tests.factories import make_member, organisation
from tests.test_page_query_counts import MAX_QUERIES, add_data

pytestmark = pytest.mark.django_db

# Exports stream a chunk of rows per query: their count grows with the rows.
GROWS_WITH_ROWS = {"casestudies:csv"}


def test_every_url_pattern_has_an_address():
    missing = {
        name
        for name in url_pattern_names()
        if name not in ADDRESSES and not name.startswith("account_")
    }
    assert not missing
    assert not set(ADDRESSES) - url_pattern_names()  # no stale entries


def _counts(results):
    return {a.label: (status, cold_q) for a, status, _, cold_q, _, _ in results}


def test_every_address_answers_with_the_same_queries_as_data_grows():
    reader = make_member(
        organisation=organisation("Glasgow City Council"), full_name="Rhona Reader"
    )
    add_data(2, reader)
    few = _counts(walk(every_address(Sample()), Sample(), warm_repeats=1))

    admin_lists = {
        f"admin {m._meta.app_label}.{m._meta.model_name} list"
        for m in admin.site._registry
    }
    assert admin_lists <= set(few)
    errors = {label: s for label, (s, _) in few.items() if s >= 500}
    assert not errors
    too_many = {
        label: q
        for label, (_, q) in few.items()
        if q > MAX_QUERIES and label not in GROWS_WITH_ROWS
    }
    assert not too_many

    add_data(6, reader)
    many = _counts(walk(every_address(Sample()), Sample(), warm_repeats=1))
    grew = {
        label: (few[label], many[label])
        for label in few.keys() & many.keys()
        if few[label] != many[label] and label not in GROWS_WITH_ROWS
    }
    assert not grew
