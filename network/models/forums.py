"""Discussions: forums hold threads, threads hold numbered posts; members watch,
mute, read and get notified. Rules that change these live in network/forums/services.py.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

MODERATE_PERM = "network.moderate_forums"
# What network.models gives the other modules of the forums' (its ``import *``).
FORUM_MODELS = [
    "Flag",
    "Forum",
    "ModerationAction",
    "Notification",
    "NotificationSettings",
    "Post",
    "PostRevision",
    "ReadMark",
    "Subscription",
    "Thread",
]
__all__ = FORUM_MODELS


def can_moderate(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(MODERATE_PERM))


class ForumQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.for_role(moderator=can_moderate(user))

    def for_role(self, *, moderator: bool):
        """``visible_to`` for a role rather than a person (shared, cached pages)."""
        return self if moderator else self.filter(moderators_only=False)


class Forum(models.Model):
    """A place for threads on one theme or purpose, managed by coordinators."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    theme = models.ForeignKey(
        "network.Theme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forums",
    )
    moderators_only = models.BooleanField(
        default=False,
        help_text=_(
            "Only coordinators who moderate see this forum (e.g. a back room)."
        ),
    )

    objects = ForumQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        permissions = [("moderate_forums", "Can moderate discussions")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("network:forum_detail", args=[self.slug])


class ThreadQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.for_role(moderator=can_moderate(user))

    def for_role(self, *, moderator: bool):
        """``visible_to`` for a role rather than a person (shared, cached pages);
        ``Thread.is_visible_for_role`` is the same rule for one thread read."""
        if moderator:
            return self
        return self.filter(is_hidden=False, forum__moderators_only=False)


class Thread(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="threads")
    title = models.CharField(max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="threads"
    )
    tags = TaggableManager(blank=True, help_text=_("Comma-separated tags."))
    drivers = models.ManyToManyField(
        "network.PolicyDriver",
        verbose_name=_("policy drivers"),
        blank=True,
        related_name="threads",
    )
    is_question = models.BooleanField(
        _("this is a question"),
        default=False,
        help_text=_("Replies can then be marked as helpful answers."),
    )
    has_answer = models.BooleanField(default=False, editable=False)
    is_pinned = models.BooleanField(default=False)
    is_locked = models.BooleanField(default=False)
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_post_at = models.DateTimeField(default=timezone.now)
    # The number of the newest post, so "new since your last visit" is one compare.
    post_count = models.PositiveIntegerField(default=0)

    # The case study or event this thread discusses, if any (network/ imports neither).
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("content_type", "object_id")

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-is_pinned", "-last_post_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(content_type__isnull=False),
                name="thread_one_per_subject",
            )
        ]
        indexes = [
            models.Index(fields=["forum", "-is_pinned", "-last_post_at"]),
            models.Index(fields=["-is_pinned", "-last_post_at"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("network:thread_detail", args=[self.pk])

    def is_visible_for_role(self, *, moderator: bool) -> bool:
        """``Thread.objects.for_role`` for this thread (its forum read with it)."""
        return moderator or not (self.is_hidden or self.forum.moderators_only)


class PostQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.for_role(moderator=can_moderate(user))

    def for_role(self, *, moderator: bool):
        if moderator:
            return self
        return self.filter(
            is_hidden=False,
            thread__is_hidden=False,
            thread__forum__moderators_only=False,
        )


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="forum_posts"
    )
    body = models.TextField(blank=True)
    # Rendered, sanitised HTML kept with the post, so a page never renders Markdown.
    body_html = models.TextField(blank=True, editable=False)
    quoted = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    is_deleted = models.BooleanField(default=False)
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.TextField(blank=True)
    is_answer = models.BooleanField(default=False)
    search_vector = models.GeneratedField(
        expression=SearchVector("body", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["thread", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "number"], name="post_number_unique"
            )
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="post_search_gin"),
            models.Index(fields=["author", "-created_at"]),
            # A thread's helpful answers, without reading every post of a long thread.
            models.Index(
                fields=["thread", "number"],
                condition=Q(is_answer=True),
                name="post_answers",
            ),
        ]

    def __str__(self):
        return f"{self.thread} #{self.number}"

    def get_absolute_url(self):
        return reverse("network:post_goto", args=[self.pk])


class PostRevision(models.Model):
    """An earlier text of an edited or deleted post, for moderators."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Revision of {self.post_id} at {self.created_at:%Y-%m-%d %H:%M}"


class Subscription(models.Model):
    """A member watching or muting a thread or a whole forum."""

    class Level(models.TextChoices):
        WATCHING = "watching", _("Watching")
        MUTED = "muted", _("Muted")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="forum_subscriptions",
    )
    thread = models.ForeignKey(
        Thread,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
    )
    forum = models.ForeignKey(
        Forum,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
    )
    level = models.CharField(max_length=10, choices=Level.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "thread"],
                condition=Q(thread__isnull=False),
                name="subscription_one_per_thread",
            ),
            models.UniqueConstraint(
                fields=["member", "forum"],
                condition=Q(forum__isnull=False),
                name="subscription_one_per_forum",
            ),
            models.CheckConstraint(
                condition=Q(thread__isnull=True, forum__isnull=False)
                | Q(thread__isnull=False, forum__isnull=True),
                name="subscription_thread_xor_forum",
            ),
        ]

    def __str__(self):
        return f"{self.member_id} {self.level} {self.thread_id or self.forum_id}"


class ReadMark(models.Model):
    """How far a member has read a thread: one row per member and thread."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="read_marks"
    )
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="read_marks"
    )
    last_read_number = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "thread"], name="readmark_one_per_thread"
            )
        ]

    def __str__(self):
        return f"{self.member_id} read {self.thread_id} to #{self.last_read_number}"


