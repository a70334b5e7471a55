"""Email from templates: one place that renders and sends every portal email."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def send_templated_email(
    template_prefix: str,
    to: Iterable[str],
    context: dict,
    *,
    headers: dict | None = None,
) -> None:
    """Send ``<prefix>_subject.txt`` and ``<prefix>_body.txt`` (and ``_body.html``
    when it exists) to each address separately, so no one sees the others."""
    context = {
        "site_url": settings.SITE_URL,
        "site_name": settings.SITE_NAME,
        **context,
    }
    subject = " ".join(
        render_to_string(f"{template_prefix}_subject.txt", context).split()
    )
    body = render_to_string(f"{template_prefix}_body.txt", context)
    for address in to:
        message = EmailMultiAlternatives(
            subject=f"[Net Zero Network] {subject}",
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            headers=headers or {},
        )
        message.send()
