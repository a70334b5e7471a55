"""A mail server that accepts connections and never answers does not hold a page:
the form's change is saved and its email waits in the queue, while the request
never touches the mail server."""

import socket
import threading
import time

import pytest
from django.core.mail import get_connection
from django.urls import reverse
from procrastinate.contrib.django.models import ProcrastinateJob

from events.models import Registration
from tests.conftest import client_for
from tests.events.factories import make_event
from tests.factories import make_member

pytestmark = pytest.mark.django_db(transaction=True)


class HungSMTPServer:
    """A TCP server on a free local port that accepts every connection and then
    says nothing, like a mail server stuck behind a firewall."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.accepted = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)

    def serve(self):
        self.socket.settimeout(0.1)
        while not self.stop.is_set():
            try:
                conn, _ = self.socket.accept()
            except TimeoutError:
                continue
            self.accepted.append(conn)  # held open, never answered

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_):
        self.stop.set()
        self.thread.join()
        for conn in self.accepted:
            conn.close()
        self.socket.close()


@pytest.fixture
def hung_smtp(settings):
    with HungSMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = False
        yield server


def test_the_server_really_hangs(hung_smtp, settings):
    """The check below means something: talking to this server does hang, until
    EMAIL_TIMEOUT gives up."""
    settings.EMAIL_TIMEOUT = 0.5
    # smtplib's errors are OSErrors, which the email job retries (kit/jobs.py).
    with pytest.raises(OSError, match="timed out"):
        get_connection().open()
    assert len(hung_smtp.accepted) == 1


def test_registering_for_an_event_answers_and_queues_the_email(hung_smtp, settings):
    member = make_member(email="quick@stirling.gov.uk")
    event = make_event(title="Heat forum")
    client = client_for(member)

    started = time.monotonic()
    response = client.post(reverse("events:register", args=[event.pk]), {})
    # Sending in the request would wait EMAIL_TIMEOUT (10 s) on this server.
    assert settings.EMAIL_TIMEOUT >= 10
    assert time.monotonic() - started < 5

    assert response.status_code == 302
    registration = Registration.objects.get(event=event, member=member)
    assert registration.status == Registration.Status.CONFIRMED
    waiting = ProcrastinateJob.objects.filter(
        task_name="portal.jobs.send_email", status="todo"
    )
    assert [job.args["to"] for job in waiting] == [member.email]
    # The request never opened a connection to the mail server: the worker will.
    assert hung_smtp.accepted == []
    # And the next page answers too.
    assert client.get(reverse("events:detail", args=[event.pk])).status_code == 200
