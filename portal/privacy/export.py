"""A member's copy of their data (UK GDPR Art. 15 and 20): one zip with a JSON file
per kind and a readable summary page.

``COVERAGE`` is the one registry of what points at a member: each relation is
either exported under a kind, or left out with the reason. tests/privacy/
test_export.py walks every model that points at ``Member`` (and the files under
them) and fails on one that is in neither, so a new model cannot be forgotten.
Other people appear only by name, where they are part of the member's own material
(a co-author, the person who decided on their application).
"""

import io
import json
import zipfile
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from casestudies.models import CaseStudy
from events.models import Registration, Speaker
from kit import security
from kit.mail import send_templated_email
from network.audit.models import AuditEvent
from network.audit.services import Action, record
from network.models import (
    Block,
    Member,
    Message,
    MessageReport,
    Notification,
    NotificationSettings,
    Post,
    Subscription,
    Thread,
)
from portal.models import DataExport
from training.models import Enrolment

# relation ("app.Model.field" pointing at Member) -> the kind that exports it, or
# ("left out", why).
LEFT_OUT = "left out"
COVERAGE = {
    "network.Member.decided_by": "approval_decisions",
    "account.EmailAddress.user": "profile",
    "network.Thread.author": "threads",
    "network.Post.author": "posts",
    "network.Subscription.member": "watches",
    "network.Notification.recipient": "notifications",
    "network.NotificationSettings.member": "profile",
    "network.Participant.member": "conversations",
    "network.Conversation.started_by": "conversations",
    "network.Message.author": "conversations",
    "network.Block.blocker": "conversations",
    "network.MessageReport.reporter": "conversations",
    "network.Block.blocked": (
        LEFT_OUT,
        "that another member blocked them is that member's own choice",
    ),
    "casestudies.CaseStudy.authors": "case_studies",
    "casestudies.CaseStudy.contact": "case_studies",
    "casestudies.Attachment.uploaded_by": "case_studies",
    "events.Registration.member": "event_registrations",
    "events.Speaker.member": "talks",
    "training.Enrolment.member": "training",
    "portal.DataExport.member": (LEFT_OUT, "the exports themselves: their dates only"),
    "mfa.Authenticator.user": (
        LEFT_OUT,
        "second-factor secrets and passkey keys: a copy would be a way in; "
        "erasure deletes them with the account",
    ),
    "admin.LogEntry.user": (
        LEFT_OUT,
        "changes the member made as an administrator: a record of staff work "
        "about other records, not about them",
    ),
    "network.ReadMark.member": (
        LEFT_OUT,
        "how far they read each thread: bookkeeping for unread markers",
    ),
    "events.CalendarFeed.member": (
        LEFT_OUT,
        "a secret calendar address, which a copy would only spread",
    ),
    "training.Cohort.trainer": (
        LEFT_OUT,
        "cohorts they train: the learners' data is other people's",
    ),
    "training.Attendance.recorded_by": (
        LEFT_OUT,
        "attendance they recorded for other learners",
    ),
    "training.Evidence.sent_by": (LEFT_OUT, "other learners' evidence they sent on"),
    "training.SignupIntent.member": (
        LEFT_OUT,
        "a cohort chosen before approval, deleted once used",
    ),
    "casestudies.CaseStudy.published_by": (
        LEFT_OUT,
        "others' case studies they published as a reviewer",
    ),
    "casestudies.CaseStudy.added_by": (
        LEFT_OUT,
        "published work of organisations outside the network, added as a "
        "coordinator (set to nobody on erasure)",
    ),
    "network.Flag.flagged_by": (
        LEFT_OUT,
        "reports about other members' posts, kept for moderators",
    ),
    "network.Flag.resolved_by": (LEFT_OUT, "moderation of other members' posts"),
    "network.ModerationAction.moderator": (
        LEFT_OUT,
        "moderation of other members' threads",
    ),
    "network.Notification.actor": (
        LEFT_OUT,
        "notifications other members received about their posts",
    ),
    "events.Event.created_by": (LEFT_OUT, "events they set up as a coordinator"),
    "events.Event.coordinators": (
        LEFT_OUT,
        "events they run as a coordinator: their registrants' data is others'",
    ),
    "usersessions.UserSession.user": (
        LEFT_OUT,
        "the browsers and addresses they are signed in from: shown to them on "
        "the sessions page, and ended with their sessions",
    ),
    "network.AuditEvent.actor": (
        LEFT_OUT,
        "decisions they took as staff about other members and records",
    ),
}
# Files under what is exported, and where each goes in the zip.
FILES = {
    "casestudies.Attachment.file": "case_studies",
    "portal.DataExport.file": (LEFT_OUT, "the export itself"),
    "events.Session.slides": (
        LEFT_OUT,
        "an event's slides belong to the event, not to a registrant",
    ),
}


