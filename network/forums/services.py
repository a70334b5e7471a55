"""Writes to discussions, each with its side effects (notifications, emails, the
moderation record). Views, admin actions and other apps all call these."""

import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from network.models import (
    Flag,
    Forum,
    Member,
    ModerationAction,
    Notification,
    NotificationSettings,
    Post,
    PostRevision,
    ReadMark,
    Subscription,
    Thread,
)
from network.models.forums import MODERATE_PERM, can_moderate
from portal import versions
from portal.mail import send_templated_email
from portal.markdown import render_markdown

from .mentions import link_mentions, mentioned_members
from .queries import VISIBLE_NOTIFICATION

UNSUBSCRIBE_SALT = "network.forums.unsubscribe"


class ThreadLocked(Exception):
    """The thread takes no replies."""


# --- Posting -----------------------------------------------------------------


def _render(body: str) -> tuple[str, list[Member]]:
    """Sanitised HTML for a post's Markdown, with mentions linked, and who it names."""
    members = mentioned_members(body)
    return str(render_markdown(link_mentions(body, members))), members


def _add_post(thread: Thread, *, author, body: str, quoted=None) -> tuple[Post, list]:
    # The row lock numbers posts in order when two members reply at once.
    locked = Thread.objects.select_for_update().get(pk=thread.pk)
    body_html, mentioned = _render(body)
    now = timezone.now()
    post = Post.objects.create(
        thread=locked,
        number=locked.post_count + 1,
        author=author,
        body=body,
        body_html=body_html,
        quoted=quoted if quoted and quoted.thread_id == thread.pk else None,
        created_at=now,
    )
    Thread.objects.filter(pk=thread.pk).update(
        post_count=F("post_count") + 1, last_post_at=now
    )
    thread.post_count = locked.post_count + 1
    thread.last_post_at = now
    # Posting in a thread watches it (a member who muted it stays muted), and the
    # author has read everything up to their own post.
    Subscription.objects.get_or_create(
        member=author, thread=thread, defaults={"level": Subscription.Level.WATCHING}
    )
    mark_read(author, thread, post.number)
    return post, mentioned


@transaction.atomic
def start_thread(
    forum: Forum,
    *,
    author,
    title: str,
    body: str,
    tags=(),
    is_question: bool = False,
    subject=None,
) -> Thread:
    """Open a thread with its first post and tell those who watch the forum."""
    thread = Thread(forum=forum, title=title, author=author, is_question=is_question)
    if subject is not None:
        thread.content_type = ContentType.objects.get_for_model(subject)
        thread.object_id = subject.pk
    thread.save()
    if tags:
        thread.tags.set(list(tags))
    post, mentioned = _add_post(thread, author=author, body=body)
    _notify(post, mentioned=mentioned, new_thread=True)
    return thread


@transaction.atomic
def post_reply(thread: Thread, *, author, body: str, quoted: Post | None = None):
    """Add a reply; refused when the thread is locked."""
    if Thread.objects.filter(pk=thread.pk, is_locked=True).exists():
        raise ThreadLocked
    post, mentioned = _add_post(thread, author=author, body=body, quoted=quoted)
    _notify(post, mentioned=mentioned, new_thread=False)
    return post


@transaction.atomic
def edit_post(post: Post, *, body: str) -> Post:
    """Change a post's text, keeping the earlier text for moderators.

    Members newly mentioned by the edit are told; those already told are not again.
    """
    if body == post.body:
        return post
    PostRevision.objects.create(post=post, body=post.body)
    post.body = body
    post.body_html, mentioned = _render(body)
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "body_html", "edited_at"])
    _notify(post, mentioned=mentioned, new_thread=False, mentions_only=True)
    return post


@transaction.atomic
def delete_post(post: Post) -> None:
    """The author removes their text; the post keeps its place in the thread."""
    if post.is_deleted:
        return
    PostRevision.objects.create(post=post, body=post.body)
    post.body = ""
    post.body_html = ""
    post.is_deleted = True
    post.is_answer = False
    post.save(update_fields=["body", "body_html", "is_deleted", "is_answer"])
    _refresh_has_answer(post.thread)


def may_retitle(user, thread: Thread) -> bool:
    """The thread's author while it is open, and moderators always."""
    if can_moderate(user):
        return True
    return user.pk == thread.author_id and not thread.is_locked


@transaction.atomic
def retitle_thread(thread: Thread, *, title: str, by) -> None:
    """A new title; a moderator's change to someone else's thread is recorded,
    with the old title as the reason."""
    old = thread.title
    if title == old:
        return
    thread.title = title
    thread.save(update_fields=["title"])
    if by.pk != thread.author_id:
        _record(thread, moderator=by, action="retitle", reason=f"Was: {old}")


def may_mark_answers(user, thread: Thread) -> bool:
    return thread.is_question and (user.pk == thread.author_id or can_moderate(user))


