"""allauth's emails (confirm the address, reset the password, the account already
exists, no such account) are the portal's own: its words, the network's name rather
than the host's, links from SITE_URL, both parts, and sent by a job, never in the
request."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from network.adapters import AccountAdapter
from tests.factories import make_member
from tests.network.test_membership import SIGNUP, sign_up

pytestmark = pytest.mark.django_db

SEND = "portal.jobs.send_email"


def delivered(jobs, expected_to):
    """Run the queue; the one message it sent, checked for the portal's look."""
    assert mail.outbox == []
    assert len(jobs.waiting(SEND)) == 1
    jobs.run()
    (message,) = mail.outbox
    assert message.to == [expected_to]
    assert settings.SITE_NAME in message.subject
    assert settings.SITE_NAME in message.body
    assert "example.com" not in message.subject + message.body
    ((html, _),) = message.alternatives
    assert settings.SITE_NAME in html
    return message


def link_in(message, path_start):
    url = re.search(rf"https?://\S+{re.escape(path_start)}\S*", message.body)[0]
    assert url.startswith(settings.SITE_URL)
    return url.removeprefix(settings.SITE_URL)


def test_sign_up_queues_the_confirmation_in_the_portal_s_words(client, jobs):
    response = sign_up(client)
    assert response.status_code == 302
    message = delivered(jobs, SIGNUP["email"])
    assert message.subject.endswith(
        f"Confirm your email address for {settings.SITE_NAME}"
    )
    assert message.body.startswith("Dear Alex MacDonald,")
    path = link_in(message, "/accounts/confirm-email/")
    assert client.post(path).status_code == 302  # the link confirms the address


def test_password_reset_queues_a_working_link(client, jobs):
    member = make_member(email="reset.me@glasgow.gov.uk", full_name="Rhona Reid")
    response = client.post(reverse("account_reset_password"), {"email": member.email})
    assert response["Location"] == reverse("account_reset_password_done")
    message = delivered(jobs, member.email)
    assert "Reset your" in message.subject
    assert message.body.startswith("Dear Rhona Reid,")
    path = link_in(message, "/accounts/password/reset/key/")
    # allauth swaps the key for a session and shows the new-password form.
    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert b'name="password1"' in response.content


def test_registering_a_known_address_queues_account_already_exists(client, jobs):
    make_member(email=SIGNUP["email"])
    sign_up(client)
    message = delivered(jobs, SIGNUP["email"])
    assert "already has an account" in message.body
    assert link_in(message, "/accounts/password/reset/") == reverse(
        "account_reset_password"
    )


def test_reset_for_an_unknown_address_queues_no_such_account(client, jobs):
    client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    message = delivered(jobs, "nobody@example.org")
    assert "no account uses this address" in message.body


def test_an_email_the_portal_has_no_words_for_is_still_queued(rf, jobs):
    from allauth.core import context

    request = rf.get("/")
    with context.request_context(request):
        AccountAdapter(request).send_mail(
            "account/email/login_code", "someone@example.org", {"code": "ABC123"}
        )
    assert mail.outbox == []
    jobs.run()
    (message,) = mail.outbox
    assert "ABC123" in message.body
