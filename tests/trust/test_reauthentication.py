"""Changing the email or a second factor asks who you are again (allauth's
re-authentication), however recently you signed in; changing the password asks
for the current one."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.factories import (
    PASSWORD,
    give_second_factor,
    make_member,
    totp_code,
    verify_email,
)
from tests.trust.test_second_factor import sign_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-9"


@pytest.fixture
def member_signed_in(client):
    member = verify_email(make_member(email="rhona@renfrewshire.gov.uk"))
    assert sign_in(client, member).status_code == 302
    return member


def asks_again(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        reverse("account_reauthenticate")
    )


def test_adding_an_email_needs_the_password_again(client, member_signed_in):
    data = {"action_add": "", "email": "rhona.new@renfrewshire.gov.uk"}
    assert asks_again(client.post(reverse("account_email"), data))
    assert not EmailAddress.objects.filter(email=data["email"]).exists()
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.post(reverse("account_email"), data)
    assert EmailAddress.objects.filter(email=data["email"]).exists()


def test_changing_the_password_needs_the_current_one(client, member_signed_in):
    """allauth's form asks for the current password itself: that is the proof."""
    data = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    wrong = client.post(
        reverse("account_change_password"), {**data, "oldpassword": "not-mine-at-all"}
    )
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["oldpassword"]
    member_signed_in.refresh_from_db()
    assert member_signed_in.check_password(PASSWORD)
    right = client.post(
        reverse("account_change_password"), {**data, "oldpassword": PASSWORD}
    )
    assert right.status_code == 302
    member_signed_in.refresh_from_db()
    assert member_signed_in.check_password(NEW_PASSWORD)


def test_a_wrong_password_does_not_count_as_asking_again(client, member_signed_in):
    response = client.post(reverse("account_reauthenticate"), {"password": "wrong-one"})
    assert response.status_code == 200
    assert asks_again(client.get(reverse("mfa_activate_totp")))


def test_setting_up_a_second_factor_needs_the_password_again(client, member_signed_in):
    assert asks_again(client.get(reverse("mfa_activate_totp")))
    assert asks_again(client.get(reverse("mfa_add_webauthn")))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_removing_a_second_factor_needs_a_code_again(client):
    member = verify_email(make_member())
    give_second_factor(member)
    sign_in(client, member, code=totp_code())
    response = client.post(reverse("mfa_deactivate_totp"))
    assert asks_again(response) or response["Location"].startswith(
        reverse("mfa_reauthenticate")
    )
    assert Authenticator.objects.filter(user=member).exists()
    # The same code is refused again (used); the next one does.
    client.post(reverse("mfa_reauthenticate"), {"code": totp_code(steps=1)})
    assert client.post(reverse("mfa_deactivate_totp")).status_code == 302
    assert not Authenticator.objects.filter(user=member).exists()
