"""The page around every page (portal/shell.py): one cached header per audience and
section and one footer per language, with each reader's own values in their holes.
tests/portal/test_parts.py checks the parts as it checks every part; these check
what readers see when several of them share a cached copy."""

import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from network.models import Member
from tests.conftest import client_for
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def header(response) -> str:
    page = response.content.decode()
    return page[page.index("<header") : page.index("</header>")]


def badges(response) -> list[str]:
    return re.findall(r'portal-count">(\d+)<', header(response))


def test_members_share_the_header_but_see_only_their_own_unread_counts():
    olivia = make_member()
    oscar = make_member()
    nadia = make_member()
    Member.objects.filter(pk=olivia.pk).update(
        unread_notifications=3, unread_messages=12
    )
    Member.objects.filter(pk=oscar.pk).update(unread_notifications=5, unread_messages=7)
    url = reverse("casestudies:list")
    # Both counts in both copies of the navigation (the bar and the mobile menu).
    assert badges(client_for(olivia).get(url)) == ["3", "12", "3", "12"]
    assert badges(client_for(oscar).get(url)) == ["5", "7", "5", "7"]
    assert badges(client_for(nadia).get(url)) == []
    Member.objects.filter(pk=olivia.pk).update(unread_notifications=0)
    assert badges(client_for(olivia).get(url)) == ["12", "12"]


def test_the_search_box_holds_each_readers_own_words_escaped(member_client):
    url = reverse("portal:search")
    first = member_client.get(url, {"q": 'heat "<b>pumps'})
    assert 'value="heat &quot;&lt;b&gt;pumps"' in header(first)
    second = member_client.get(url, {"q": "solar"})
    assert 'value="solar"' in header(second)
    assert "pumps" not in header(second)
    assert 'name="q" placeholder="Search the network" value=""' in header(
        member_client.get(reverse("casestudies:list"))
    )


def test_the_current_section_follows_the_page(member_client):
    member_client.get(reverse("casestudies:list"))
    forums = header(member_client.get(reverse("network:forum_list")))
    current = re.findall(r'ds_current" aria-current="true" href="([^"]+)"', forums)
    assert current == [reverse("network:forum_list")] * 2
    home = header(member_client.get(reverse("portal:member_home")))
    assert "ds_current" not in home


def test_each_audience_gets_its_own_header(client, pending_client, admin_client):
    about = reverse("portal:about")
    visitor = header(client.get(about))
    assert 'aria-current="page" href="/about/"' in visitor
    assert "Sign in" in visitor and "Sign out" not in visitor
    pending = header(pending_client.get(about))
    assert "Sign out" in pending and "Sign in" not in pending
    assert "Notifications" not in pending
    staff = header(admin_client.get(reverse("casestudies:list")))
    assert reverse("admin:index") in staff and "Notifications" in staff
    member = header(client_for(make_member()).get(reverse("casestudies:list")))
    assert reverse("admin:index") not in member


def test_the_sign_out_form_carries_each_readers_own_token(client):
    field = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    url = reverse("casestudies:list")
    first = client_for(make_member()).get(url)
    second = client_for(make_member()).get(url)
    tokens = field.findall(header(first)), field.findall(header(second))
    assert all(len(found) == 2 for found in tokens)
    assert not set(tokens[0]) & set(tokens[1])
    assertNotContains(first, "csrf-token-placeholder")


def test_the_language_switch_brings_each_reader_back_to_their_page(client):
    client.get(reverse("portal:about"))
    response = client.get(reverse("events:public_list"), {"page": "2"})
    assertContains(
        response, '<input type="hidden" name="next" value="/events/public/?page=2">'
    )
