"""Email from templates: one place that renders and sends every portal email."""

from collections.abc import Iterable

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

from portal.jobs import send_email


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
    never the page, and loses nothing (portal/jobs.py retries).
    """
    context = {
        "site_url": settings.SITE_URL,
        "site_name": settings.SITE_NAME,
        **context,
    }
    subject = " ".join(
        render_to_string(f"{template_prefix}_subject.txt", context).split()
    )
    body = render_to_string(f"{template_prefix}_body.txt", context)
    try:
        html = render_to_string(f"{template_prefix}_body.html", context)
    except TemplateDoesNotExist:
        html = ""
    for address in to:
        send_email.defer(
            to=address,
            subject=f"[Net Zero Network] {subject}",
            body=body,
            html=html,
            headers=headers or {},
        )
