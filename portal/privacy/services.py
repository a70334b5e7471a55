"""What the member's own privacy pages do: ask for an erasure or an export."""

import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from network.models import Member
from portal.models import DataExport

from .jobs import build_export_job, erase_member_job


def request_erasure(member: Member) -> None:
    """The member asked to be erased: they can no longer sign in from now, and the
    erasure job (which reads posts and sessions) does the rest."""
    with transaction.atomic():
        Member.objects.filter(pk=member.pk).update(is_active=False)
        # Deferred in this transaction: a rolled-back request erases nothing.
        erase_member_job.defer(member_id=member.pk)


def request_export(member: Member) -> DataExport:
    """A job builds the member's copy and emails them the link."""
    with transaction.atomic():
        data_export = DataExport.objects.create(
            member=member, token=secrets.token_urlsafe(32)
        )
        build_export_job.defer(export_id=data_export.pk)
    return data_export


def record_notice_read(member: Member) -> None:
    """The member read the current privacy notice: the banner asking them goes."""
    version = settings.PRIVACY_NOTICE_VERSION
    Member.objects.filter(pk=member.pk).update(privacy_notice_version=version)
    member.privacy_notice_version = version


def mark_downloaded(data_export: DataExport) -> None:
    """The link works once: a second use finds nothing."""
    DataExport.objects.filter(pk=data_export.pk).update(downloaded_at=timezone.now())
