"""Email from templates: one place that renders and sends every portal email."""

from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core.mail import get_connection
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse

from kit.jobs import send_email

SUBJECT_PREFIX = "[Net Zero Network] "


def render_email(template_prefix: str, context: dict) -> tuple[str, str, str]:
    """(subject, text, html) from ``<prefix>_subject.txt`` and ``<prefix>_body.txt``.

    The body template extends ``email_base``: rendered once with email/base.txt
    (the plain-text part) and once with email/base.html (the HTML part), so every
    email has both, with the network's name, why the member gets it and a link to
    their email choices. A ``<prefix>_body.html`` (extending email/base.html), when
    there is one, is the HTML part instead.
    """
    context = {
        "site_url": settings.SITE_URL,
        "site_name": settings.SITE_NAME,
        "settings_url": settings.SITE_URL + reverse("network:notification_settings"),
        **context,
    }
    subject = " ".join(
        render_to_string(f"{template_prefix}_subject.txt", context).split()
    )
    body = render_to_string(
        f"{template_prefix}_body.txt", {**context, "email_base": "email/base.txt"}
    )
    html_context = {**context, "email_base": "email/base.html"}
    try:
        html = render_to_string(f"{template_prefix}_body.html", html_context)
    except TemplateDoesNotExist:
        html = render_to_string(f"{template_prefix}_body.txt", html_context)
    return SUBJECT_PREFIX + subject, body, html


def batched(items: Iterable, size: int) -> Iterator[list]:
    """Lists of ``size`` items (the last may be shorter); itertools.batched is 3.12."""
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def send_over_one_connection(messages: Iterable[tuple]) -> Iterator:
    """Send (key, message) pairs in turn over one SMTP connection, yielding each
    key once its message is sent, so a batch job can record exactly which went out
    before an error."""
    with get_connection() as connection:
        for key, message in messages:
            message.connection = connection
            message.send()
            yield key


def send_templated_email(
    template_prefix: str,
    to: Iterable[str],
    context: dict,
    *,
    headers: dict | None = None,
) -> None:
    """Render ``<prefix>_subject.txt`` and ``<prefix>_body.txt`` (and ``_body.html``
    when it exists) now, and queue one message to each address separately, so no
    one sees the others.

    The messages are jobs deferred in the caller's transaction: a change that rolls
    back sends nothing, and a mail server that is down or silent delays the email,
    never the page, and loses nothing (kit/jobs.py retries).
    """
    subject, body, html = render_email(template_prefix, context)
    for address in to:
        send_email.defer(
            to=address, subject=subject, body=body, html=html, headers=headers or {}
        )
