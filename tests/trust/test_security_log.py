"""The security log: one JSON line per event, each with the request's id; account
and second-factor changes, refusals, exports and erasures; a typed newline can
never start a forged line."""

import io
import json
import logging
import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from kit.security import JsonFormatter
from portal.privacy import services as privacy
from portal.privacy.erasure import erase_member
from tests.conftest import confirm_identity
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def log():
    """The security log's lines as the production handler writes them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("portal.security")
    logger.addHandler(handler)

    def lines():
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    lines.text = stream.getvalue
    yield lines
    logger.removeHandler(handler)


def events(log, name):
    return [line for line in log() if line["event"] == name]


# --- Request ids ------------------------------------------------------------------


def test_each_request_gets_its_own_id_and_its_log_lines_carry_it(client, log, member):
    first = client.post(
        reverse("account_login"), {"login": member.email, "password": "wrong-one"}
    )
    second = client.get(reverse("portal:about"))
    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]
    [failed] = events(log, "signin_failed")
    assert failed["request_id"] == first["X-Request-ID"]
    assert failed["address"] == "127.0.0.1" and failed["email"] == member.email


def test_a_clients_own_request_id_is_not_believed(client):
    response = client.get(reverse("portal:about"), HTTP_X_REQUEST_ID="forged-id-1234")
    assert response["X-Request-ID"] != "forged-id-1234"


def test_behind_trusted_proxies_their_request_id_is_kept(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    given = "3f2a9c1e-nginx-0042"
    response = client.get(reverse("portal:about"), HTTP_X_REQUEST_ID=given)
    assert response["X-Request-ID"] == given
    odd = client.get(reverse("portal:about"), HTTP_X_REQUEST_ID="a b\nc")
    assert re.fullmatch(r"[0-9a-f]{32}", odd["X-Request-ID"])


# --- Events -----------------------------------------------------------------------


def test_a_password_change_is_logged_without_the_password(member, member_client, log):
    new = "another-long-password-9"
    response = member_client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )
    assert response.status_code == 302
    [changed] = events(log, "password_changed")
    assert changed["member_id"] == member.pk
    assert new not in log.text() and PASSWORD not in log.text()


def test_an_added_email_address_is_logged(member, member_client, log):
    confirm_identity(member_client, member)  # adding an address asks first
    member_client.post(
        reverse("account_email"),
        {"action_add": "", "email": "olivia.second@glasgow.gov.uk"},
    )
    [added] = events(log, "email_added")
    assert added["member_id"] == member.pk


def test_a_refusal_is_logged_with_the_member_and_the_page(member, member_client, log):
    url = reverse("network:audit_trail")
    assert member_client.get(url).status_code == 403
    [refused] = events(log, "permission_refused")
    assert (refused["member_id"], refused["path"]) == (member.pk, url)


def test_a_csrf_failure_is_logged_as_a_refusal(member, log):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    assert browser.post(reverse("network:profile_edit"), {}).status_code == 403
    assert events(log, "permission_refused")


def test_exports_and_erasures_are_logged(member, admin_user, jobs, log):
    with jobs:
        privacy.request_export(member)
    [exported] = events(log, "data_exported")
    assert exported["member_id"] == member.pk
    erase_member(member, by=admin_user, reason="asked by letter")
    [erased] = events(log, "member_erased")
    assert erased["member_id"] == admin_user.pk
    assert erased["erased_member_id"] == member.pk
    assert erased["reason"] == "asked by letter"


@pytest.mark.skipif(
    not apps.is_installed("allauth.mfa"), reason="second factors not installed"
)
def test_second_factor_changes_are_logged(member, log):
    from allauth.mfa import signals
    from allauth.mfa.models import Authenticator

    totp = Authenticator(user=member, type=Authenticator.Type.TOTP)
    signals.authenticator_added.send(
        sender=Authenticator, request=None, user=member, authenticator=totp
    )
    signals.authenticator_removed.send(
        sender=Authenticator, request=None, user=member, authenticator=totp
    )
    assert [(line["event"], line["kind"]) for line in log()] == [
        ("second_factor_added", "totp"),
        ("second_factor_removed", "totp"),
    ]


# --- Text from users ----------------------------------------------------------


def test_a_name_with_a_newline_stays_on_one_line(log):
    from kit import security

    security.log_event("test_event", name='Eve\n{"event": "signin"}\r\u2028')
    assert len(log.text().splitlines()) == 1
    assert log()[0]["name"] == 'Eve\n{"event": "signin"}\r\u2028'
