"""Writes to discussions, each with its side effects (notifications, emails, the
moderation record). Views, admin actions and other apps all call these."""

import secrets
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from kit import versions
from kit.markdown import render_markdown
from network.audit.services import Action, record
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

from .jobs import notify_post
from .mentions import link_mentions, mentioned_members
from .notifications import (
    UNSUBSCRIBE_SALT,
    recount_unread_notifications,
    unsubscribe_token,
)
from .queries import discussion_for


class ThreadLocked(Exception):
    """The thread takes no replies."""


# --- Posting -----------------------------------------------------------------


def _render(body: str) -> str:
    """Sanitised HTML for a post's Markdown, with mentions linked."""
    return str(render_markdown(link_mentions(body, mentioned_members(body))))


def _add_post(thread: Thread, *, author, body: str, quoted=None) -> Post:
    # The row lock numbers posts in order when two members reply at once.
    locked = Thread.objects.select_for_update().get(pk=thread.pk)
    body_html = _render(body)
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
    return post


@transaction.atomic
def start_thread(
    forum: Forum,
    *,
    author,
    title: str,
    body: str,
    tags=(),
    drivers=(),
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
    if drivers:
        thread.drivers.set(list(drivers))
    post = _add_post(thread, author=author, body=body)
    _notify(post, new_thread=True)
    return thread


@transaction.atomic
def post_reply(thread: Thread, *, author, body: str, quoted: Post | None = None):
    """Add a reply; refused when the thread is locked."""
    if Thread.objects.filter(pk=thread.pk, is_locked=True).exists():
        raise ThreadLocked
    post = _add_post(thread, author=author, body=body, quoted=quoted)
    _notify(post, new_thread=False)
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
    post.body_html = _render(body)
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "body_html", "edited_at"])
    _notify(post, new_thread=False, mentions_only=True)
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
        _record(
            thread,
            moderator=by,
            action="retitle",
            reason=f"Was: {old}",
            before={"title": old},
        )


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


def recount_threads(threads) -> None:
    """Set each thread's ``post_count`` (its newest post's number), ``last_post_at``
    and ``has_answer`` from its posts: what posting and marking answers keep in
    step one post at a time, for posts written in bulk (the scale loader). An
    ``update()``: it sends no signal, so the caller changes the version token."""
    posts = Post.objects.filter(thread=OuterRef("pk")).order_by().values("thread")
    threads.update(
        post_count=Coalesce(Subquery(posts.annotate(n=Max("number")).values("n")), 0),
        last_post_at=Coalesce(
            Subquery(posts.annotate(at=Max("created_at")).values("at")),
            F("last_post_at"),
        ),
        has_answer=Exists(posts.filter(is_answer=True)),
    )


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


def _notify(post: Post, *, new_thread: bool, mentions_only=False) -> None:
    """Who hears about the post is a job's business (jobs.notify_post), deferred in
    the post's transaction: the reply is saved and shown at once, and a rolled-back
    post notifies nobody."""
    notify_post.defer(
        post_id=post.pk, new_thread=new_thread, mentions_only=mentions_only
    )


def read_unsubscribe_token(token: str):
    """The (member, kind) a signed unsubscribe token names; changes nothing.

    Raises signing.BadSignature for a tampered token, or one naming a member or
    kind that does not exist.
    """
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(data, dict):
        raise signing.BadSignature("not an unsubscribe token")
    kind = data.get("k")
    member = Member.objects.filter(pk=data.get("m")).first()
    if kind not in NotificationSettings.email_kinds() or member is None:
        raise signing.BadSignature("unknown member or kind")
    return member, kind


def unsubscribe(member: Member, kind: str) -> None:
    """Turn off that one kind of email for the member; their other choices stay."""
    prefs, _ = NotificationSettings.objects.get_or_create(member=member)
    prefs.turn_off(kind)


