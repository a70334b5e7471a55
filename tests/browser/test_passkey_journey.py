"""A member adds a passkey, signs in with it alone, and removes it, in Chromium with
a virtual authenticator (Chrome DevTools' WebAuthn domain) standing in for the
device. http://localhost is a secure context, so WebAuthn works on the test server."""

import pytest
from allauth.mfa.models import Authenticator

from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD, make_member, verify_email

pytestmark = pytest.mark.django_db(transaction=True)


def add_virtual_authenticator(page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp


def sign_in_with_password(page, member):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(member.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url("**/home/")


def confirm_password_if_asked(page):
    if "/accounts/reauthenticate/" in page.url:
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()


def test_a_passkey_registers_signs_in_and_is_removed(page):
    member = verify_email(make_member(full_name="Kirsty Paterson"))
    add_virtual_authenticator(page)
    sign_in_with_password(page, member)

    # Add it from Settings → Second factor.
    page.goto("/network/settings/")
    settings_nav = page.get_by_role("navigation", name="Settings")
    settings_nav.get_by_role("link", name="Second factor").click()
    page.wait_for_url("**/accounts/2fa/")
    assert_accessible(page)
    page.goto("/accounts/2fa/webauthn/add/")
    confirm_password_if_asked(page)
    page.wait_for_url("**/accounts/2fa/webauthn/add/")
    page.get_by_label("Name").fill("Work laptop")
    # The design system draws the box on the label, over the input: click it.
    page.locator("label[for=id_passwordless]").click()
    assert page.get_by_label("Passwordless").is_checked()
    page.get_by_role("button", name="Add").click()
    page.wait_for_load_state("networkidle")
    passkey = Authenticator.objects.get(user=member, type=Authenticator.Type.WEBAUTHN)
    assert passkey.wrap().name == "Work laptop"
    assert passkey.wrap().is_passwordless

    # Sign out, then in with the passkey alone: no email, no password.
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.wait_for_load_state("networkidle")
    page.goto("/accounts/login/")
    assert "Kirsty" not in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Sign in with a passkey").click()
    page.wait_for_url("**/home/")
    assert "Kirsty" in page.content()

    # Remove it (allauth asks who you are first).
    page.goto("/accounts/2fa/webauthn/")
    page.get_by_role("link", name="Remove").click()
    confirm_password_if_asked(page)
    page.get_by_role("button", name="Remove").click()
    page.wait_for_url("**/accounts/2fa/webauthn/")
    assert not Authenticator.objects.filter(
        user=member, type=Authenticator.Type.WEBAUTHN
    ).exists()
