"""Who may see each page: every URL the portal serves is classified here.

A view is for approved members unless marked ``login_not_required`` (public) or
``approval_not_required`` (open to signed-in members who wait or were refused).
The lists below name the exceptions; a new public or waiting-member view fails
``test_every_exception_is_listed`` until someone adds it here on purpose, and every
other view is checked to refuse visitors, pending, rejected and suspended members.
"""

import uuid

import pytest
from django.urls import reverse
from django.urls.converters import IntConverter, SlugConverter, UUIDConverter

from kit.routes import named_url_patterns
from network.models import Member
from tests.conftest import client_for
from tests.factories import make_member

pytestmark = pytest.mark.django_db

# Open to anyone. allauth's sign-in, sign-up, verification and reset pages are
# public by allauth's own marking; they are listed so a change there is noticed.
PUBLIC_VIEWS = {
    "healthz",
    # The footer's language switch (English or Gaelic), for everyone.
    "set_language",
    # What every site is asked for: robots.txt, security.txt and the icon.
    "robots_txt",
    "security_txt",
    "favicon",
    "portal:home",
    "portal:about",
    "portal:privacy",
    "portal:accessibility",
    "portal:cookies",
    "privacy:erased",
    "training:signup",
    "network:notification_unsubscribe",
    "network:notification_unsubscribe_one_click",
    "account_login",
    "account_logout",
    "account_signup",
    "account_inactive",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_confirm_login_code",
    "account_request_login_code",
    "account_confirm_password_reset_code",
    "account_reset_password_from_code",
    "account_reset_password_code_confirmed",
    "account_phone_verification",
    "account_email_verification_code",
    "account_reset_password_from_key_code",
    "account_confirm_phone_verification_code",
    # The second step of signing in (a code after the password), and signing in
    # with a passkey: allauth checks the sign-in under way itself.
    "mfa_authenticate",
    "mfa_login_webauthn",
    # Events: public events, and calendar feeds whose secret token is the key.
    "events:public_list",
    "events:public_detail",
    "events:public_feed",
    "events:member_feed",
    "events:network_feed",
}

# Signed-in members who wait for approval or were refused may use these: the
# pending page and their own account settings.
WAITING_MEMBER_VIEWS = {
    "network:pending",
    "privacy:erase",
    "privacy:notice_read",
    "account_email",
    "account_change_password",
    "account_set_password",
    "account_reauthenticate",
    "account_change_phone",
    "account_confirm_reauthentication_code",
    "account_request_reauthentication_code",
    "account_email_verification_code",
    "account_confirm_email_verification_code",
    "usersessions_list",
    "mfa_index",
    "mfa_reauthenticate",
    "mfa_activate_totp",
    "mfa_deactivate_totp",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_list_webauthn",
    "mfa_add_webauthn",
    "mfa_reauthenticate_webauthn",
    "mfa_remove_webauthn",
    "mfa_edit_webauthn",
}


def _sample_value(converter):
    if isinstance(converter, IntConverter):
        return 1
    if isinstance(converter, UUIDConverter):
        return uuid.uuid4()
    if isinstance(converter, SlugConverter):
        return "sample"
    return "sample"


def all_views():
    """(name, sample path, view function) for every named URL, admin excluded."""
    return [
        (name, _sample_path(name, pattern, converters), pattern.callback)
        for name, pattern, converters in named_url_patterns()
    ]


def _sample_path(name, pattern, converters):
    if converters:
        kwargs = {key: _sample_value(conv) for key, conv in converters.items()}
        return reverse(name, kwargs=kwargs)
    groups = pattern.pattern.regex.groupindex
    if groups:
        return reverse(name, kwargs=dict.fromkeys(groups, "abc123"))
    return reverse(name)


VIEWS = all_views()
MEMBER_ONLY = [
    (name, path)
    for name, path, view in VIEWS
    if name not in PUBLIC_VIEWS and name not in WAITING_MEMBER_VIEWS
]


