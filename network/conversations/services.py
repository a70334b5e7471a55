"""Writes to private conversations, each with its side effects: the kept unread
counters (Participant.unread and Member.unread_messages) change in the same
transaction as the message or read, and email is a job deferred in it."""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from network.models import Member

from .jobs import notify_message
from .models import (
    MOST_NEW_PER_DAY,
    MOST_PARTICIPANTS,
    Block,
    Conversation,
    Message,
    MessageReport,
    Participant,
)


class ConversationRefused(Exception):
    """The conversation or message is not allowed; the message says why."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


def started_today(member: Member) -> int:
    since = timezone.now() - timedelta(days=1)
    return Conversation.objects.filter(started_by=member, created_at__gte=since).count()


def blocked_by(recipients, author) -> list[Member]:
    """Which of these members have blocked the author."""
    ids = set(
        Block.objects.filter(blocker__in=recipients, blocked=author).values_list(
            "blocker_id", flat=True
        )
    )
    return [m for m in recipients if m.pk in ids]


def start_conversation(
    starter: Member, *, recipients, subject: str, body: str
) -> Conversation:
    """Open a conversation with up to seven other approved members and its first
    message, unless the starter has used the day's allowance."""
    recipients = [m for m in dict.fromkeys(recipients) if m.pk != starter.pk]
    if not recipients:
        raise ConversationRefused(
            gettext("Choose at least one other member."), field="to"
        )
    if len(recipients) + 1 > MOST_PARTICIPANTS:
        raise ConversationRefused(
            gettext("A conversation has at most %(most)d people, you included.")
            % {"most": MOST_PARTICIPANTS},
            field="to",
        )
    if any(not m.is_approved for m in recipients):
        raise ConversationRefused(
            gettext("Only approved members can be messaged."), field="to"
        )
    refusing = blocked_by(recipients, starter)
    if refusing:
        names = ", ".join(str(m) for m in refusing)
        raise ConversationRefused(
            f"{names} is not taking messages from you.", field="to"
        )
    with transaction.atomic():
        # The starter's row lock counts the day's conversations one at a time, so
        # two quick submits cannot both take the twentieth place.
        Member.objects.select_for_update().filter(pk=starter.pk).first()
        if started_today(starter) >= MOST_NEW_PER_DAY:
            raise ConversationRefused(
                f"You have started {MOST_NEW_PER_DAY} conversations in the last 24 "
                "hours, the most a member may. Reply in one you have, or try "
                "tomorrow."
            )
        conversation = Conversation.objects.create(subject=subject, started_by=starter)
        Participant.objects.bulk_create(
            [Participant(conversation=conversation, member=starter)]
            + [Participant(conversation=conversation, member=m) for m in recipients]
        )
        send_message(conversation, author=starter, body=body)
    return conversation


def send_message(conversation: Conversation, *, author: Member, body: str) -> Message:
    """Add a message; everyone else still in the conversation (who has not blocked
    the author) has one more unread, and hears of it by email."""
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if not Participant.objects.filter(
            conversation=locked, member=author, left_at__isnull=True
        ).exists():
            raise ConversationRefused(
                gettext("You are no longer in this conversation.")
            )
        now = timezone.now()
        message = Message.objects.create(
            conversation=locked, author=author, body=body, created_at=now
        )
        Conversation.objects.filter(pk=locked.pk).update(last_message_at=now)
        hearing = (
            Participant.objects.filter(conversation=locked, left_at__isnull=True)
            .exclude(member=author)
            .exclude(member__blocks__blocked=author)
        )
        member_ids = list(hearing.values_list("member_id", flat=True))
        hearing.update(unread=F("unread") + 1)
        Member.objects.filter(pk__in=member_ids).update(
            unread_messages=F("unread_messages") + 1
        )
        # Deferred in this transaction: a rolled-back message emails nobody.
        notify_message.defer(message_id=message.pk, recipient_ids=member_ids)
    return message


def _clear_unread(place: Participant) -> None:
    if place.unread:
        Member.objects.filter(pk=place.member_id).update(
            unread_messages=F("unread_messages") - place.unread
        )
        Participant.objects.filter(pk=place.pk).update(unread=0)
        place.unread = 0


@transaction.atomic
def mark_read(member: Member, conversation: Conversation) -> None:
    place = (
        Participant.objects.select_for_update()
        .filter(conversation=conversation, member=member)
        .first()
    )
    if place:
        _clear_unread(place)


@transaction.atomic
def leave_conversation(member: Member, conversation: Conversation) -> None:
    """The member stops hearing from it and no longer sees it."""
    place = (
        Participant.objects.select_for_update()
        .filter(conversation=conversation, member=member, left_at__isnull=True)
        .first()
    )
    if place:
        _clear_unread(place)
        place.left_at = timezone.now()
        place.save(update_fields=["left_at"])


def block_member(blocker: Member, blocked: Member) -> None:
    if blocker.pk != blocked.pk:
        Block.objects.get_or_create(blocker=blocker, blocked=blocked)


def unblock_member(blocker: Member, blocked: Member) -> None:
    Block.objects.filter(blocker=blocker, blocked=blocked).delete()


def report_message(message: Message, *, reporter: Member, reason: str) -> MessageReport:
    """Show one message to the moderators; reporting twice keeps the first."""
    report, _ = MessageReport.objects.get_or_create(
        message=message, reporter=reporter, defaults={"reason": reason}
    )
    return report


def resolve_report(report: MessageReport) -> None:
    if not report.resolved_at:
        report.resolved_at = timezone.now()
        report.save(update_fields=["resolved_at"])
