"""Telling members about a new message, outside the request."""

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from kit.mail import send_templated_email
from network.models import Member, Message


@app.task(queue="notify", retry=RetryStrategy(max_attempts=8, exponential_wait=5))
def notify_message(*, message_id: int, recipient_ids: list[int]) -> None:
    """Email each recipient still in the conversation that a message is waiting.
    The email names the sender and subject, never the text: the portal holds it."""
    message = (
        Message.objects.select_related("conversation", "author")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        return
    addresses = (
        Member.objects.approved()
        .filter(
            pk__in=recipient_ids,
            conversation_places__conversation=message.conversation_id,
            conversation_places__left_at__isnull=True,
        )
        .values_list("email", flat=True)
    )
    send_templated_email(
        "network/conversations/email/new_message",
        list(addresses),
        {"message": message, "conversation": message.conversation},
    )
