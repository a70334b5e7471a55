"""Factories for discussions: valid defaults, any field overridable."""

import itertools

from django.utils.text import slugify

from network.forums import services
from network.models import Forum

_ids = itertools.count(1)


def make_forum(**fields) -> Forum:
    n = next(_ids)
    fields.setdefault("name", f"Test forum {n}")
    fields.setdefault("slug", slugify(fields["name"]))
    return Forum.objects.create(**fields)


def make_thread(*, forum=None, author, title=None, body="Opening post.", **kwargs):
    n = next(_ids)
    return services.start_thread(
        forum or make_forum(),
        author=author,
        title=title or f"Thread {n}",
        body=body,
        **kwargs,
    )


def make_reply(thread, *, author, body="A reply.", **kwargs):
    return services.post_reply(thread, author=author, body=body, **kwargs)
