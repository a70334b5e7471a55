"""/robots.txt keeps every member page out of search engines, security.txt says
where to report a problem (RFC 9116), and /favicon.ico answers browsers' default
request: all open to anyone, none needing the database."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from portal.wellknown import INDEXED
from tests.portal.test_outage import database_down
from tests.test_access import MEMBER_ONLY, PUBLIC_VIEWS, VIEWS, WAITING_MEMBER_VIEWS

pytestmark = pytest.mark.django_db


def rules(text) -> list[tuple[bool, str]]:
    """(allowed, pattern) for the rules that apply to every crawler."""
    assert text.splitlines()[0] == "User-agent: *"
    found = []
    for line in text.splitlines()[1:]:
        field, _, value = line.partition(":")
        found.append((field.strip().lower() == "allow", value.strip()))
    return found


def allowed(rules, path) -> bool:
    """RFC 9309: the longest matching rule wins, Allow on a tie; no match allows."""
    best = (-1, True)
    for allow, pattern in rules:
        regex = re.escape(pattern).replace(r"\*", ".*").replace(r"\$", "$")
        if re.match(regex, path):
            best = max(best, (len(pattern), allow))
    return best[1]


@pytest.fixture
def robots(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    return rules(response.content.decode())


def test_robots_disallow_every_member_and_account_page(robots):
    waiting = [(n, p) for n, p, _ in VIEWS if n in WAITING_MEMBER_VIEWS]
    for name, path in [*MEMBER_ONLY, *waiting]:
        assert not allowed(robots, path), name
    assert not allowed(robots, "/admin/")


def test_robots_disallow_public_addresses_that_carry_a_secret(robots):
    token = "sample-token"
    for path in [
        reverse("events:member_feed", kwargs={"token": token}),
        reverse("events:network_feed", kwargs={"token": token}),
        reverse("network:notification_unsubscribe", kwargs={"token": token}),
        reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": "k"}),
    ]:
        assert not allowed(robots, path), path


def test_robots_allow_the_public_pages(robots):
    assert set(INDEXED) <= PUBLIC_VIEWS
    for path in [
        "/",
        *(reverse(name) for name in INDEXED),
        reverse("events:public_detail", kwargs={"pk": 1}),
        "/static/css/portal.css",
    ]:
        assert allowed(robots, path), path


def test_security_txt_names_the_contact_from_the_settings(client, settings):
    settings.SECURITY_CONTACT = "security@example.org"
    response = client.get("/.well-known/security.txt", secure=True)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = dict(
        line.split(": ", 1) for line in response.content.decode().splitlines()
    )
    assert fields["Contact"] == "mailto:security@example.org"
    assert fields["Canonical"] == "https://testserver/.well-known/security.txt"
    assert fields["Preferred-Languages"] == "en"
    expires = datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%S%z")
    now = datetime.now(UTC)
    # RFC 9116: in the future, and under a year away.
    assert now + timedelta(days=30) < expires < now + timedelta(days=365)

    settings.SECURITY_CONTACT = "https://example.org/report-a-vulnerability"
    body = client.get("/.well-known/security.txt").content.decode()
    assert "Contact: https://example.org/report-a-vulnerability\n" in body


def test_favicon_ico_answers_browsers_default_request(client, member_client):
    for who in (client, member_client):
        response = who.get("/favicon.ico")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/x-icon"
        icon = b"".join(response.streaming_content)
        assert icon[:4] == b"\x00\x00\x01\x00"  # an ICO: reserved 0, type 1 (icon)
        assert b"\x89PNG" in icon


def test_the_three_answer_while_the_database_is_down():
    client = Client(raise_request_exception=False)
    with database_down():
        for path in ["/robots.txt", "/.well-known/security.txt", "/favicon.ico"]:
            assert client.get(path).status_code == 200, path
