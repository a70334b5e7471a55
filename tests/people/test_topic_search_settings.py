import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from network.models import Member, Theme
from network.people.queries import search_members
from tests.factories import make_member, organisation
from tests.people.factories import make_profile

pytestmark = pytest.mark.django_db


def test_topic_index_lists_themes(member_client):
    response = member_client.get(reverse("portal:topic"))
    assertContains(
        response,
        '<h1 class="ds_page-header__title">Ask the officer who did it</h1>',
        html=True,
    )
    assertContains(response, reverse("portal:topic", args=["low-carbon-heat"]))


def test_topic_by_theme_lists_members_with_that_expertise(member_client):
    make_profile(full_name="Hettie Heat", expertise=["Low-carbon heat"])
    make_profile(
        full_name="Penny Pending", expertise=["Low-carbon heat"], approved=False
    )
    make_profile(full_name="Tam Transport", expertise=["Transport"])
    response = member_client.get(reverse("portal:topic", args=["low-carbon-heat"]))
    assertContains(response, "Hettie Heat")
    assertNotContains(response, "Penny Pending")
    assertNotContains(response, "Tam Transport")


def test_topic_by_tag(member_client):
    make_profile(full_name="Hettie Heat", expertise=["heat pumps"])
    response = member_client.get(reverse("portal:topic"), {"tag": "Heat pumps"})
    assertContains(response, "Heat pumps</h1>")
    assertContains(response, "Hettie Heat")


def test_unknown_theme_is_404(member_client):
    assert member_client.get(reverse("portal:topic", args=["nope"])).status_code == 404


def test_search_members_ranks_name_over_bio():
    viewer = make_member()
    by_bio = make_profile(full_name="Bea Bio", bio="I once met someone called Gordon.")
    by_name = make_profile(full_name="Fiona Gordon")
    assert list(search_members("Gordon", viewer=viewer)) == [by_name, by_bio]


def test_search_members_by_title_expertise_council_and_city():
    viewer = make_member()
    aileen = make_profile(
        full_name="Aileen Murray",
        job_title="Project manager",
        organisation=organisation("Dundee City Council"),
        expertise=["heat networks"],
    )
    for query in ["project manager", "heat networks", "Dundee", "managers"]:
        assert list(search_members(query, viewer=viewer)) == [aileen], query


def test_search_members_finds_only_approved_and_only_for_approved():
    viewer = make_member()
    for state in [
        Member.Approval.PENDING,
        Member.Approval.REJECTED,
        Member.Approval.SUSPENDED,
    ]:
        make_profile(full_name=f"Zebedee {state}", state=state)
    approved = make_profile(full_name="Zebedee Approved")
    assert list(search_members("Zebedee", viewer=viewer)) == [approved]
    pending = make_member(approved=False)
    assert list(search_members("Zebedee", viewer=pending)) == []
    assert list(search_members("", viewer=viewer)) == []
    # websearch syntax never raises on odd input
    assert list(search_members('"unclosed -( &', viewer=viewer)) == []


def test_settings_hub_links_account_profile(member_client):
    response = member_client.get(reverse("network:settings"))
    assertContains(response, "<h1>Settings</h1>", html=True)
    assertContains(response, reverse("account_email"))
    assertContains(response, reverse("account_change_password"))
    assertContains(response, reverse("network:profile_edit"))
    assertContains(response, "hidden from")


def test_theme_fixture_loaded():
    assert Theme.objects.filter(slug="low-carbon-heat").exists()


def test_settings_hub_links_the_notification_choices(member_client):
    url = reverse("network:notification_settings")
    assertContains(member_client.get(reverse("network:settings")), url)


def test_search_members_uses_the_stored_vector_and_keeps_it_current():
    viewer = make_member()
    member = make_profile(full_name="Isla Grant", job_title="Energy officer")
    member.refresh_from_db()
    assert "grant" in member.search_vector
    member.bio = "I run the district heating scheme."
    member.save()
    found = list(search_members("district heating", viewer=viewer))
    assert found == [member]
    assert list(Member.objects.filter(search_vector="heating")) == [member]