def test_every_exception_is_listed():
    public = {n for n, _, v in VIEWS if getattr(v, "login_required", True) is False}
    waiting = {
        n
        for n, _, v in VIEWS
        if getattr(v, "approval_required", True) is False and n not in public
    }
    assert public == PUBLIC_VIEWS & {n for n, _, _ in VIEWS}
    assert waiting == WAITING_MEMBER_VIEWS & {n for n, _, _ in VIEWS}


def test_some_member_only_views_exist():
    names = {name for name, _ in MEMBER_ONLY}
    assert "portal:member_home" in names


@pytest.mark.parametrize(("name", "path"), MEMBER_ONLY)
def test_visitor_is_sent_to_sign_in(client, name, path):
    response = client.get(path)
    assert response.status_code == 302, name
    assert response["Location"].startswith(reverse("account_login")), name


@pytest.mark.parametrize(
    "state",
    [Member.Approval.PENDING, Member.Approval.REJECTED, Member.Approval.SUSPENDED],
)
def test_unapproved_members_see_only_the_pending_page(state):
    client = client_for(make_member(state=state))
    for name, path in MEMBER_ONLY:
        response = client.get(path)
        assert response.status_code == 302, name
        assert response["Location"] == reverse("network:pending"), name


def test_deactivated_member_is_signed_out(member, member_client):
    member.is_active = False
    member.save()
    response = member_client.get(reverse("portal:member_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    "name",
    [
        "portal:home",
        "portal:about",
        "portal:privacy",
        "portal:accessibility",
        "portal:cookies",
    ],
)
def test_public_pages_open_to_visitors(client, name):
    assert client.get(reverse(name)).status_code == 200


def test_member_home_for_approved_member(member_client):
    response = member_client.get(reverse("portal:member_home"))
    assert response.status_code == 200
    assert b"Welcome, Olivia" in response.content


def test_public_home_sends_members_to_their_home(member_client):
    response = member_client.get(reverse("portal:home"))
    assert response["Location"] == reverse("portal:member_home")


def test_admin_refuses_members_who_are_not_staff(member_client):
    response = member_client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_every_page_has_a_strict_content_security_policy(client):
    policy = client.get(reverse("portal:home"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.parametrize(
    ("name", "path"),
    [(n, p) for n, p, _ in VIEWS if n in WAITING_MEMBER_VIEWS],
)
def test_waiting_member_views_still_refuse_visitors(client, name, path):
    response = client.get(path)
    assert response.status_code == 302, name
    assert response["Location"].startswith(reverse("account_login")), name


def test_pending_page_tells_each_state_apart():
    for state, words in [
        (Member.Approval.PENDING, b"waiting for approval"),
        (Member.Approval.REJECTED, b"was not approved"),
        (Member.Approval.SUSPENDED, b"is suspended"),
    ]:
        response = client_for(make_member(state=state)).get(reverse("network:pending"))
        assert words in response.content


def test_benchmark_reference_page_lists_newest_members(member_client):
    make_member(full_name="Newest Member")
    response = member_client.get(reverse("portal:reference"))
    assert b"Newest Member" in response.content


@pytest.mark.parametrize(
    "path", ["/policy-drivers/", "/policy-drivers/pbccd/", "/network/people/ask/"]
)
def test_policy_driver_pages_are_for_approved_members(client, member_client, path):
    assert client.get(path)["Location"].startswith(reverse("account_login"))
    pending = client_for(make_member(state=Member.Approval.PENDING))
    assert pending.get(path)["Location"] == reverse("network:pending")
    assert member_client.get(path).status_code == 200


def test_decisions_log_is_for_coordinators_only(member_client, coordinator_client):
    url = reverse("network:audit_trail")
    assert member_client.get(url).status_code == 403
    assert coordinator_client.get(url).status_code == 200
