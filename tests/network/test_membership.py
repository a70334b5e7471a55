import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from network.models import City, Member, Organisation, Theme
from network.roles import COORDINATORS
from network.services import approve_member, reject_member
from tests.conftest import client_for
from tests.factories import make_member, organisation

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "alex.macdonald@dundeecity.gov.uk",
    "password1": "a-long-test-password-1",
    "password2": "a-long-test-password-1",
    "full_name": "Alex MacDonald",
    "job_title": "Heat network officer",
    "organisation": "",
    "member_type": "officer",
}


def sign_up(client, **changes):
    return client.post(reverse("account_signup"), {**SIGNUP, **changes})


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", message.body)[1]


# --- Reference data ---------------------------------------------------------


def test_reference_data_is_loaded_by_migration():
    assert Organisation.objects.councils().count() == 32
    assert Organisation.objects.filter(kind="partner").count() == 4
    assert City.objects.count() == 8
    assert Theme.objects.count() == 9
    total_seats = sum(
        Organisation.objects.councils().values_list("councillors", flat=True)
    )
    assert total_seats == 1226
    assert Group.objects.filter(name=COORDINATORS).exists()


@pytest.mark.parametrize(
    ("city", "council"),
    [
        ("Inverness", "The Highland Council"),
        ("Perth", "Perth and Kinross Council"),
        ("Dunfermline", "Fife Council"),
        ("Glasgow", "Glasgow City Council"),
    ],
)
def test_a_city_is_a_place_inside_its_council(city, council):
    assert organisation(council).city.name == city


# --- Registration -----------------------------------------------------------


def test_signup_with_known_domain_matches_organisation(client):
    response = sign_up(client)
    assert response.status_code == 302
    member = Member.objects.get(email=SIGNUP["email"])
    assert member.organisation == organisation("Dundee City Council")
    assert member.approval_state == Member.Approval.PENDING
    assert member.full_name == "Alex MacDonald"
    assert member.job_title == "Heat network officer"
    assert not member.needs_review


def test_signup_with_unknown_domain_registers_but_is_flagged(client):
    sign_up(client, email="alex@gmail.example")
    member = Member.objects.get(email="alex@gmail.example")
    assert member.organisation is None
    assert member.needs_review


def test_signup_choosing_a_mismatched_organisation_is_flagged(client):
    glasgow = organisation("Glasgow City Council")
    sign_up(client, organisation=glasgow.pk)
    member = Member.objects.get(email=SIGNUP["email"])
    assert member.organisation == glasgow
    assert member.needs_review


def test_signup_form_error_names_field_and_keeps_input(client):
    response = sign_up(client, full_name="", password2="something-else-entirely")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<title>Error: " in content
    assert "There is a problem" in content
    assert 'href="#id_full_name"' in content  # the summary links to the field
    assert 'id="id_full_name_error"' in content  # which shows its own message
    assert 'value="alex.macdonald@dundeecity.gov.uk"' in content
    assert 'value="Heat network officer"' in content
    assert not Member.objects.filter(email=SIGNUP["email"]).exists()


def test_signup_page_offers_domain_preselection_without_inline_script(client):
    content = client.get(reverse("account_signup")).content.decode()
    assert "dundeecity.gov.uk" in content  # in the form's data attribute
    assert "<script>" not in content
    assert "style=" not in content


def test_email_must_be_verified_before_anything(client, jobs):
    sign_up(client)
    assert jobs.run() == 1
    assert len(mail.outbox) == 1
    response = client.post(
        reverse("account_login"),
        {"login": SIGNUP["email"], "password": SIGNUP["password1"]},
    )
    # Unverified: allauth sends them to the "verification sent" page, not in.
    assert response["Location"] == reverse("account_email_verification_sent")


def test_verification_link_then_pending_page_and_approvers_told(
    client, admin_user, jobs
):
    with jobs:
        sign_up(client)
    link = confirmation_link(mail.outbox[0])
    mail.outbox.clear()
    with jobs:
        response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email=SIGNUP["email"]).verified
    # Signed in straight after confirming, but only the pending page is open.
    assert client.get(reverse("portal:member_home"))["Location"] == reverse(
        "network:pending"
    )
    pending = client.get(reverse("network:pending"))
    assert b"waiting for approval" in pending.content
    assert [m.to for m in mail.outbox] == [[admin_user.email]]
    assert "Alex MacDonald" in mail.outbox[0].subject


def test_signup_with_registered_email_does_not_reveal_it(client):
    make_member(email=SIGNUP["email"])
    response = sign_up(client)
    # Same answer as a new address: "check your email", and no new account.
    assert response["Location"] == reverse("account_email_verification_sent")
    assert Member.objects.filter(email=SIGNUP["email"]).count() == 1