class Flag(models.Model):
    """A member's report of a post, waiting in the moderators' review queue."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["resolved_at", "created_at"])]

    def __str__(self):
        return f"Flag on post {self.post_id}: {self.reason[:50]}"


class ModerationAction(models.Model):
    """What a moderator did and why: the reason is kept."""

    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="moderation_actions"
    )
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=30)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.action} on thread {self.thread_id}"


class Notification(models.Model):
    class Kind(models.TextChoices):
        MENTION = "mention", _("Mentioned you")
        REPLY = "reply", _("New reply in a thread you watch")
        NEW_THREAD = "new_thread", _("New thread in a forum you watch")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set once its email went out, so a retried or repeated job never sends twice.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "post"], name="notification_once_per_post"
            )
        ]
        indexes = [
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(fields=["recipient", "-created_at"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} (post {self.post_id})"


class NotificationSettings(models.Model):
    """Which notifications reach a member by email (all appear in the portal)."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    email_mention = models.BooleanField(
        _("email me when someone mentions me"), default=True
    )
    email_reply = models.BooleanField(
        _("email me about replies in threads I watch"), default=True
    )
    email_new_thread = models.BooleanField(
        _("email me about new threads in forums I watch"), default=True
    )

    class DigestDay(models.IntegerChoices):
        # date.weekday() numbers, so "due today" is one comparison.
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")
        NEVER = 7, _("Never")

    digest_day = models.PositiveSmallIntegerField(
        _("send me the weekly digest on"),
        choices=DigestDay.choices,
        default=DigestDay.MONDAY,
        help_text=_("One email, in the morning, with what is new for you that week."),
    )
    # When the last digest was made for the member (sent, or found empty): the
    # next one gathers what is new since, and a second run the same day skips them.
    last_digest_at = models.DateTimeField(null=True, blank=True, editable=False)

    FIELD_FOR_KIND = {
        Notification.Kind.MENTION: "email_mention",
        Notification.Kind.REPLY: "email_reply",
        Notification.Kind.NEW_THREAD: "email_new_thread",
    }
    # The unsubscribe link's kind for the weekly digest (it sets the day to never).
    DIGEST = "digest"

    class Meta:
        indexes = [
            models.Index(fields=["digest_day", "last_digest_at"], name="digest_due")
        ]

    def __str__(self):
        return f"Email choices of member {self.member_id}"

    @classmethod
    def email_kinds(cls) -> set[str]:
        """Every kind of email an unsubscribe link may turn off."""
        return {*cls.FIELD_FOR_KIND, cls.DIGEST}

    @classmethod
    def label_for(cls, kind: str) -> str:
        if kind == cls.DIGEST:
            return "the weekly digest"
        return cls._meta.get_field(cls.FIELD_FOR_KIND[kind]).verbose_name

    def turn_off(self, kind: str) -> None:
        if kind == self.DIGEST:
            self.digest_day = self.DigestDay.NEVER
            self.save(update_fields=["digest_day"])
        else:
            field = self.FIELD_FOR_KIND[kind]
            setattr(self, field, False)
            self.save(update_fields=[field])
