import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from network.models import Member
from tests.factories import organisation
from tests.people.factories import make_profile

pytestmark = pytest.mark.django_db


def test_profile_shows_role_council_city_bio_and_expertise(member_client):
    aileen = make_profile(
        full_name="Aileen Murray",
        job_title="Low-carbon heat project manager",
        organisation=organisation("Dundee City Council"),
        bio="I led the **Dundee heat network** feasibility study.",
        expertise=["Heat networks"],
    )
    response = member_client.get(aileen.get_absolute_url())
    assertContains(
        response, '<h1 class="ds_page-header__title">Aileen Murray</h1>', html=True
    )
    assertContains(response, "Low-carbon heat project manager")
    assertContains(response, "Council officer")
    assertContains(response, reverse("portal:council", args=["dundee-city-council"]))
    assertContains(response, "Dundee")
    assertContains(response, "<strong>Dundee heat network</strong>", html=True)
    assertContains(response, "Heat networks")


def test_profile_url_is_the_member_absolute_url(member):
    assert member.get_absolute_url() == reverse("portal:profile", args=[member.pk])


def test_hidden_email_never_in_profile(member_client):
    hidden = make_profile(email="harriet.hidden@glasgow.gov.uk")
    response = member_client.get(hidden.get_absolute_url())
    assert response.status_code == 200
    assertNotContains(response, "harriet.hidden")


def test_shown_email_in_profile(member_client):
    shown = make_profile(email="sam.shown@glasgow.gov.uk", show_email=True)
    response = member_client.get(shown.get_absolute_url())
    assertContains(response, 'href="mailto:sam.shown@glasgow.gov.uk"')


@pytest.mark.parametrize(
    "state",
    [Member.Approval.PENDING, Member.Approval.REJECTED, Member.Approval.SUSPENDED],
)
def test_unapproved_members_have_no_profile(member_client, state):
    person = make_profile(state=state)
    assert member_client.get(person.get_absolute_url()).status_code == 404


def test_member_edits_own_profile_and_email_choice(member, member_client):
    url = reverse("network:profile_edit")
    response = member_client.post(
        url,
        {
            "full_name": "Olivia Officer",
            "job_title": "Heat lead",
            "bio": "Heat networks in Glasgow.",
            "expertise": "heat networks, retrofit",
            "show_email": "on",
        },
    )
    assert response["Location"] == member.get_absolute_url()
    member.refresh_from_db()
    assert member.job_title == "Heat lead"
    assert member.show_email
    assert sorted(t.name for t in member.expertise.all()) == [
        "heat networks",
        "retrofit",
    ]


def test_email_hidden_by_default_and_edit_keeps_input_on_error(member_client):
    assert Member._meta.get_field("show_email").default is False
    response = member_client.post(
        reverse("network:profile_edit"),
        {"full_name": "", "job_title": "Typed title", "bio": "Kept bio"},
    )
    assert response.status_code == 200
    assertContains(response, "Typed title")
    assertContains(response, "Kept bio")
    assertContains(response, "There is a problem")


def test_an_over_long_expertise_tag_is_a_field_error_that_keeps_the_profile(
    member_client,
):
    response = member_client.post(
        reverse("network:profile_edit"),
        {"full_name": "Aileen Murray", "bio": "Kept bio", "expertise": "x" * 150},
    )
    assert response.status_code == 200
    assertContains(response, "Kept bio")


def test_edit_cannot_change_organisation_or_approval(member, member_client):
    before = member.organisation_id
    member_client.post(
        reverse("network:profile_edit"),
        {
            "full_name": "Olivia Officer",
            "organisation": organisation("Fife Council").pk,
            "approval_state": "approved",
            "member_type": "elected",
        },
    )
    member.refresh_from_db()
    assert member.organisation_id == before
    assert member.member_type == Member.MemberType.OFFICER


def test_profile_shows_edit_link_only_to_self(member, member_client, other_member):
    assertContains(
        member_client.get(member.get_absolute_url()), reverse("network:profile_edit")
    )
    assertNotContains(
        member_client.get(other_member.get_absolute_url()),
        reverse("network:profile_edit"),
    )
