"""/healthz/: the truth about the database and the job queue, for anyone, no data."""

import pytest
from django.db import connection
from django.db.utils import load_backend
from django.urls import reverse

from kit.jobs import send_email
from portal import health

pytestmark = pytest.mark.django_db


def test_healthz_counts_waiting_and_failed_jobs(client):
    assert client.get(reverse("healthz")).json() == {
        "database": "ok",
        "queue": {"waiting": 0, "failed": 0, "oldest_waiting_s": 0},
    }
    send_email.defer(to="a@example.org", subject="s", body="b")
    send_email.defer(to="b@example.org", subject="s", body="b")
    connection.cursor().execute(
        "UPDATE procrastinate_jobs SET status = 'failed' WHERE id = "
        "(SELECT min(id) FROM procrastinate_jobs)"
    )
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert response.json()["queue"]["waiting"] == 1
    assert response.json()["queue"]["failed"] == 1


def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    # A real connection attempt to a port where no database listens.
    settings_dict = {**connection.settings_dict, "HOST": "127.0.0.1", "PORT": "9"}
    dead = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict)
    monkeypatch.setattr(health, "connection", dead)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"database": "unavailable"}
