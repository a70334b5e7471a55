"""The pages that gather from several apps (a member's profile, "ask the officer
who did it", a council's page) are portal's, at the addresses members bookmarked."""

import pytest
from django.urls import resolve, reverse
from pytest_django.asserts import assertContains

from tests.factories import organisation
from tests.forums.factories import make_thread
from tests.people.factories import make_profile

pytestmark = pytest.mark.django_db


def test_bookmarked_people_pages_keep_their_addresses(member_client):
    aileen = make_profile(
        full_name="Aileen Murray", organisation=organisation("Dundee City Council")
    )
    pages = [
        (f"/network/people/{aileen.pk}/", "portal:profile", [aileen.pk], "Aileen"),
        ("/network/people/ask/", "portal:topic", [], "Ask the officer who did it"),
        (
            "/network/people/ask/low-carbon-heat/",
            "portal:topic",
            ["low-carbon-heat"],
            "Low-carbon heat",
        ),
        (
            "/network/councils/dundee-city-council/",
            "portal:council",
            ["dundee-city-council"],
            "Dundee City Council",
        ),
    ]
    for path, name, args, words in pages:
        assert reverse(name, args=args) == path
        assert resolve(path).view_name == name
        assertContains(member_client.get(path), words)
    assert aileen.get_absolute_url() == f"/network/people/{aileen.pk}/"


def test_a_mention_links_to_the_members_profile():
    aileen = make_profile(full_name="Aileen Murray")
    thread = make_thread(author=make_profile(), body="Ask @aileen.murray about heat")
    html = thread.posts.get().body_html
    assert f'href="/network/people/{aileen.pk}/"' in html
