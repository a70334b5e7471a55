"""Private conversations between approved members: one to one or a small group."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

# The starter and up to seven others: small enough to stay a conversation.
MOST_PARTICIPANTS = 8
# New conversations a member may start in any 24 hours.
MOST_NEW_PER_DAY = 20


class Conversation(models.Model):
    subject = models.CharField(max_length=200)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_message_at"]
        indexes = [models.Index(fields=["started_by", "created_at"])]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("network:conversation", args=[self.pk])


class Participant(models.Model):
    """A member's place in a conversation, with what they have not read yet."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="conversation_places",
    )
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)
    # Kept in the same transaction as every message and read, and summed into
    # Member.unread_messages: no page counts messages.
    unread = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "member"], name="participant_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["member", "conversation"],
                condition=Q(left_at__isnull=True),
                name="participant_active",
            )
        ]

    def __str__(self):
        return f"Member {self.member_id} in conversation {self.conversation_id}"


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["conversation", "created_at"])]

    def __str__(self):
        return f"Message {self.pk} in conversation {self.conversation_id}"

    @property
    def removed(self) -> bool:
        """Erasing its author empties it; a message is never sent empty."""
        return not self.body


class Block(models.Model):
    """The blocker hears nothing new from the blocked member."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once")
        ]

    def __str__(self):
        return f"Member {self.blocker_id} blocks {self.blocked_id}"


class MessageReport(models.Model):
    """A message a participant asked the moderators to read: the only messages
    they ever see."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "reporter"], name="report_once_per_reporter"
            )
        ]

    def __str__(self):
        return f"Report of message {self.message_id}"