def set_helpful_answer(post: Post, *, by, helpful: bool = True) -> None:
    """Mark (or unmark) a reply as a helpful answer; a question may have several."""
    thread = post.thread
    if not may_mark_answers(by, thread) or post.number == 1 or post.is_deleted:
        return
    post.is_answer = helpful
    post.save(update_fields=["is_answer"])
    _refresh_has_answer(thread)


def _refresh_has_answer(thread: Thread) -> None:
    has = thread.posts.filter(is_answer=True).exists()
    if has != thread.has_answer:
        thread.has_answer = has
        Thread.objects.filter(pk=thread.pk).update(has_answer=has)
        versions.changed(versions.FORUMS)  # update() sends no signal


# --- Watching and reading ----------------------------------------------------


def _reading_changed(member) -> None:
    """What the member watches or has read changed: a new ``reading_token``, so
    their cached home page (watched threads with new posts) is made again."""
    Member.objects.filter(pk=member.pk).update(reading_token=secrets.randbits(62))


def set_subscription(member, *, level: str, thread=None, forum=None) -> None:
    """Watch, mute, or (level "") go back to normal for a thread or a forum."""
    lookup = {"member": member, "thread": thread, "forum": forum}
    if level in Subscription.Level.values:
        Subscription.objects.update_or_create(**lookup, defaults={"level": level})
    else:
        Subscription.objects.filter(**lookup).delete()
    _reading_changed(member)


def mark_read(member, thread: Thread, number: int) -> None:
    """Record that the member has read up to post ``number`` (never backwards)."""
    if not number:
        return
    updated = ReadMark.objects.filter(
        member=member, thread=thread, last_read_number__lt=number
    ).update(last_read_number=number, updated_at=timezone.now())
    if not updated:
        _, created = ReadMark.objects.get_or_create(
            member=member, thread=thread, defaults={"last_read_number": number}
        )
        if not created:
            return  # already read that far
    _reading_changed(member)


# --- Notifications -----------------------------------------------------------


def moderators():
    perm_q = Q(codename="moderate_forums", content_type__app_label="network")
    from django.contrib.auth.models import Permission

    perms = Permission.objects.filter(perm_q)
    return Member.objects.filter(
        Q(is_superuser=True)
        | Q(groups__permissions__in=perms)
        | Q(user_permissions__in=perms)
    )


def _notify(post: Post, *, mentioned, new_thread: bool, mentions_only=False) -> None:
    """Tell each member who should know about this post, once, in the portal and
    (as they chose) by email. Never the author; never anyone who cannot see it."""
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
    for member in mentioned:
        kinds[member.pk] = Notification.Kind.MENTION
    kinds.pop(post.author_id, None)
    if not kinds:
        return

    recipients = Member.objects.approved().filter(pk__in=kinds)
    if thread.is_hidden or thread.forum.moderators_only or post.is_hidden:
        recipients = recipients.filter(pk__in=moderators().values("pk"))
    # Once per member and post: an edit only tells members not told before.
    already = Notification.objects.filter(post=post).values("recipient_id")
    recipients = list(
        recipients.exclude(pk__in=already).select_related("notification_settings")
    )
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=member, kind=kinds[member.pk], actor=post.author, post=post
            )
            for member in recipients
        ],
        ignore_conflicts=True,
    )
    recount_unread_notifications([member.pk for member in recipients])
    to_email = [
        (member, kinds[member.pk])
        for member in recipients
        if _wants_email(member, kinds[member.pk])
    ]
    if to_email:
        _send_emails(post, to_email)


def _wants_email(member, kind: str) -> bool:
    try:
        prefs = member.notification_settings
    except NotificationSettings.DoesNotExist:
        return True
    return getattr(prefs, NotificationSettings.FIELD_FOR_KIND[kind])


