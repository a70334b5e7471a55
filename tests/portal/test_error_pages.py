"""Branded error pages: 400, 403, 404 and 500 in the portal's own layout, in the
active language, and the 500 page made without the database or any context."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.portal.test_outage import database_down

pytestmark = pytest.mark.django_db

ERROR_URLS = pytest.mark.urls("tests.portal.error_urls")


def assert_branded(response, status, heading):
    assert response.status_code == status
    body = response.content.decode()
    assert re.search(r'<html lang="en-gb">', body)
    assert f'<h1 class="ds_page-header__title">{heading}</h1>' in body
    assert 'class="ds_site-branding__title">Scottish Cities Net Zero Network<' in body
    assert 'href="#main"' in body and 'id="main"' in body
    assert "Traceback" not in body and "Django" not in body
    return body


def test_an_unknown_address_gives_the_branded_404(client):
    assert_branded(client.get("/no-such-page/"), 404, "Page not found")


def test_a_page_beyond_the_members_role_gives_the_branded_403(member_client):
    response = member_client.get(reverse("network:audit_trail"))
    assert_branded(response, 403, "You cannot see this page")


def test_a_form_without_its_csrf_token_gives_the_branded_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "a@b.org"})
    assert_branded(response, 403, "Sorry, your form could not be sent")


def test_a_bad_host_gives_the_branded_400(client):
    response = client.get("/", HTTP_HOST="not-our-host.example")
    assert_branded(response, 400, "Sorry, the portal could not read that request")


@ERROR_URLS
def test_a_view_that_fails_gives_the_branded_500(settings):
    assert not settings.DEBUG  # as in production: Django's debug page is off
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    body = assert_branded(response, 500, "Sorry, there is a problem with the portal")
    assert "A bug in a view" not in body
    assert response["Cache-Control"] == "no-store"
    assert "default-src" in response["Content-Security-Policy"]


@ERROR_URLS
def test_the_500_page_needs_no_database():
    client = Client(raise_request_exception=False)
    with database_down():
        response = client.get("/broken/")
    assert_branded(response, 500, "Sorry, there is a problem with the portal")


@ERROR_URLS
def test_a_500_page_that_cannot_be_made_still_answers_plainly(settings):
    # A stylesheet missing from the collected files makes the template itself fail.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        },
    }
    settings.STATIC_ROOT = "/nonexistent-static-root"
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    assert (
        "<h1>Sorry, there is a problem with the portal</h1>"
        in response.content.decode()
    )
