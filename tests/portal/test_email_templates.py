"""Every email the portal sends has a plain-text and an HTML part from one template
(the body extends ``email_base``), both with the network's name, why the member
gets it and a link to their email choices."""

import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from kit.mail import render_email
from tests.forums.factories import make_thread

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
PREFIXES = sorted(
    str(path.relative_to(TEMPLATES)).removesuffix("_subject.txt")
    for path in TEMPLATES.glob("**/email/*_subject.txt")
)


def sample(**fields):
    return SimpleNamespace(pk=1, get_absolute_url="/sample/", **fields)


def sample_context() -> dict:
    """Enough of every email's context to render it; names that an email does not
    use are ignored, and a missing one renders empty (which the checks catch only
    through the parts every email must have)."""
    when = datetime.datetime(2026, 5, 4, 10, 0, tzinfo=datetime.UTC)
    person = sample(full_name="Ann O'Brien <script>", email="ann@example.org")
    return {
        "member": person,
        "reviewer": person,
        "submitted_by": person,
        "sent_by": person,
        "case_study": sample(title="Dundee heat network"),
        "event": sample(title="Heat forum", starts_at=when, has_online_part=True),
        "registration": sample(member=person),
        "cohort": sample(name="Spring cohort", sessions=sample(all=list)),
        "enrolment": sample(status="confirmed"),
        "evidence": sample(
            enrolment_id=1, certificate_number="CL-1", certified_on=when
        ),
        "token": "sample-token",
        "expires": when,
        "days": 30,
        "months": 3,
        "message": sample(author=person),
        "conversation": sample(subject="Tariffs"),
        "post": sample(author=person, body="A reply"),
        "thread": sample(title="Tariffs", forum="Heat"),
        "kind": "reply",
        "kind_label": "Replies",
        "post_url": "https://example.org/post/",
        "unsubscribe_url": "https://example.org/unsubscribe/",
        "comments": "More detail, please.",
        "body": "Bring a laptop.",
        "subject": "Heat forum",
        # allauth's
        "user": person,
        "email": "ann@example.org",
        "activate_url": "https://example.org/accounts/confirm-email/key/",
        "password_reset_url": "https://example.org/accounts/password/reset/key/",
        "change": "Your password was changed.",
        "ip": "192.0.2.1",
        "timestamp": when,
    }


def test_the_walk_finds_the_emails():
    assert len(PREFIXES) >= 20
    assert "network/forums/email/notification" in PREFIXES
    assert "account/email/email_confirmation_signup" in PREFIXES


@pytest.mark.parametrize("prefix", PREFIXES)
def test_every_email_has_a_text_and_an_html_part_from_one_template(prefix):
    subject, text, html = render_email(prefix, sample_context())
    settings_url = settings.SITE_URL + reverse("network:notification_settings")
    assert subject.strip() and "\n" not in subject
    assert "&#x27;" not in subject + text and "&amp;" not in subject + text
    for part in (text, html):
        assert settings.SITE_NAME in part
        assert "You receive this email because" in part
    assert f"Your email choices: {settings_url}" in text
    assert not text.lstrip().startswith("<")
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert f'<a href="{settings_url}"' in html
    # Member-written text is escaped in the HTML part, never markup.
    assert "<script>" not in html


def test_a_sent_email_carries_both_parts(member, other_member, jobs):
    with jobs:
        make_thread(author=member, body="@oscar.other see https://example.org/a?b=1")
    (message,) = mail.outbox
    assert message.body.startswith(f"Dear {other_member.full_name},")
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert '<a href="https://example.org/a?b=1"' in html
    assert settings.SITE_NAME in html and settings.SITE_NAME in message.body