def test_password_reset_does_not_reveal_unknown_email(client):
    response = client.post(
        reverse("account_reset_password"), {"email": "nobody@example.org"}
    )
    assert response["Location"] == reverse("account_reset_password_done")


def test_login_by_email(client):
    make_member(email="known@glasgow.gov.uk")
    EmailAddress.objects.create(
        user=Member.objects.get(email="known@glasgow.gov.uk"),
        email="known@glasgow.gov.uk",
        verified=True,
        primary=True,
    )
    response = client.post(
        reverse("account_login"),
        {"login": "Known@Glasgow.gov.uk", "password": "a-long-test-password-1"},
    )
    assert response["Location"] == reverse("portal:member_home")


# --- Approval ---------------------------------------------------------------


def test_approve_records_who_and_when_and_emails(jobs):
    admin = make_member(full_name="Decider")
    waiting = make_member(
        approved=False,
        email="waiting@pkc.gov.uk",
        organisation=organisation("Perth and Kinross Council"),
    )
    with jobs:
        assert approve_member(waiting, decided_by=admin)
    waiting.refresh_from_db()
    assert waiting.is_approved
    assert waiting.decided_by == admin
    assert waiting.decided_at is not None
    assert mail.outbox[-1].to == ["waiting@pkc.gov.uk"]
    assert "approved" in mail.outbox[-1].subject
    # Approving twice sends nothing more.
    with jobs:
        assert not approve_member(waiting, decided_by=admin)
    assert len(mail.outbox) == 1


def test_admin_bulk_approve_and_reject(admin_client, admin_user, jobs):
    fife = organisation("Fife Council")
    first = make_member(approved=False, email="first@fife.gov.uk", organisation=fife)
    second = make_member(approved=False, email="second@fife.gov.uk", organisation=fife)
    third = make_member(approved=False, email="third@fife.gov.uk", organisation=fife)
    url = reverse("admin:network_member_changelist")
    with jobs:
        response = admin_client.post(
            url,
            {"action": "approve_selected", "_selected_action": [first.pk, second.pk]},
            follow=True,
        )
        admin_client.post(
            url, {"action": "reject_selected", "_selected_action": [third.pk]}
        )
    assert response.status_code == 200
    states = dict(Member.objects.values_list("email", "approval_state"))
    assert states["first@fife.gov.uk"] == "approved"
    assert states["second@fife.gov.uk"] == "approved"
    assert states["third@fife.gov.uk"] == "rejected"
    assert Member.objects.get(pk=first.pk).decided_by == admin_user
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == [
        "first@fife.gov.uk",
        "second@fife.gov.uk",
        "third@fife.gov.uk",
    ]


def test_admin_lists_pending_members_first(admin_client):
    make_member(full_name="Aaron Approved")
    make_member(approved=False, full_name="Zoe Waiting")
    response = admin_client.get(reverse("admin:network_member_changelist"))
    content = response.content.decode()
    assert content.index("Zoe Waiting") < content.index("Aaron Approved")


def test_admin_filters_and_search(admin_client):
    make_member(
        approved=False,
        full_name="Zoe Waiting",
        organisation=organisation("Stirling Council"),
    )
    make_member(full_name="Aaron Approved")
    url = reverse("admin:network_member_changelist")
    filtered = admin_client.get(url, {"approval_state__exact": "pending"})
    assert b"Zoe Waiting" in filtered.content
    assert b"Aaron Approved" not in filtered.content
    searched = admin_client.get(url, {"q": "Aaron"})
    assert b"Aaron Approved" in searched.content
    assert b"Zoe Waiting" not in searched.content


def test_staff_without_approval_permission_cannot_approve(client):
    staff = make_member(
        is_staff=True, perms=["network.view_member", "network.change_member"]
    )
    waiting = make_member(approved=False)
    client_for(staff).post(
        reverse("admin:network_member_changelist"),
        {"action": "approve_selected", "_selected_action": [waiting.pk]},
    )
    waiting.refresh_from_db()
    assert waiting.approval_state == Member.Approval.PENDING


def test_rejected_member_reads_the_reason():
    admin = make_member()
    refused = make_member(approved=False)
    reject_member(refused, decided_by=admin, note="Not a council or partner address.")
    response = client_for(refused).get(reverse("network:pending"))
    assert b"Not a council or partner address." in response.content


def test_demo_data_refuses_without_debug(settings):
    from django.core.management import CommandError, call_command

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo_data")


def test_demo_data_creates_every_role(settings):
    from io import StringIO

    from django.core.management import call_command

    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    assert "net-zero-demo-2026" in out.getvalue()
    assert Member.objects.filter(groups__name=COORDINATORS).exists()
    assert Member.objects.filter(approval_state="pending").exists()
    assert Member.objects.filter(
        member_type="elected", approval_state="approved"
    ).exists()
    assert Member.objects.filter(is_superuser=True).exists()
