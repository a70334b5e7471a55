"""Sessions: 12 hours at most and 2 hours idle (with the session's clock moved
back), a member's list of where they are signed in, everything ended at once on
suspension, rejection or deactivation, and the headers that keep members' pages
out of caches."""

import json
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.auth import HASH_SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kit import jobs as kit_jobs
from kit.sessions import LAST_SEEN_AT, SIGNED_IN_AT
from network.services import reject_member, suspend_member
from tests.admin_forms import admin_form_data
from tests.conftest import client_for
from tests.factories import PASSWORD, make_member
from tests.test_settings import ROOT, production_env

pytestmark = pytest.mark.django_db

HOME = "portal:member_home"


def _move_clock_back(client, **seconds):
    """As if the sign-in and the last request happened that long ago."""
    session = client.session
    for key, back in seconds.items():
        session[{"signed_in": SIGNED_IN_AT, "last_seen": LAST_SEEN_AT}[key]] -= back
    session.save()


def _signed_out(client) -> bool:
    response = client.get(reverse(HOME))
    return response.status_code == 302 and response["Location"].startswith(
        reverse("account_login")
    )


def test_the_limits_are_12_hours_and_2_hours_idle(settings):
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    assert settings.PORTAL_SESSION_IDLE_SECONDS == 2 * 3600


def test_two_hours_without_a_request_signs_the_member_out(member_client):
    _move_clock_back(member_client, last_seen=2 * 3600 + 5)
    response = member_client.get(reverse(HOME), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("account_login"))
    assert b"signed out after two hours without activity" in response.content
    assert _signed_out(member_client)


def test_a_request_within_two_hours_keeps_the_member_signed_in(member_client):
    _move_clock_back(member_client, last_seen=2 * 3600 - 60)
    assert member_client.get(reverse(HOME)).status_code == 200
    # That request counts as activity: two more idle hours from now.
    last_seen = member_client.session[LAST_SEEN_AT]
    assert abs(last_seen - datetime.now(UTC).timestamp()) < 5
    assert member_client.get(reverse(HOME)).status_code == 200


def test_twelve_hours_after_signing_in_the_member_is_signed_out(member_client):
    _move_clock_back(member_client, signed_in=12 * 3600 + 5)  # active all along
    response = member_client.get(reverse(HOME), follow=True)
    assert b"a sign-in lasts twelve hours at most" in response.content
    assert _signed_out(member_client)


def test_activity_never_pushes_the_stored_session_past_12_hours(member_client):
    key = member_client.session.session_key
    signed_in_at = member_client.session[SIGNED_IN_AT]
    _move_clock_back(member_client, last_seen=3600)
    member_client.get(reverse(HOME))  # writes the last request's time
    expires = Session.objects.get(pk=key).expire_date.timestamp()
    assert abs(expires - (signed_in_at + 12 * 3600)) < 2


def test_a_member_sees_their_sessions_and_ends_the_others(member):
    laptop, phone = Client(), Client(HTTP_USER_AGENT="Phone browser")
    laptop.login(email=member.email, password=PASSWORD)
    phone.login(email=member.email, password=PASSWORD)
    phone.get(reverse(HOME))
    page = laptop.get(reverse("usersessions_list"))
    assert page.status_code == 200
    assert b"Phone browser" in page.content and b"Current" in page.content
    laptop.post(reverse("usersessions_list"))
    assert _signed_out(phone)
    assert laptop.get(reverse(HOME)).status_code == 200


def test_the_sessions_list_keeps_only_those_that_still_sign_the_member_in(member):
    """A session that expired, or whose password hash is out of date (as after a
    password change elsewhere), is dropped from the list and its row deleted, as
    allauth's own list does; the rest are read in the same queries however many."""
    browsers = [Client(HTTP_USER_AGENT=f"Browser {n}") for n in range(5)]
    for browser in browsers:
        browser.login(email=member.email, password=PASSWORD)
        browser.get(reverse(HOME))  # allauth.usersessions records the session
    laptop, expired, stale = browsers[:3]
    Session.objects.filter(session_key=expired.session.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )
    session = stale.session
    session[HASH_SESSION_KEY] = "not-the-hash"
    session.save()

    with CaptureQueriesContext(connection) as five:
        page = laptop.get(reverse("usersessions_list")).content.decode()
    with CaptureQueriesContext(connection) as three:
        laptop.get(reverse("usersessions_list"))

    shown = [n for n in range(5) if f"Browser {n}" in page]
    assert shown == [0, 3, 4]
    assert set(UserSession.objects.filter(user=member).values_list("user_agent")) == {
        ("Browser 0",),
        ("Browser 3",),
        ("Browser 4",),
    }
    assert len(five) == len(three) + 1  # the one delete


def test_the_sessions_list_shows_no_other_members_sessions(member):
    other = make_member()
    theirs = Client(HTTP_USER_AGENT="Their browser")
    theirs.login(email=other.email, password=PASSWORD)
    theirs.get(reverse(HOME))
    mine = Client(HTTP_USER_AGENT="My browser")
    mine.login(email=member.email, password=PASSWORD)
    mine.get(reverse(HOME))

    page = mine.get(reverse("usersessions_list")).content.decode()
    assert "My browser" in page
    assert "Their browser" not in page
    mine.post(reverse("usersessions_list"))  # "sign out my other sessions"
    assert theirs.get(reverse(HOME)).status_code == 200  # theirs is untouched


