"""The directory's list is kept rendered: a change to anyone listed shows on the
very next request, and each filter and page has its own rendering."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from network.models import Member
from tests.factories import organisation
from tests.people.factories import make_profile

pytestmark = pytest.mark.django_db

URL = "network:directory"


def test_an_edited_job_title_shows_on_the_next_request(member_client):
    aileen = make_profile(full_name="Aileen Murray", job_title="Energy officer")
    assertContains(member_client.get(reverse(URL)), "Energy officer")
    aileen.job_title = "Heat network lead"
    aileen.save()
    response = member_client.get(reverse(URL))
    assertContains(response, "Heat network lead")
    assertNotContains(response, "Energy officer")


def test_a_suspended_member_leaves_the_list_and_the_count_at_once(member_client):
    sandy = make_profile(full_name="Sandy Sutherland")
    response = member_client.get(reverse(URL))
    assertContains(response, "Sandy Sutherland")
    assertContains(response, "2 members.")  # Sandy and the viewer
    sandy.approval_state = Member.Approval.SUSPENDED
    sandy.save()
    response = member_client.get(reverse(URL))
    assertNotContains(response, "Sandy Sutherland")
    assertContains(response, "1 member.")


def test_new_expertise_shows_on_the_card_and_in_the_filter(member_client):
    hettie = make_profile(full_name="Hettie Heat")
    assertNotContains(member_client.get(reverse(URL)), "Heat networks")
    assertNotContains(
        member_client.get(reverse(URL), {"tag": "heat networks"}), "Hettie Heat"
    )
    hettie.expertise.add("Heat networks")
    assertContains(member_client.get(reverse(URL)), "Heat networks")
    assertContains(
        member_client.get(reverse(URL), {"tag": "heat networks"}), "Hettie Heat"
    )


def test_a_renamed_council_shows_on_the_cards(member_client):
    council = organisation("Fife Council")
    make_profile(full_name="Ross Fife", organisation=council)
    assertContains(member_client.get(reverse(URL)), "Fife Council")
    council.name = "Fife Council (Kirkcaldy)"
    council.save()
    assertContains(member_client.get(reverse(URL)), "Fife Council (Kirkcaldy)")


def test_each_filter_and_page_has_its_own_list(member_client):
    dundee = organisation("Dundee City Council")
    make_profile(full_name="Aileen Dundee", organisation=dundee)
    make_profile(full_name="Ross Fife", organisation=organisation("Fife Council"))
    for n in range(25):
        make_profile(full_name=f"Zed Member {n:02}")
    assertContains(member_client.get(reverse(URL)), "Ross Fife")
    by_council = member_client.get(reverse(URL), {"organisation": dundee.pk})
    assertContains(by_council, "Aileen Dundee")
    assertNotContains(by_council, "Ross Fife")
    first = member_client.get(reverse(URL), {"q": "Zed"})
    second = member_client.get(reverse(URL), {"q": "Zed", "page": 2})
    assertContains(first, "Zed Member 00")
    assertNotContains(first, "Zed Member 24")
    assertContains(second, "Zed Member 24")
    assertNotContains(second, "Zed Member 00")


def test_each_reader_sees_their_own_words_in_the_filter_form(
    member_client, other_client
):
    make_profile(full_name="Zed Zimmerman")
    assertContains(member_client.get(reverse(URL), {"q": "zed"}), 'value="zed"')
    response = other_client.get(reverse(URL), {"q": "Zed", "junk": "x"})
    assertContains(response, 'value="Zed"')
    assertNotContains(response, 'value="zed"')
    assertContains(response, "Zed Zimmerman")
    # Page links carry the filters, never a stray parameter someone typed.
    for n in range(25):
        make_profile(full_name=f"Zed Member {n:02}")
    response = other_client.get(reverse(URL), {"q": "Zed", "junk": "x"})
    assertContains(response, "?q=Zed&amp;page=2")
    # (The footer's language switch returns to the page as it was asked for; that
    # is a form's hidden field, not a page link.)
    assert not re.search(r'href="[^"]*junk', response.content.decode())


def test_a_warm_list_runs_no_member_query(member_client, other_client):
    council = organisation("Glasgow City Council")
    for _ in range(5):
        make_profile(organisation=council, expertise=["Heat", "Retrofit"])
    with CaptureQueriesContext(connection) as cold:
        member_client.get(reverse(URL))
    with CaptureQueriesContext(connection) as warm:
        response = other_client.get(reverse(URL))
    assert len(warm) < len(cold)
    member_queries = [
        q for q in warm.captured_queries if 'FROM "network_member"' in q["sql"]
    ]
    assert len(member_queries) == 1  # the reader's own session user
    assertContains(response, "7 members.")


def test_the_filter_form_offers_a_renamed_council_at_once(member_client):
    council = organisation("Fife Council")
    assertContains(member_client.get(reverse(URL)), ">Fife Council</option>")
    council.name = "Fife Council (Glenrothes)"
    council.save()
    assertContains(
        member_client.get(reverse(URL)), ">Fife Council (Glenrothes)</option>"
    )


def test_a_bad_filter_keeps_what_was_typed_with_the_error(member_client, other_client):
    member_client.get(reverse(URL))
    response = other_client.get(reverse(URL), {"q": "x" * 101})
    assert response.status_code == 200
    assertContains(response, 'value="' + "x" * 101 + '"')
    assertContains(response, "There is a problem")
    assertNotContains(member_client.get(reverse(URL)), "There is a problem")
