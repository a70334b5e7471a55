"""Reads for conversations: a member sees only those they are still in."""

from django.db.models import Prefetch, QuerySet

from network.models import Member

from .models import Block, Conversation, Message, MessageReport, Participant


def conversations_for(member: Member) -> QuerySet[Conversation]:
    """The member's conversations, newest message first, each with its people
    and the member's own unread count (as ``my_unread``)."""
    from django.db.models import OuterRef, Subquery

    mine = Participant.objects.filter(conversation=OuterRef("pk"), member=member)
    return (
        Conversation.objects.filter(
            participants__member=member, participants__left_at__isnull=True
        )
        .annotate(my_unread=Subquery(mine.values("unread")[:1]))
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=Participant.objects.filter(left_at__isnull=True)
                .select_related("member")
                .order_by("member__full_name"),
                to_attr="people",
            )
        )
        .order_by("-last_message_at", "-pk")
    )


def messages_for(conversation: Conversation, *, viewer: Member) -> QuerySet[Message]:
    """The conversation's messages, oldest first, without those of members the
    viewer blocked."""
    blocked = Block.objects.filter(blocker=viewer).values("blocked")
    return (
        conversation.messages.exclude(author__in=blocked)
        .select_related("author")
        .order_by("created_at", "pk")
    )


def blocked_ids(member: Member) -> set[int]:
    return set(
        Block.objects.filter(blocker=member).values_list("blocked_id", flat=True)
    )


def open_reports() -> QuerySet[MessageReport]:
    """Reported messages with their context, oldest unresolved first: the only
    messages a moderator can read."""
    return (
        MessageReport.objects.filter(resolved_at__isnull=True)
        .select_related("message__author", "message__conversation", "reporter")
        .order_by("created_at", "pk")
    )
