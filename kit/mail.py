"""Email from templates: one place that renders and sends every portal email."""

import re
import secrets
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core.mail import get_connection
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape, urlize

from kit.jobs import send_email

SUBJECT_PREFIX = "[Net Zero Network] "


def render_email(template_prefix: str, context: dict) -> tuple[str, str, str]:
    """(subject, text, html) from ``<prefix>_subject.txt`` and ``<prefix>_body.txt``.

    The body template extends ``email_base``: rendered once with email/base.txt
    (the plain-text part) and once with email/base.html (the HTML part), so every
    email has both, with the network's name, why the member gets it and a link to
    their email choices. A ``<prefix>_body.html`` (extending email/base.html), when
    there is one, is the HTML part instead.

    Always in the portal's own language, not the sender's: an email rendered while
    a coordinator reads the portal in Gaelic goes to members who may not read it
    (members choose no email language yet, and the Gaelic catalogue covers pages).
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _render_email(template_prefix, context)


def _render_email(template_prefix: str, context: dict) -> tuple[str, str, str]:
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


# A value that reads the same in the text part, escaped in the HTML part and as a
# link made by urlize: letters, digits and the characters of a signed token's URL.
PLAIN_URL = re.compile(r"https?://[A-Za-z0-9.:_/-]+/")


class EmailForMany:
    """One email rendered once for a whole batch of recipients, with a placeholder
    where each recipient's own values go (say their name and unsubscribe link);
    ``for_recipient`` puts one recipient's values in by string replacement, so a
    batch of 500 costs one template rendering, not 500.

    ``personal`` maps each context key to a dict of placeholders the template reads
    (``{"member": {"full_name": "name"}}``: ``{{ member.full_name }}`` is the value
    called "name"). A name ending in ``_url`` is a link (urlized in the HTML part).
    The output is the same as ``render_email`` with the real values; a value that
    would not come out the same way (a name that urlize would turn into a link, or
    anything with a line break) is rendered on its own, the slow way.
    """

    def __init__(self, template_prefix: str, context: dict, personal: dict):
        nonce = secrets.token_hex(8)  # unguessable: a post cannot contain it
        self.tokens: dict[str, str] = {}

        def placeholders(value):
            if isinstance(value, dict):
                return {key: placeholders(name) for key, name in value.items()}
            token = f"zq{nonce}{len(self.tokens)}qz"
            if value.endswith("_url"):
                token = f"{settings.SITE_URL}/{token}/"
            self.tokens[value] = token
            return token

        self.template_prefix, self.personal = template_prefix, personal
        self.context = context
        rendered_context = {
            **context,
            **{key: placeholders(names) for key, names in personal.items()},
        }
        self.subject, self.text, self.html = render_email(
            template_prefix, rendered_context
        )

    def _plain(self, name: str, value: str) -> bool:
        if name.endswith("_url"):
            return bool(PLAIN_URL.fullmatch(value))
        return (
            "\n" not in value and "\r" not in value and urlize(value) == escape(value)
        )

    def for_recipient(self, **values: str) -> tuple[str, str, str]:
        """(subject, text, html) for one recipient's values."""
        if not all(self._plain(name, value) for name, value in values.items()):
            return render_email(self.template_prefix, self._real_context(values))
        subject, text, html = self.subject, self.text, self.html
        for name, value in values.items():
            token = self.tokens[name]
            subject = subject.replace(token, value)
            text = text.replace(token, value)
            html = html.replace(token, escape(value))
        return subject, text, html

    def _real_context(self, values: dict) -> dict:
        def fill(names):
            if isinstance(names, dict):
                return {key: fill(name) for key, name in names.items()}
            return values[names]

        return {
            **self.context,
            **{key: fill(names) for key, names in self.personal.items()},
        }


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
    before an error. (One ``send_messages`` call for the whole list would not say
    which went out before a failure.)"""
    with get_connection() as connection:
        for key, message in messages:
            message.connection = connection
            if connection.send_messages([message]):
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