def mark_notifications_read(member, *, ids=None) -> int:
    unread = Notification.objects.filter(recipient=member, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    marked = unread.update(read_at=timezone.now())
    recount_unread_notifications([member.pk])
    return marked


def recount_for_posts(posts) -> None:
    """Recount for everyone with an unread notification about one of ``posts``
    (a queryset), after those posts were hidden, shown or moved."""
    recipients = Notification.objects.filter(
        post__in=posts, read_at__isnull=True
    ).values_list("recipient_id", flat=True)
    recount_unread_notifications(set(recipients))


# The fields a notification's visibility depends on (queries.VISIBLE_NOTIFICATION).
VISIBILITY_FIELDS = {
    Post: {"is_hidden"},
    Thread: {"is_hidden", "forum"},
    Forum: {"moderators_only"},
}


def visibility_saved(obj: Post | Thread | Forum, changed: Iterable[str]) -> None:
    """After a post, thread or forum was saved with these ``changed`` fields (a
    moderator's action, or Django admin's form): recount the navigation's unread
    count of those notified about its posts, if what they may see changed.
    Saves of other fields only (a new reply bumping a thread's counters) cost
    nothing."""
    if not VISIBILITY_FIELDS[type(obj)] & set(changed):
        return
    if isinstance(obj, Post):
        posts = Post.objects.filter(pk=obj.pk)
    elif isinstance(obj, Thread):
        posts = Post.objects.filter(thread=obj)
    else:
        posts = Post.objects.filter(thread__forum=obj)
    recount_for_posts(posts)


# --- Moderation --------------------------------------------------------------


def _record(
    thread, *, moderator, action: str, reason: str = "", post=None, before=None
):
    """The forum's own moderation log (shown beside the thread) and the audit
    trail's event, in the action's transaction."""
    ModerationAction.objects.create(
        thread=thread, post=post, moderator=moderator, action=action, reason=reason
    )
    target = post or thread
    # The same fields as they are now, beside what they were.
    after = {field: getattr(target, field) for field in before or {}}
    after.update(action=action, reason=reason)
    if post is None:
        audit_action = Action.THREAD_MODERATED
    else:
        audit_action = Action.POST_HIDDEN if post.is_hidden else Action.POST_SHOWN
    record(moderator, audit_action, target, before, after)


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
    before = {field: getattr(thread, field) for field in changes}
    for field, value in changes.items():
        setattr(thread, field, value)
    thread.save(update_fields=list(changes))
    visibility_saved(thread, changes)
    _record(thread, moderator=moderator, action=action, reason=reason, before=before)


@transaction.atomic
def hide_post(post: Post, *, moderator, reason: str, hidden: bool = True) -> None:
    before = {"is_hidden": post.is_hidden}
    post.is_hidden = hidden
    post.hidden_reason = reason if hidden else ""
    post.save(update_fields=["is_hidden", "hidden_reason"])
    visibility_saved(post, ["is_hidden"])
    _record(
        post.thread,
        moderator=moderator,
        action="hide post" if hidden else "unhide post",
        reason=reason,
        post=post,
        before=before,
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
    resolved = Flag.objects.filter(post=post, resolved_at=None).update(
        resolved_at=timezone.now(),
        resolved_by=moderator,
        resolution=("Hidden: " if hide else "Kept: ") + reason,
    )
    after = {"hidden": hide, "reports": resolved, "reason": reason}
    record(moderator, Action.FLAGS_RESOLVED, post, after=after)
    return resolved


# --- Discussion of another app's object ---------------------------------------

FORUM_FOR_APP = {"casestudies": "case-studies", "events": "events"}


def start_discussion_for(obj, *, started_by, title: str, body: str) -> Thread:
    """The thread discussing ``obj`` (a case study, an event...), started on first use.

    Idempotent: a second call, even a concurrent one, returns the same thread.
    """
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
    "recount_unread_notifications",
    "post_reply",
    "recount_threads",
    "resolve_flags",
    "set_helpful_answer",
    "set_subscription",
    "start_discussion_for",
    "start_thread",
    "read_unsubscribe_token",
    "unsubscribe",
    "unsubscribe_token",
]
