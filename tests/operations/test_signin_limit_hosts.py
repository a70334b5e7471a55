"""Failed sign-ins count per account whichever name or host the portal was reached
by: app hosts behind one proxy, or the several names in DJANGO_ALLOWED_HOSTS."""

import pytest
from django.test import Client

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(host, email, password):
    return Client(HTTP_HOST=host).post(
        "/accounts/login/", {"login": email, "password": password}
    )


def test_failures_through_two_host_names_lock_the_account(settings, member):
    settings.ALLOWED_HOSTS = ["netzero.example.org", "app2.internal"]
    for attempt in range(5):
        host = "netzero.example.org" if attempt % 2 == 0 else "app2.internal"
        assert sign_in(host, member.email, f"wrong {attempt}").status_code == 200
    response = sign_in("app2.internal", member.email, PASSWORD)
    assert response.status_code == 200
    assert "too many failed sign-in attempts" in response.content.decode()


def test_the_count_ignores_the_case_of_the_address(settings, member):
    for attempt in range(5):
        sign_in("testserver", member.email.upper(), f"wrong {attempt}")
    response = sign_in("testserver", member.email, PASSWORD)
    assert "too many failed sign-in attempts" in response.content.decode()
