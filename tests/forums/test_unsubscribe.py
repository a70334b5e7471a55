"""Unsubscribing from notification email: the link in the email opens a page with
one button (a GET changes nothing: mail systems' link scanners open every link),
and mail clients' RFC 8058 one-click POST needs no session, only the signed token."""

import re

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from network.forums import services
from network.forums.notifications import UNSUBSCRIBE_SALT as SALT
from network.models import Notification, NotificationSettings
from tests.forums.factories import make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def mention_email(member, other_member, jobs):
    """The email telling ``other_member`` (@oscar.other) they were mentioned."""
    with jobs:
        make_thread(author=member, body="@oscar.other look")
    (message,) = mail.outbox
    mail.outbox.clear()
    return message


def page_link(message):
    return re.search(r"http\S+/notifications/unsubscribe/\S+/", message.body)[0]


def mention_email_on(member) -> bool:
    prefs = NotificationSettings.objects.filter(member=member).first()
    return prefs is None or prefs.email_mention


def test_the_email_carries_one_click_headers_with_absolute_links(
    mention_email, settings
):
    headers = mention_email.extra_headers
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = headers["List-Unsubscribe"]
    assert link.startswith(f"<{settings.SITE_URL}/") and link.endswith("/one-click/>")
    assert page_link(mention_email).startswith(settings.SITE_URL)
    # The headers survive into the message as sent.
    sent = mention_email.message()
    assert sent["List-Unsubscribe"] == link


def test_opening_the_link_changes_nothing(mention_email, other_member, settings):
    page = page_link(mention_email)
    one_click = mention_email.extra_headers["List-Unsubscribe"].strip("<>")
    visitor = Client()
    response = visitor.get(page)
    assertContains(response, "Unsubscribe from this email?")
    assertContains(response, '<button class="ds_button" type="submit">')
    # An older client opening the header's address in a browser gets the same page.
    response = visitor.get(one_click)
    assert response["Location"] == page.removeprefix(settings.SITE_URL)
    assert mention_email_on(other_member)


def test_the_button_unsubscribes_signed_out_from_that_kind_only(
    mention_email, member, other_member, jobs
):
    page = page_link(mention_email)
    visitor = Client(enforce_csrf_checks=True)
    form = visitor.get(page)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)[1]
    response = visitor.post(page, {"csrfmiddlewaretoken": token})
    assertContains(response, "You are unsubscribed")
    prefs = NotificationSettings.objects.get(member=other_member)
    assert not prefs.email_mention
    assert prefs.email_reply and prefs.email_new_thread
    with jobs:
        make_thread(author=member, body="@oscar.other again")
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=other_member).count() == 2


def test_one_click_post_needs_no_session_or_csrf_token(mention_email, other_member):
    one_click = mention_email.extra_headers["List-Unsubscribe"].strip("<>")
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(one_click, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not mention_email_on(other_member)


def test_one_click_without_its_body_changes_nothing(mention_email, other_member):
    one_click = mention_email.extra_headers["List-Unsubscribe"].strip("<>")
    response = Client(enforce_csrf_checks=True).post(one_click, {})
    assert response.status_code == 400
    assertContains(response, "not valid", status_code=400)
    assert mention_email_on(other_member)


def test_a_tampered_token_is_refused_with_a_clear_page(client, other_member):
    token = services.unsubscribe_token(other_member, "reply")
    head = token.split(":")[0]
    tampered = token.replace(head, head[:-2] + "xx")
    # Signed right, but naming no kind of email, or a member who is gone.
    other_kind = signing.dumps({"m": other_member.pk, "k": "nothing"}, salt=SALT)
    no_member = signing.dumps({"m": 0, "k": "reply"}, salt=SALT)
    for bad in [tampered, "sample", token + "x", other_kind, no_member]:
        for name in [
            "network:notification_unsubscribe",
            "network:notification_unsubscribe_one_click",
        ]:
            url = reverse(name, args=[bad])
            response = client.post(url, {"List-Unsubscribe": "One-Click"})
            assertContains(
                response, "This unsubscribe link is not valid", status_code=400
            )
        response = client.get(reverse("network:notification_unsubscribe", args=[bad]))
        assertContains(response, "Nothing was changed", status_code=400)
    assert not NotificationSettings.objects.filter(member=other_member).exists()