def _values(queryset, *fields):
    return list(queryset.values(*fields))


def _profile(member):
    return {
        "full_name": member.full_name,
        "email": member.email,
        "handle": member.handle,
        "job_title": member.job_title,
        "organisation": member.organisation.name if member.organisation_id else "",
        "member_type": member.get_member_type_display(),
        "bio": member.bio,
        "expertise": sorted(member.expertise.names()),
        "show_email": member.show_email,
        "date_joined": member.date_joined,
        "last_login": member.last_login,
        "privacy_notice_version": member.privacy_notice_version,
        "email_addresses": _values(
            member.emailaddress_set.all(), "email", "verified", "primary"
        ),
        "email_choices": _values(
            NotificationSettings.objects.filter(member=member),
            "email_mention",
            "email_reply",
            "email_new_thread",
        ),
    }


def _organisation_history(member):
    # The portal keeps the current organisation only; this says so, with it.
    return [
        {
            "organisation": member.organisation.name if member.organisation_id else "",
            "since": None,
            "note": "The portal keeps your current organisation only.",
        }
    ]


def _approval_decisions(member):
    return [
        {
            "state": member.get_approval_state_display(),
            "decided_at": member.decided_at,
            "decided_by": member.decided_by.full_name if member.decided_by_id else "",
            "note": member.decision_note,
        }
    ]


def _case_studies(member):
    rows = []
    case_studies = (
        CaseStudy.objects.filter(authors=member)
        | CaseStudy.objects.filter(contact=member)
    ).distinct()
    for cs in case_studies.prefetch_related("authors", "attachments"):
        rows.append(
            {
                "title": cs.title,
                "status": cs.get_status_display(),
                "summary": cs.summary,
                "body": cs.body,
                "lessons_learned": cs.lessons_learned,
                "authors": [a.full_name for a in cs.authors.all()],
                "you_are_contact": cs.contact_id == member.pk,
                "created_at": cs.created_at,
                "published_at": cs.published_at,
                "attachments": [_in_zip(cs, a) for a in cs.attachments.all()],
            }
        )
    return rows


def _attachment_files(member):
    case_studies = CaseStudy.objects.filter(authors=member).prefetch_related(
        "attachments"
    )
    for cs in case_studies:
        for attachment in cs.attachments.all():
            yield _in_zip(cs, attachment), attachment.file


def _in_zip(case_study, attachment) -> str:
    # Stored under a random id; the copy uses the name it was uploaded with.
    return f"case_studies/{case_study.pk}/{attachment.pk}-{attachment.name}"


