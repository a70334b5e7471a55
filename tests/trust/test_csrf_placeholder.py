"""Cached HTML gets each reader's CSRF token only in the hidden field that
``{% csrf_token %}`` writes: the placeholder typed into a post stays as typed."""

import re

import pytest
from django.urls import reverse

from kit import parts
from tests.casestudies.factories import make_case_study
from tests.forums.factories import make_thread

pytestmark = pytest.mark.django_db

BAIT = f"[claim your prize](https://evil.example/?t={parts.CSRF_PLACEHOLDER})"
TOKEN = re.compile(r"[A-Za-z0-9]{64}")
FIELD = 'name="csrfmiddlewaretoken" value="'


def assert_tokens_only_in_form_fields(html: str) -> None:
    found = list(TOKEN.finditer(html))
    for match in found:
        before = html[max(0, match.start() - len(FIELD)) : match.start()]
        assert before == FIELD, f"a token outside a form field: …{before}…"
    assert f"https://evil.example/?t={parts.CSRF_PLACEHOLDER}" in html


def test_a_reply_with_the_placeholder_leaks_no_readers_token(
    member_client, member, other_client
):
    thread = make_thread(author=member)
    response = member_client.post(
        reverse("network:thread_reply", args=[thread.pk]), {"body": BAIT}
    )
    assert response.status_code == 302
    page = other_client.get(thread.get_absolute_url())
    html = page.content.decode()
    assert html.count(FIELD) >= 1  # the reply form still gets a real token
    assert_tokens_only_in_form_fields(html)
    # And the cached copy, served a second time, is no different.
    assert_tokens_only_in_form_fields(
        other_client.get(thread.get_absolute_url()).content.decode()
    )


def test_a_case_study_with_the_placeholder_leaks_no_readers_token(other_client):
    case_study = make_case_study(
        summary=f"See https://evil.example/?t={parts.CSRF_PLACEHOLDER}",
        body=f"Read the report: {BAIT}",
    )
    pages = [case_study.get_absolute_url(), reverse("casestudies:list")]
    for url in pages * 2:  # cold, then from the cache
        assert_tokens_only_in_form_fields(other_client.get(url).content.decode())


def test_the_cached_forms_token_is_still_the_readers_own(other_client, member):
    thread = make_thread(author=member)
    html = other_client.get(thread.get_absolute_url()).content.decode()
    assert f'{FIELD}{parts.CSRF_PLACEHOLDER}"' not in html
    assert TOKEN.search(html)
