"""What the member's own privacy pages do: ask for an erasure or an export."""

from django.db import transaction

from network.models import Member

from .jobs import erase_member_job


def request_erasure(member: Member) -> None:
    """The member asked to be erased: they can no longer sign in from now, and the
    erasure job (which reads posts and sessions) does the rest."""
    with transaction.atomic():
        Member.objects.filter(pk=member.pk).update(is_active=False)
        # Deferred in this transaction: a rolled-back request erases nothing.
        erase_member_job.defer(member_id=member.pk)