def _send_emails(post: Post, to_email) -> None:
    for member, kind in to_email:
        unsubscribe_url = settings.SITE_URL + reverse(
            "network:notification_unsubscribe", args=[unsubscribe_token(member, kind)]
        )
        send_templated_email(
            "network/forums/email/notification",
            [member.email],
            {
                "member": member,
                "post": post,
                "thread": post.thread,
                "kind": kind,
                "kind_label": Notification.Kind(kind).label,
                "post_url": settings.SITE_URL + post.get_absolute_url(),
                "unsubscribe_url": unsubscribe_url,
                "settings_url": settings.SITE_URL
                + reverse("network:notification_settings"),
            },
            headers={
                "List-Unsubscribe": f"<{unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )


def unsubscribe_token(member, kind: str) -> str:
    return signing.dumps({"m": member.pk, "k": kind}, salt=UNSUBSCRIBE_SALT)


def unsubscribe(token: str):
    """Turn off one kind of email for the member the signed token names.

    Returns (member, kind), or raises signing.BadSignature for a tampered token.
    """
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    kind = data.get("k")
    field = NotificationSettings.FIELD_FOR_KIND.get(kind)
    member = Member.objects.filter(pk=data.get("m")).first()
    if field is None or member is None:
        raise signing.BadSignature("unknown member or kind")
    prefs, _ = NotificationSettings.objects.get_or_create(member=member)
    setattr(prefs, field, False)
    prefs.save(update_fields=[field])
    return member, kind


def mark_notifications_read(member, *, ids=None) -> int:
    unread = Notification.objects.filter(recipient=member, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    marked = unread.update(read_at=timezone.now())
    recount_unread_notifications([member.pk])
    return marked


def recount_unread_notifications(member_ids=None) -> None:
    """Set ``Member.unread_notifications`` (the navigation's count) to the unread
    notifications each member may still see; every member's when ``member_ids`` is
    None. Three queries, however many members."""
    members = Member.objects.all()
    if member_ids is not None:
        members = members.filter(pk__in=list(member_ids))
    moderator_ids = moderators().values("pk")

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


def recount_for_posts(posts) -> None:
    """Recount for everyone with an unread notification about one of ``posts``
    (a queryset), after those posts were hidden, shown or moved."""
    recipients = Notification.objects.filter(
        post__in=posts, read_at__isnull=True
    ).values_list("recipient_id", flat=True)
    recount_unread_notifications(set(recipients))


# --- Moderation --------------------------------------------------------------


def _record(thread, *, moderator, action: str, reason: str = "", post=None):
    ModerationAction.objects.create(
        thread=thread, post=post, moderator=moderator, action=action, reason=reason
    )


@transaction.atomic
def moderate_thread(
    thread: Thread, *, moderator, action: str, reason: str = "", forum=None
) -> None:
    """Pin, unpin, lock, unlock, hide, unhide or move a thread, keeping the reason."""
    changes = {
        "pin": {"is_pinned": True},
        "unpin": {"is_pinned": False},
        "lock": {"is_locked": True},
        "unlock": {"is_locked": False},
        "hide": {"is_hidden": True, "hidden_reason": reason},
        "unhide": {"is_hidden": False, "hidden_reason": ""},
        "move": {"forum": forum},
    }[action]
    if action == "move" and forum is None:
        raise ValueError("Moving a thread needs a forum.")
    for field, value in changes.items():
        setattr(thread, field, value)
    thread.save(update_fields=list(changes))
    _record(thread, moderator=moderator, action=action, reason=reason)


@transaction.atomic
def hide_post(post: Post, *, moderator, reason: str, hidden: bool = True) -> None:
    post.is_hidden = hidden
    post.hidden_reason = reason if hidden else ""
    post.save(update_fields=["is_hidden", "hidden_reason"])
    _record(
        post.thread,
        moderator=moderator,
        action="hide post" if hidden else "unhide post",
        reason=reason,
        post=post,
    )


def flag_post(post: Post, *, member, reason: str) -> Flag:
    """A member reports a post; it waits in the review queue (once per member)."""
    flag = Flag.objects.filter(post=post, flagged_by=member, resolved_at=None).first()
    if flag:
        return flag
    return Flag.objects.create(post=post, flagged_by=member, reason=reason)


@transaction.atomic
def resolve_flags(post: Post, *, moderator, hide: bool, reason: str = "") -> int:
    """Close every open flag on a post, hiding it or leaving it up."""
    if hide and not post.is_hidden:
        hide_post(post, moderator=moderator, reason=reason or "Flagged by members")
    return Flag.objects.filter(post=post, resolved_at=None).update(
        resolved_at=timezone.now(),
        resolved_by=moderator,
        resolution=("Hidden: " if hide else "Kept: ") + reason,
    )


# --- Discussion of another app's object ---------------------------------------

FORUM_FOR_APP = {"casestudies": "case-studies", "events": "events"}


def start_discussion_for(obj, *, started_by, title: str, body: str) -> Thread:
    """The thread discussing ``obj`` (a case study, an event...), started on first use.

    Idempotent: a second call, even a concurrent one, returns the same thread.
    """
    from .queries import discussion_for

    existing = discussion_for(obj)
    if existing:
        return existing
    app_label = obj._meta.app_label
    slug = FORUM_FOR_APP.get(app_label, "general")
    forum = (
        Forum.objects.filter(slug=slug).first()
        or Forum.objects.get_or_create(slug="general", defaults={"name": "General"})[0]
    )
    try:
        return start_thread(
            forum, author=started_by, title=title[:200], body=body, subject=obj
        )
    except IntegrityError:
        return discussion_for(obj)


__all__ = [
    "MODERATE_PERM",
    "ThreadLocked",
    "delete_post",
    "edit_post",
    "flag_post",
    "hide_post",
    "mark_notifications_read",
    "mark_read",
    "moderate_thread",
    "post_reply",
    "resolve_flags",
    "set_helpful_answer",
    "set_subscription",
    "start_discussion_for",
    "start_thread",
    "unsubscribe",
    "unsubscribe_token",
]
