"""What the services and the fan-out job share about notifications: the
navigation's unread count and the signed unsubscribe link."""

import functools

from django.conf import settings
from django.core import signing
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from network.models import Member, Notification

from .queries import VISIBLE_NOTIFICATION

UNSUBSCRIBE_SALT = "network.forums.unsubscribe"


def recount_unread_notifications(member_ids=None) -> None:
    """Set ``Member.unread_notifications`` (the navigation's count) to the unread
    notifications each member may still see; every member's when ``member_ids`` is
    None. Three queries, however many members."""
    members = Member.objects.all()
    if member_ids is not None:
        members = members.filter(pk__in=list(member_ids))
    moderator_ids = Member.objects.moderators().values("pk")

    def unread(visible: Q):
        return Coalesce(
            Subquery(
                Notification.objects.filter(
                    visible, recipient=OuterRef("pk"), read_at__isnull=True
                )
                .order_by()
                .values("recipient")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        )

    members.exclude(pk__in=moderator_ids).update(
        unread_notifications=unread(VISIBLE_NOTIFICATION)
    )
    members.filter(pk__in=moderator_ids).update(unread_notifications=unread(Q()))


def unsubscribe_token(member, kind: str) -> str:
    """Signed per member and kind: it turns off that one kind of email only."""
    return _token(member.pk, kind)


def _token(member_id: int, kind: str) -> str:
    return signing.dumps({"m": member_id, "k": kind}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(member, kind: str) -> str:
    """The link in the email's text: a page with one button (a GET changes nothing)."""
    return settings.SITE_URL + reverse(
        "network:notification_unsubscribe", args=[unsubscribe_token(member, kind)]
    )


def unsubscribe_headers(member, kind: str) -> dict:
    """RFC 8058: mail clients offer "unsubscribe" and POST to the address themselves,
    with no session; the signed token names the member and the kind."""
    url = settings.SITE_URL + reverse(
        "network:notification_unsubscribe_one_click",
        args=[unsubscribe_token(member, kind)],
    )
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


_TOKEN = "token-goes-here"


@functools.cache
def _unsubscribe_paths() -> tuple[str, str]:
    """The two paths with a stand-in for the token, reversed once per process: a
    signed token's characters (letters, digits, "-", "_", ":") come out of
    ``reverse`` unchanged, so putting the token in by replacement is the same."""
    return tuple(
        reverse(name, args=[_TOKEN])
        for name in (
            "network:notification_unsubscribe",
            "network:notification_unsubscribe_one_click",
        )
    )


def unsubscribe_links(member_id: int, kind: str) -> tuple[str, dict]:
    """``unsubscribe_url`` and ``unsubscribe_headers`` from one signing, by id (a
    batch job has the ids, not the members)."""
    token = _token(member_id, kind)
    page, one_click = (path.replace(_TOKEN, token) for path in _unsubscribe_paths())
    return settings.SITE_URL + page, {
        "List-Unsubscribe": f"<{settings.SITE_URL}{one_click}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
