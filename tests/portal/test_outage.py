"""A database that does not answer: every page says so with a 503 and the branded
page, never a 500 or a traceback, and answers again once the database is back."""

from contextlib import contextmanager

import pytest
from django.db import connections
from django.db.utils import load_backend
from django.test import Client

pytestmark = pytest.mark.django_db


@contextmanager
def database_down():
    """The portal's connection pointed at a port where no database listens: a real
    connection attempt, refused. The real connection is back afterwards."""
    real = connections["default"]
    settings_dict = {**real.settings_dict, "HOST": "127.0.0.1", "PORT": "9"}
    connections["default"] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(
        settings_dict
    )
    try:
        yield
    finally:
        connections["default"].close()
        connections["default"] = real


def assert_branded_503(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert (
        '<h1 class="ds_page-header__title">'
        "Sorry, the portal is unavailable for a moment</h1>"
    ) in body
    assert "Nothing you saved before this page has been lost" in body
    assert "Traceback" not in body and "OperationalError" not in body


def test_a_public_page_answers_503_when_the_database_is_down():
    # The page's own queries fail (in the view).
    with database_down():
        assert_branded_503(Client(raise_request_exception=False).get("/"))


def test_a_signed_in_member_gets_503_and_the_page_again_when_it_is_back(member):
    client = Client(raise_request_exception=False)
    client.force_login(member)
    assert client.get("/home/").status_code == 200
    with database_down():
        # The session and the member are read before any view (in middleware).
        assert_branded_503(client.get("/home/"))
        # A form sent during the outage is refused the same way, not half-saved.
        assert_branded_503(client.post("/search/", {"q": "heat"}))
    # Back: the same session works again, nothing restarted.
    response = client.get("/home/")
    assert response.status_code == 200
    assert "Sign out" in response.content.decode()
