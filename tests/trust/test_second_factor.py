"""Second factors (allauth.mfa): an authenticator app and recovery codes here,
passkeys in tests/browser/test_passkey_journey.py. Staff, admins and coordinators
reach nothing but the set-up pages until they have one, and cannot remove the last."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from network.models import Member
from tests.casestudies.factories import make_case_study
from tests.events.factories import make_event, make_session
from tests.factories import (
    PASSWORD,
    TOTP_SECRET,
    give_second_factor,
    make_coordinator,
    make_member,
    organisation,
    totp_code,
    verify_email,
)
from tests.forums.factories import make_reply, make_thread
from tests.training.factories import make_cohort, make_elected, make_enrolment
from tools.benchmark.addresses import C, Sample, every_address

pytestmark = pytest.mark.django_db

SET_UP_FIRST = "your account needs a second factor"


def sign_in(client, member, *, code=None):
    """Through allauth: the password, then (when given) the second factor."""
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": PASSWORD}
    )
    if code is not None:
        assert response["Location"] == reverse("mfa_authenticate")
        response = client.post(reverse("mfa_authenticate"), {"code": code})
    return response


def reauthenticate(client, *, code=None):
    """allauth asks again before any change to second factors."""
    if code is None:
        response = client.post(
            reverse("account_reauthenticate"), {"password": PASSWORD}
        )
    else:
        response = client.post(reverse("mfa_reauthenticate"), {"code": code})
    assert response.status_code == 302, response.content.decode()


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def officer():
    member = verify_email(make_member(email="fiona@fife.gov.uk"))
    give_second_factor(member)
    return member


# --- Setting up an authenticator app ----------------------------------------


def test_a_member_sets_up_an_authenticator_app_from_settings(client):
    member = verify_email(make_member(email="iain@inverclyde.gov.uk"))
    sign_in(client, member)
    reauthenticate(client)
    settings_page = client.get(reverse("network:settings")).content.decode()
    assert reverse("mfa_index") in settings_page
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    # The QR code, as an image (CSP allows data: images, nothing inline runs).
    assert 'src="data:image/svg+xml;base64,' in page.content.decode()
    secret = client.session["mfa.totp.secret"]
    assert secret in page.content.decode()  # and the key, to type by hand
    response = client.post(
        reverse("mfa_activate_totp"), {"code": totp_code(secret=secret)}
    )
    assert response.status_code == 302
    totp = Authenticator.objects.get(user=member, type=Authenticator.Type.TOTP)
    # Stored encrypted, not in clear.
    assert secret not in str(totp.data)
    # Recovery codes come with it.
    assert Authenticator.objects.filter(
        user=member, type=Authenticator.Type.RECOVERY_CODES
    ).exists()


def test_a_wrong_code_does_not_set_it_up(client):
    member = verify_email(make_member())
    sign_in(client, member)
    reauthenticate(client)
    client.get(reverse("mfa_activate_totp"))
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert not Authenticator.objects.filter(user=member).exists()


def test_the_secret_is_not_stored_in_clear(officer):
    totp = Authenticator.objects.get(user=officer, type=Authenticator.Type.TOTP)
    assert TOTP_SECRET not in str(totp.data)
    assert totp.wrap().validate_code(totp_code())  # and still works


# --- Signing in with a code -------------------------------------------------


def test_the_current_code_signs_in(client, officer):
    response = sign_in(client, officer, code=totp_code())
    assert response["Location"] == reverse("portal:member_home")
    assert signed_in(client)


def test_the_password_alone_does_not_sign_in(client, officer):
    response = sign_in(client, officer)
    assert response["Location"] == reverse("mfa_authenticate")
    assert not signed_in(client)
    assert client.get(reverse("portal:member_home"))["Location"].startswith(
        reverse("account_login")
    )


def test_a_replayed_code_is_refused_even_by_another_worker(officer):
    code = totp_code()
    first = Client()
    assert sign_in(first, officer, code=code).status_code == 302
    assert signed_in(first)
    # The same code again, from another browser: used codes are in the shared
    # cache, so whichever worker answers refuses it.
    second = Client()
    response = sign_in(second, officer, code=code)
    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert not signed_in(second)


def test_a_code_one_step_out_is_accepted_for_clock_drift(client, officer):
    response = sign_in(client, officer, code=totp_code(steps=-1))
    assert response["Location"] == reverse("portal:member_home")


@pytest.mark.parametrize("steps", [-2, 2])
def test_a_code_two_steps_out_is_refused(client, officer, steps):
    response = sign_in(client, officer, code=totp_code(steps=steps))
    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert not signed_in(client)


def test_each_recovery_code_works_once(officer):
    codes = RecoveryCodes.activate(officer).generate_codes()
    assert len(codes) == 10
    for code in codes[:2]:
        client = Client()
        assert sign_in(client, officer, code=code)["Location"] == reverse(
            "portal:member_home"
        )
        again = Client()
        response = sign_in(again, officer, code=code)
        assert "Incorrect code" in response.content.decode()
        assert not signed_in(again)


# --- Required for staff, admins and coordinators ----------------------------


def coordinator_and_admin_addresses() -> list[str]:
    """Every page the walker opens as a coordinator or an admin, with enough
    data for each to exist (tools/benchmark/addresses.py)."""
    author = make_member(organisation=organisation("Glasgow City Council"))
    make_case_study(authors=[author])
    thread = make_thread(author=author)
    make_reply(thread, author=author)
    make_session(make_event(state="published"))
    make_enrolment(make_cohort(), make_elected())
    # The second-factor pages the walker opens as a coordinator (theirs, once
    # set up) stay open to a coordinator without one: they are how one is set up.
    return [
        address.path
        for address in every_address(Sample())
        if address.role in (C, "admin") and not address.label.startswith("mfa_")
    ]


def test_a_coordinator_without_a_factor_is_sent_to_set_one_up_from_everywhere():
    coordinator = make_coordinator()
    client = Client()
    client.force_login(coordinator)
    paths = coordinator_and_admin_addresses()
    assert len(paths) > 60
    assert any(path.startswith("/admin/") for path in paths)
    for path in paths:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == reverse("mfa_index"), path


def test_the_set_up_page_says_why(client):
    client.force_login(make_coordinator())
    response = client.get(reverse("events:create"), follow=True)
    assert response.request["PATH_INFO"] == reverse("mfa_index")
    assert SET_UP_FIRST in response.content.decode()


@pytest.mark.parametrize(
    "make",
    [
        lambda: make_member(is_staff=True),
        lambda: Member.objects.create_superuser("su@example.org", PASSWORD),
        lambda: make_member(perms=["network.moderate_forums"]),
    ],
    ids=["staff", "superuser", "moderator"],
)
def test_staff_superusers_and_moderators_need_one_too(client, make):
    client.force_login(make())
    assert client.get("/admin/")["Location"] == reverse("mfa_index")
    assert client.get(reverse("portal:member_home"))["Location"] == (
        reverse("mfa_index")
    )


def test_without_a_factor_they_still_reach_set_up_public_pages_and_sign_out(client):
    client.force_login(make_coordinator())
    for name in ["mfa_index", "mfa_activate_totp", "mfa_add_webauthn"]:
        assert client.get(reverse(name)).status_code in (200, 302), name
        assert client.get(reverse(name)).get("Location") != reverse("mfa_index")
    assert client.get(reverse("portal:about")).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302
    assert not signed_in(client)


def test_with_a_factor_a_coordinator_gets_in(client):
    coordinator = verify_email(make_coordinator())
    give_second_factor(coordinator)
    sign_in(client, coordinator, code=totp_code())
    assert client.get(reverse("events:create")).status_code == 200
    assert client.get(reverse("network:review_queue")).status_code == 200


def test_a_plain_member_is_not_asked(client):
    client.force_login(make_member())
    assert client.get(reverse("portal:member_home")).status_code == 200


# --- The last factor --------------------------------------------------------


def test_staff_cannot_remove_their_last_authenticator_app(client):
    admin = verify_email(make_member(is_staff=True))
    give_second_factor(admin)
    sign_in(client, admin, code=totp_code())
    reauthenticate(client)
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 200
    assert "cannot be removed until you have added another" in (
        response.content.decode()
    )
    assert Authenticator.objects.filter(user=admin, type="totp").exists()


def test_a_plain_member_can_remove_theirs(client, officer):
    sign_in(client, officer, code=totp_code())
    reauthenticate(client)
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=officer).exists()


def make_passkey(member) -> Authenticator:
    return Authenticator.objects.create(
        user=member, type=Authenticator.Type.WEBAUTHN, data={"name": "Laptop"}
    )


def test_a_coordinators_last_passkey_stays_but_one_of_two_factors_goes(client):
    coordinator = verify_email(make_coordinator())
    give_second_factor(coordinator)
    passkey = make_passkey(coordinator)
    sign_in(client, coordinator, code=totp_code())
    reauthenticate(client)
    # With the authenticator app as well, the passkey may go.
    remove = reverse("mfa_remove_webauthn", args=[passkey.pk])
    assert client.post(remove).status_code == 302
    assert not Authenticator.objects.filter(pk=passkey.pk).exists()
    # A passkey as the only factor stays.
    Authenticator.objects.filter(user=coordinator, type="totp").delete()
    passkey = make_passkey(coordinator)
    response = client.post(reverse("mfa_remove_webauthn", args=[passkey.pk]))
    assert response.status_code == 302
    assert Authenticator.objects.filter(pk=passkey.pk).exists()
    told = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("cannot be removed" in message for message in told)


def test_a_plain_members_last_passkey_can_go(client):
    member = verify_email(make_member())
    sign_in(client, member)
    reauthenticate(client)
    passkey = make_passkey(member)
    response = client.post(reverse("mfa_remove_webauthn", args=[passkey.pk]))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(pk=passkey.pk).exists()


def test_erasure_deletes_the_second_factors(officer):
    from portal.privacy.erasure import erase_member

    RecoveryCodes.activate(officer)
    erase_member(officer, reason="test")
    assert not Authenticator.objects.filter(user=officer).exists()
