"""The privacy notice is versioned: sign-up records the version the member saw,
and a material change asks signed-in members to read it again until they say
they have."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from network.models import Member
from tests.conftest import client_for
from tests.factories import make_member
from tests.network.test_membership import SIGNUP, sign_up

pytestmark = pytest.mark.django_db

BANNER = "Our privacy notice has changed"


def test_sign_up_shows_the_notice_and_records_its_version(client, settings):
    settings.PRIVACY_NOTICE_VERSION = "2027-01-15"
    page = client.get(reverse("account_signup"))
    assertContains(page, reverse("portal:privacy"))
    assertContains(page, "version 2027-01-15")
    response = sign_up(client)
    assert response.status_code == 302
    member = Member.objects.get(email=SIGNUP["email"])
    assert member.privacy_notice_version == "2027-01-15"


def test_members_who_read_this_version_see_no_banner(member_client):
    assertNotContains(member_client.get(reverse("portal:member_home")), BANNER)


def test_a_changed_notice_asks_signed_in_members_until_they_have_read_it(
    member, member_client, settings
):
    settings.PRIVACY_NOTICE_VERSION = "2027-06-01"
    home = reverse("portal:member_home")
    page = member_client.get(home)
    assertContains(page, BANNER)
    assertContains(page, "version 2027-06-01")
    assertContains(page, reverse("privacy:notice_read"))

    response = member_client.post(reverse("privacy:notice_read"), {"next": home})

    assert response.status_code == 302 and response.url == home
    member.refresh_from_db()
    assert member.privacy_notice_version == "2027-06-01"
    assertNotContains(member_client.get(home), BANNER)


def test_pending_members_are_asked_too(client, settings):
    pending = make_member(approved=False)
    settings.PRIVACY_NOTICE_VERSION = "2027-06-01"
    client = client_for(pending)
    assertContains(client.get(reverse("network:pending")), BANNER)
    client.post(reverse("privacy:notice_read"))
    pending.refresh_from_db()
    assert pending.privacy_notice_version == "2027-06-01"


def test_visitors_see_no_banner_and_cannot_acknowledge(client, settings):
    settings.PRIVACY_NOTICE_VERSION = "2027-06-01"
    assertNotContains(client.get(reverse("portal:privacy")), BANNER)
    response = client.post(reverse("privacy:notice_read"))
    assert response.status_code == 302 and "login" in response.url


def test_reading_is_a_post_and_never_goes_to_another_site(member_client, settings):
    settings.PRIVACY_NOTICE_VERSION = "2027-06-01"
    assert member_client.get(reverse("privacy:notice_read")).status_code == 405
    response = member_client.post(
        reverse("privacy:notice_read"), {"next": "https://evil.example/"}
    )
    assert response.url == reverse("portal:privacy")
