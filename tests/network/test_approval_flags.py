"""Officers and partners must have an organisation; a sign-up at a personal or
mismatched email domain is approved only once an admin confirms why it was flagged
(network.services.check_approval, in approve_member and Django admin)."""

import pytest
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from network.models import Member
from network.services import (
    ApprovalNeedsConfirmation,
    ApprovalRefused,
    approve_member,
    check_approval,
)
from tests.factories import make_member, organisation

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:network_member_changelist"


def _waiting(email, org="Dundee City Council", **fields):
    fields.setdefault("full_name", "Sam Waiting")
    return make_member(
        approved=False,
        email=email,
        organisation=organisation(org) if org else None,
        **fields,
    )


@pytest.mark.parametrize(
    "email",
    [
        "sam@gmail.com",
        "sam@hotmail.co.uk",
        "sam@outlook.com",
        "sam@yahoo.co.uk",
        "sam@icloud.com",
        "sam@btinternet.com",
    ],
)
def test_a_personal_address_is_flagged_saying_so(email):
    check = check_approval(
        email=email,
        organisation=organisation("Dundee City Council"),
        member_type="officer",
    )
    domain = email.partition("@")[2]
    assert check.warnings == [
        f"{email} is a personal email address ({domain}), not a work one: check "
        "that they work for Dundee City Council before approving."
    ]


def test_a_work_address_of_its_organisation_is_not_flagged():
    check = check_approval(
        email="sam@dundeecity.gov.uk",
        organisation=organisation("Dundee City Council"),
        member_type="officer",
    )
    assert not check.flagged


def test_another_councils_domain_is_flagged_naming_both():
    check = check_approval(
        email="sam@glasgow.gov.uk",
        organisation=organisation("Dundee City Council"),
        member_type="officer",
    )
    assert check.warnings == [
        "glasgow.gov.uk is Glasgow City Council's email domain, but they chose "
        "Dundee City Council (whose domains are dundeecity.gov.uk)."
    ]


def test_officers_and_partners_without_an_organisation_cannot_be_approved(jobs):
    admin = make_member()
    for member_type in ("officer", "partner"):
        member = _waiting(
            f"{member_type}@dundeecity.gov.uk", org=None, member_type=member_type
        )
        with pytest.raises(ApprovalRefused, match="must belong to an organisation"):
            approve_member(member, decided_by=admin, confirmed=True)
        member.refresh_from_db()
        assert member.approval_state == Member.Approval.PENDING
    jobs.run()
    assert not mail.outbox


def test_a_flagged_sign_up_needs_confirmation_then_approves(jobs):
    admin = make_member()
    member = _waiting("sam@gmail.com")
    with pytest.raises(ApprovalNeedsConfirmation, match="personal email address"):
        approve_member(member, decided_by=admin)
    member.refresh_from_db()
    assert member.approval_state == Member.Approval.PENDING

    with jobs:
        assert approve_member(member, decided_by=admin, confirmed=True)
    member.refresh_from_db()
    assert member.is_approved
    assert mail.outbox[-1].to == ["sam@gmail.com"]


def test_sign_up_with_a_personal_address_is_flagged(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "sam@hotmail.co.uk",
            "password1": "a-long-test-password-1",
            "password2": "a-long-test-password-1",
            "full_name": "Sam Hotmail",
            "organisation": organisation("Dundee City Council").pk,
            "member_type": "officer",
        },
    )
    assert Member.objects.get(email="sam@hotmail.co.uk").needs_review


# Django admin ------------------------------------------------------------------


def test_admin_action_shows_why_a_sign_up_was_flagged_before_approving(
    admin_client, jobs
):
    flagged = _waiting("sam@gmail.com", full_name="Sam Gmail")
    clear = _waiting("kim@dundeecity.gov.uk", full_name="Kim Clear")
    action = {"action": "approve_selected", "_selected_action": [flagged.pk, clear.pk]}

    page = admin_client.post(reverse(CHANGELIST), action)

    assert page.status_code == 200
    assertContains(page, "Sam Gmail")
    assertContains(page, "flagged because")
    assertContains(page, "sam@gmail.com is a personal email address (gmail.com)")
    assertContains(page, "Kim Clear")  # listed as not flagged
    states = dict(Member.objects.values_list("email", "approval_state"))
    assert states["sam@gmail.com"] == states["kim@dundeecity.gov.uk"] == "pending"

    with jobs:
        admin_client.post(
            reverse(CHANGELIST), {**action, "post": "yes", "confirmed": [flagged.pk]}
        )
    states = dict(Member.objects.values_list("email", "approval_state"))
    assert states["sam@gmail.com"] == states["kim@dundeecity.gov.uk"] == "approved"
    assert sorted(m.to[0] for m in mail.outbox) == [
        "kim@dundeecity.gov.uk",
        "sam@gmail.com",
    ]


def test_admin_action_approves_an_unflagged_sign_up_directly(admin_client, jobs):
    clear = _waiting("kim@dundeecity.gov.uk")
    with jobs:
        response = admin_client.post(
            reverse(CHANGELIST),
            {"action": "approve_selected", "_selected_action": [clear.pk]},
            follow=True,
        )
    assertNotContains(response, "flagged because")
    assertContains(response, "1 member(s) approved.")
    clear.refresh_from_db()
    assert clear.is_approved
    assert [m.to for m in mail.outbox] == [["kim@dundeecity.gov.uk"]]


def test_admin_action_says_why_an_officer_without_organisation_is_not_approved(
    admin_client,
):
    member = _waiting("kim@dundeecity.gov.uk", org=None, full_name="Kim Nowhere")
    response = admin_client.post(
        reverse(CHANGELIST),
        {"action": "approve_selected", "_selected_action": [member.pk]},
        follow=True,
    )
    assertContains(response, "Kim Nowhere was not approved")
    assertContains(response, "must belong to an organisation")
    member.refresh_from_db()
    assert member.approval_state == Member.Approval.PENDING


def _change_form_data(member, **changes):
    data = {
        "email": member.email,
        "full_name": member.full_name,
        "job_title": member.job_title,
        "organisation": member.organisation_id or "",
        "member_type": member.member_type,
        "bio": "",
        "expertise": "",
        "approval_state": member.approval_state,
        "decision_note": "",
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
    }
    data.update(changes)
    return data


def test_admin_change_form_asks_for_confirmation_of_a_flagged_sign_up(
    admin_client, jobs
):
    member = _waiting("sam@gmail.com")
    url = reverse("admin:network_member_change", args=[member.pk])
    assertContains(admin_client.get(url), "personal email address")

    response = admin_client.post(
        url, _change_form_data(member, approval_state="approved")
    )
    assert response.status_code == 200
    assertContains(response, "This sign-up was flagged: sam@gmail.com is a personal")
    member.refresh_from_db()
    assert member.approval_state == Member.Approval.PENDING

    with jobs:
        response = admin_client.post(
            url,
            _change_form_data(member, approval_state="approved", confirm_warnings="on"),
        )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.is_approved
    assert mail.outbox[-1].to == ["sam@gmail.com"]