EXPORTERS = {
    "profile": _profile,
    "organisation_history": _organisation_history,
    "approval_decisions": _approval_decisions,
    "case_studies": _case_studies,
    "threads": lambda m: _values(
        Thread.objects.filter(author=m), "id", "title", "created_at"
    ),
    "posts": lambda m: _values(
        Post.objects.filter(author=m, is_deleted=False),
        "thread_id",
        "thread__title",
        "number",
        "body",
        "created_at",
        "edited_at",
    ),
    "watches": lambda m: _values(
        Subscription.objects.filter(member=m), "level", "thread__title", "forum__name"
    ),
    "notifications": lambda m: _values(
        Notification.objects.filter(recipient=m),
        "kind",
        "actor__full_name",
        "post__thread__title",
        "created_at",
        "read_at",
    ),
    "event_registrations": lambda m: [
        {
            **row,
            "feedback": _values(
                Registration.objects.filter(pk=row.pop("id")).exclude(
                    feedback__isnull=True
                ),
                "feedback__rating",
                "feedback__comment",
                "feedback__created_at",
            ),
        }
        for row in _values(
            Registration.objects.filter(member=m),
            "id",
            "event__title",
            "event__starts_at",
            "status",
            "access_needs",
            "dietary_needs",
            "needs_consent_at",
            "registered_at",
            "attended",
        )
    ],
    "talks": lambda m: _values(
        Speaker.objects.filter(member=m),
        "session__title",
        "session__event__title",
        "session__starts_at",
    ),
    "conversations": lambda m: {
        "messages_written": _values(
            Message.objects.filter(author=m),
            "conversation__subject",
            "body",
            "created_at",
        ),
        "conversations": _values(
            m.conversation_places.all(),
            "conversation__subject",
            "joined_at",
            "left_at",
        ),
        "blocked_members": _values(
            Block.objects.filter(blocker=m), "blocked__full_name", "created_at"
        ),
        "reports_made": _values(
            MessageReport.objects.filter(reporter=m), "reason", "created_at"
        ),
    },
    # Decisions and staff changes about them, oldest first. Sign-ins and failures
    # are lines of the security log (journald), not rows: the notice says so.
    "security_events": lambda m: [
        {
            "action": event.get_action_display(),
            "at": event.created_at,
            "by": "a member of staff" if event.actor_id else "the portal",
            "before": event.before,
            "after": event.after,
        }
        for event in AuditEvent.objects.filter(
            target_type=ContentType.objects.get_for_model(Member),
            target_id=str(m.pk),
        ).order_by("created_at", "pk")
    ],
    "training": lambda m: [
        {
            "cohort": str(e.cohort),
            "status": e.get_status_display(),
            "hours_attended": e.hours_attended,
            "evidence": _evidence(e),
        }
        for e in Enrolment.objects.filter(member=m).select_related("cohort")
    ],
}


def _evidence(enrolment):
    evidence = getattr(enrolment, "evidence", None)
    if evidence is None:
        return None
    return {
        "learning": evidence.learning,
        "role": evidence.role,
        "sharing": evidence.sharing,
        "status": evidence.get_status_display(),
        "certificate_number": evidence.certificate_number,
        "certified_on": evidence.certified_on,
        "pledges": _values(
            evidence.pledges.all(),
            "kind",
            "category",
            "action",
            "target_date",
            "progress",
            "progress_note",
        ),
    }


def build_export(member: Member) -> bytes:
    """The zip: ``<kind>.json`` for each kind, ``index.html`` to read, the files."""
    data = {kind: export(member) for kind, export in EXPORTERS.items()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind, rows in data.items():
            archive.writestr(
                f"{kind}.json",
                json.dumps(rows, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
            )
        for path, file in _attachment_files(member):
            with file.open("rb") as handle:
                archive.writestr(path, handle.read())
        summary = render_to_string(
            "privacy/export_summary.html",
            {"member": member, "data": data, "made_at": timezone.now()},
        )
        archive.writestr("index.html", summary)
    return buffer.getvalue()


EXPORT_DAYS = 7


def expires_at(data_export: DataExport):
    return data_export.requested_at + timedelta(days=EXPORT_DAYS)


def finish_export(export_id: int) -> None:
    """Build the zip, keep it privately, and email the member their link."""
    with transaction.atomic():
        data_export = (
            DataExport.objects.select_for_update()
            .select_related("member")
            .filter(pk=export_id, ready_at__isnull=True)
            .first()
        )
        if data_export is None:
            return
        member = data_export.member
        data_export.file.save(
            f"data-{member.pk}-{data_export.token[:8]}.zip",
            ContentFile(build_export(member)),
            save=False,
        )
        data_export.ready_at = timezone.now()
        data_export.save(update_fields=["file", "ready_at"])
        send_templated_email(
            "privacy/email/export_ready",
            [member.email],
            {
                "member": member,
                "token": data_export.token,
                "expires": expires_at(data_export),
            },
        )
        record_export(member)


def record_export(member: Member) -> None:
    """The record of an export, in the audit trail and the security log."""
    record(member, Action.MEMBER_EXPORTED, member)
    security.log_event("data_exported", member=member)


def downloadable(member: Member, token: str) -> DataExport | None:
    """The member's own ready export under this token, not yet used nor expired."""
    data_export = DataExport.objects.filter(
        member=member, token=token, ready_at__isnull=False, downloaded_at__isnull=True
    ).first()
    if data_export is None or expires_at(data_export) <= timezone.now():
        return None
    return data_export