def test_settings_link_to_the_sessions_page(member_client):
    page = member_client.get(reverse("network:settings"))
    assert reverse("usersessions_list").encode() in page.content


@pytest.mark.parametrize("decide", [suspend_member, reject_member])
def test_suspension_or_rejection_ends_every_session_at_once(member, decide, jobs):
    browsers = [client_for(member), client_for(member)]
    for browser in browsers:
        browser.get(reverse(HOME))
    with jobs:
        decide(member, decided_by=make_member())
    assert all(_signed_out(browser) for browser in browsers)
    assert not UserSession.objects.filter(user=member).exists()


def test_deactivating_in_admin_ends_every_session(admin_client, member):
    browser = client_for(member)
    browser.get(reverse(HOME))
    key = browser.session.session_key
    url = reverse("admin:network_member_change", args=[member.pk])
    data = admin_form_data(admin_client.get(url))
    data.pop("is_active")
    assert admin_client.post(url, data).status_code == 302
    assert not UserSession.objects.filter(user=member).exists()
    assert not Session.objects.filter(pk=key).exists()


def test_a_suspended_member_reaches_only_the_page_that_says_so(member, jobs):
    member.is_staff = True
    member.save()
    member.groups.add(Group.objects.get(name="Network admins"))
    with jobs:
        suspend_member(member, decided_by=make_member(), note="Spam")
    browser = Client()
    assert browser.login(email=member.email, password=PASSWORD)
    pending = reverse("network:pending")
    for name in [
        "account_email",
        "account_change_password",
        "privacy:erase",
        "usersessions_list",
        "admin:index",
        HOME,
    ]:
        response = browser.get(reverse(name))
        assert (response.status_code, response["Location"]) == (302, pending), name
    page = browser.get(pending)
    assert b"is suspended" in page.content
    assert reverse("account_email").encode() not in page.content
    assert browser.post(reverse("account_logout")).status_code == 302


# --- Headers ------------------------------------------------------------------


def test_signing_out_clears_the_sites_data(member_client):
    response = member_client.post(reverse("account_logout"))
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert _signed_out(member_client)


def test_pages_for_members_are_never_stored(member_client, client):
    for name in [HOME, "network:settings", "network:directory"]:
        assert member_client.get(reverse(name))["Cache-Control"] == "no-store, private"
    # A visitor's public page keeps its own caching.
    public = client.get(reverse("portal:about"))
    assert "no-store" not in public.get("Cache-Control", "")


def test_every_page_sends_a_permissions_policy(client):
    policy = client.get(reverse("portal:home"))["Permissions-Policy"]
    features = dict(item.split("=") for item in policy.split(", "))
    for feature in ["camera", "microphone", "geolocation", "payment", "usb"]:
        assert features[feature] == "()"
    # Passkeys sign in through WebAuthn: allowed for the portal itself.
    assert features["publickey-credentials-get"] == "(self)"
    assert features["publickey-credentials-create"] == "(self)"


def test_the_session_cookie_is_httponly_and_samesite_lax(client, member):
    form = client.get(reverse("account_login"))
    assert form.cookies["csrftoken"]["samesite"] == "Lax"
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": PASSWORD}
    )
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_production_cookies_are_secure_with_host_prefixed_names():
    code = (
        "import json, django; django.setup(); from django.conf import settings as s;"
        "print(json.dumps([s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME,"
        " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.SESSION_COOKIE_SAMESITE]))"
    )
    env = production_env(
        DJANGO_SETTINGS_MODULE="portal.settings", DJANGO_SECURE_COOKIES=None
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert json.loads(result.stdout) == [
        "__Host-sessionid",
        "__Host-csrftoken",
        True,
        True,
        True,
        "Lax",
    ]


def test_the_hourly_cleanup_removes_expired_sessions_and_keeps_live_ones(
    member, other_member, jobs
):
    """Expired sessions and the "signed in here" rows about them go; a live
    session, its row and its member's sign-in stay."""
    live, expired, stale = Client(), Client(HTTP_USER_AGENT="Old phone"), Client()
    for client, who in ((live, member), (expired, member), (stale, other_member)):
        client.login(email=who.email, password=PASSWORD)
        client.get(reverse(HOME))  # allauth.usersessions records the session
    expired_key = expired.session.session_key
    Session.objects.filter(session_key=expired_key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )
    # A row last seen longer ago than any session lasts, whatever its session.
    UserSession.objects.filter(session_key=stale.session.session_key).update(
        last_seen_at=timezone.now() - timedelta(hours=13)
    )

    kit_jobs.clear_expired_sessions.defer(timestamp=int(time.time()))
    assert jobs.run() == 1

    assert not Session.objects.filter(session_key=expired_key).exists()
    assert not UserSession.objects.filter(session_key=expired_key).exists()
    assert not UserSession.objects.filter(user=other_member).exists()
    live_key = live.session.session_key
    assert Session.objects.filter(session_key=live_key).exists()
    assert UserSession.objects.filter(session_key=live_key, user=member).exists()
    assert live.get(reverse(HOME)).status_code == 200
