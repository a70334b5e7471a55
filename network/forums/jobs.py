"""The fan-out after a post: notifications for watchers and mentioned members, their
unread counts, and the emails, in batches, off the request (services defer these in
the post's transaction). Each job takes ids and can run twice without harm."""

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from kit.jobs import MAIL_RETRY, build_message
from kit.mail import batched, render_email, send_over_one_connection
from network.models import (
    Member,
    Notification,
    NotificationSettings,
    Post,
    Subscription,
)

from .mentions import mentioned_members
from .notifications import (
    recount_unread_notifications,
    unsubscribe_headers,
    unsubscribe_url,
)

# Members per batch: one transaction of notifications and recounts, and one email
# job (one SMTP connection) for those of them who want email.
BATCH = 500


def audience(post: Post, *, new_thread: bool, mentions_only: bool) -> dict[int, str]:
    """{member id: notification kind} for everyone who should hear about the post,
    before the visibility and approval checks. Never the author."""
    thread = post.thread
    kinds: dict[int, str] = {}
    if not mentions_only:
        thread_subs = dict(
            Subscription.objects.filter(thread=thread).values_list("member_id", "level")
        )
        forum_watchers = Subscription.objects.filter(
            forum_id=thread.forum_id, level=Subscription.Level.WATCHING
        ).values_list("member_id", flat=True)
        forum_kind = (
            Notification.Kind.NEW_THREAD if new_thread else Notification.Kind.REPLY
        )
        for member_id in forum_watchers:
            if thread_subs.get(member_id) != Subscription.Level.MUTED:
                kinds[member_id] = forum_kind
        for member_id, level in thread_subs.items():
            if level == Subscription.Level.WATCHING:
                kinds[member_id] = Notification.Kind.REPLY
    # A mention is addressed to the member, so it reaches them even in a muted thread.
    if not post.is_deleted:
        for member in mentioned_members(post.body):
            kinds[member.pk] = Notification.Kind.MENTION
    kinds.pop(post.author_id, None)
    return kinds


def _wants_email() -> Q:
    """Notifications whose recipient has that kind of email on (on by default)."""
    wants = Q()
    for kind, field in NotificationSettings.FIELD_FOR_KIND.items():
        wants |= Q(kind=kind) & (
            Q(recipient__notification_settings__isnull=True)
            | Q(**{f"recipient__notification_settings__{field}": True})
        )
    return wants


@app.task(queue="notify", retry=RetryStrategy(max_attempts=8, exponential_wait=5))
def notify_post(
    *, post_id: int, new_thread: bool = False, mentions_only: bool = False
) -> None:
    """Tell each member who should know about this post, once, in the portal and
    (as they chose) by email; never anyone who cannot see it.

    Once per member and post (a unique constraint), so a second run, or an edit
    that names more members, tells only those not told before.
    """
    post = Post.objects.select_related("thread__forum").filter(pk=post_id).first()
    if post is None:
        return  # deleted since
    thread = post.thread
    kinds = audience(post, new_thread=new_thread, mentions_only=mentions_only)
    recipients = Member.objects.approved()
    if thread.is_hidden or thread.forum.moderators_only or post.is_hidden:
        recipients = recipients.filter(pk__in=Member.objects.moderators().values("pk"))
    for batch in batched(sorted(kinds), BATCH):
        with transaction.atomic():
            member_ids = list(
                recipients.filter(pk__in=batch)
                .exclude(notifications__post=post)
                .values_list("pk", flat=True)
            )
            Notification.objects.bulk_create(
                [
                    Notification(
                        recipient_id=member_id,
                        kind=kinds[member_id],
                        actor_id=post.author_id,
                        post=post,
                    )
                    for member_id in member_ids
                ],
                ignore_conflicts=True,
            )
            recount_unread_notifications(member_ids)
            to_email = list(
                Notification.objects.filter(
                    _wants_email(),
                    post=post,
                    recipient_id__in=member_ids,
                    emailed_at__isnull=True,
                ).values_list("pk", flat=True)
            )
            if to_email:
                email_notifications.defer(notification_ids=to_email)


def notification_message(notification: Notification):
    member, post = notification.recipient, notification.post
    kind = notification.kind
    url = unsubscribe_url(member, kind)
    subject, body, html = render_email(
        "network/forums/email/notification",
        {
            "member": member,
            "post": post,
            "thread": post.thread,
            "kind": kind,
            "kind_label": Notification.Kind(kind).label,
            "post_url": settings.SITE_URL + post.get_absolute_url(),
            "unsubscribe_url": url,
            "settings_url": settings.SITE_URL
            + reverse("network:notification_settings"),
        },
    )
    return build_message(
        member.email, subject, body, html, unsubscribe_headers(member, kind)
    )


@app.task(queue="email", retry=MAIL_RETRY)
def email_notifications(*, notification_ids: list[int]) -> None:
    """Email a batch of notifications over one SMTP connection, each exactly once.

    The batch's rows are locked (another run skips them) and each is stamped as
    sent once its message went out; when the server fails mid-batch, the ones sent
    are stamped and the retry sends only the rest.
    """
    error = None
    with transaction.atomic():
        claimed = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=notification_ids, emailed_at__isnull=True)
            .select_related("recipient", "post__thread__forum", "post__author")
            .order_by("pk")
        )
        sent = []
        try:
            for pk in send_over_one_connection(
                (n.pk, notification_message(n)) for n in claimed
            ):
                sent.append(pk)
        except Exception as exc:  # noqa: BLE001 - stamp what went out, then fail
            error = exc
        Notification.objects.filter(pk__in=sent).update(emailed_at=timezone.now())
    if error:
        raise error
