"""The fan-out after a post: notifications for watchers and mentioned members, their
unread counts, and the emails, in batches, off the request (services defer these in
the post's transaction). Each job takes ids and can run twice without harm."""

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from kit.jobs import MAIL_RETRY, build_message
from kit.mail import EmailForMany, batched, send_over_one_connection
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
    unsubscribe_links,
)

# Recipients per email job: one SMTP connection and one rendering per kind.
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


# Members per transaction of notification rows and unread counts (one INSERT and
# one UPDATE each).
NOTIFY_BATCH = 2000

# One statement per batch: the rows, for those not told before (the unique
# constraint), and +1 on the unread count of exactly those, from the RETURNING.
INSERT_NOTIFICATIONS = """
WITH new AS (
    INSERT INTO network_notification
        (recipient_id, kind, actor_id, post_id, created_at)
    SELECT told.member_id, told.kind, %(actor_id)s, %(post_id)s, %(now)s
    FROM unnest(%(member_ids)s::bigint[], %(kinds)s::text[]) AS told(member_id, kind)
    ON CONFLICT (recipient_id, post_id) DO NOTHING
    RETURNING id, recipient_id
), counted AS (
    UPDATE network_member SET unread_notifications = unread_notifications + 1
    WHERE id IN (SELECT recipient_id FROM new)
)
SELECT id FROM new ORDER BY id
"""


@app.task(queue="notify", retry=RetryStrategy(max_attempts=8, exponential_wait=5))
def notify_post(
    *, post_id: int, new_thread: bool = False, mentions_only: bool = False
) -> None:
    """Tell each member who should know about this post, once, in the portal and
    (as they chose) by email; never anyone who cannot see it.

    Once per member and post (a unique constraint), so a second run, or an edit
    that names more members, tells only those not told before. Per batch of
    members: one query for who may see it, one statement for the rows and unread
    counts, one for who wants email; then email jobs of ``BATCH`` each.
    """
    post = Post.objects.select_related("thread__forum").filter(pk=post_id).first()
    if post is None:
        return  # deleted since
    thread = post.thread
    kinds = audience(post, new_thread=new_thread, mentions_only=mentions_only)
    recipients = Member.objects.approved()
    if thread.is_hidden or thread.forum.moderators_only or post.is_hidden:
        recipients = recipients.filter(pk__in=Member.objects.moderators().values("pk"))
    for batch in batched(sorted(kinds), NOTIFY_BATCH):
        with transaction.atomic():
            member_ids = list(
                recipients.filter(pk__in=batch)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            if not member_ids:
                continue
            with connection.cursor() as cursor:
                cursor.execute(
                    INSERT_NOTIFICATIONS,
                    {
                        "actor_id": post.author_id,
                        "post_id": post.pk,
                        "now": timezone.now(),
                        "member_ids": member_ids,
                        "kinds": [str(kinds[pk]) for pk in member_ids],
                    },
                )
                created = [row[0] for row in cursor.fetchall()]
            to_email = list(
                Notification.objects.filter(_wants_email(), pk__in=created)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            for ids in batched(to_email, BATCH):
                email_notifications.defer(notification_ids=ids)


def notification_emails(post: Post, kinds) -> dict[str, EmailForMany]:
    """The notification email about ``post``, rendered once per kind, with the
    recipient's name and unsubscribe link left to fill in."""
    context = {
        "post": post,
        "thread": post.thread,
        "post_url": settings.SITE_URL + post.get_absolute_url(),
        "settings_url": settings.SITE_URL + reverse("network:notification_settings"),
    }
    return {
        kind: EmailForMany(
            "network/forums/email/notification",
            {
                **context,
                "kind": kind,
                "kind_label": Notification.Kind(kind).label,
            },
            personal={
                "member": {"full_name": "name"},
                "unsubscribe_url": "unsubscribe_url",
            },
        )
        for kind in set(kinds)
    }


def notification_message(email: EmailForMany, *, member_id, address, name, kind):
    url, headers = unsubscribe_links(member_id, kind)
    subject, body, html = email.for_recipient(name=name, unsubscribe_url=url)
    return build_message(address, subject, body, html, headers)


@app.task(queue="email", retry=MAIL_RETRY)
def email_notifications(*, notification_ids: list[int]) -> None:
    """Email a batch of notifications over one SMTP connection, each exactly once.

    The batch's rows are locked (another run skips them) and each is stamped as
    sent once its message went out; when the server fails mid-batch, the ones sent
    are stamped and the retry sends only the rest. Three queries for the batch,
    however many recipients; the email is rendered once per kind.
    """
    error = None
    with transaction.atomic():
        claimed = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=notification_ids, emailed_at__isnull=True)
            .order_by("pk")
            .values_list(
                "pk",
                "post_id",
                "kind",
                "recipient_id",
                "recipient__email",
                "recipient__full_name",
            )
        )
        posts = Post.objects.select_related("thread__forum", "author").in_bulk(
            {row[1] for row in claimed}
        )
        emails = {
            post_id: notification_emails(
                post, [row[2] for row in claimed if row[1] == post_id]
            )
            for post_id, post in posts.items()
        }
        sent = []
        try:
            for pk in send_over_one_connection(
                (
                    pk,
                    notification_message(
                        emails[post_id][kind],
                        member_id=member_id,
                        address=address,
                        name=name,
                        kind=kind,
                    ),
                )
                for pk, post_id, kind, member_id, address, name in claimed
            ):
                sent.append(pk)
        except Exception as exc:  # noqa: BLE001 - stamp what went out, then fail
            error = exc
        Notification.objects.filter(pk__in=sent).update(emailed_at=timezone.now())
    if error:
        raise error


@app.task(queue="notify", retry=RetryStrategy(max_attempts=8, exponential_wait=5))
def recount_unread(*, member_ids: list[int]) -> None:
    """After a role change (network/signals.py): the unread counts of the members
    whose role changed, who now may see more or fewer notifications. A group's
    permissions reach every member of it, so this is a job, not part of the
    admin's request. Three queries however many members; running it twice is
    harmless."""
    recount_unread_notifications(member_ids)
