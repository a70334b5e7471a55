"""Writes to membership, each with its side effects. Views, admin actions and
management commands all call these, so a rule lives in one place."""

import logging
from importlib import import_module

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from portal.mail import send_templated_email

from .audit.services import Action, record
from .models import Member, Organisation

logger = logging.getLogger(__name__)


def match_organisation(email: str) -> Organisation | None:
    """The one organisation whose email domains include this address's, if any."""
    matches = list(Organisation.objects.matching_email(email)[:2])
    return matches[0] if len(matches) == 1 else None


def record_signup_details(member: Member, *, email: str) -> None:
    """Fill in the organisation from a known email domain and flag any mismatch.

    A member whose domain no organisation lists, or who chose an organisation
    that does not list it, may still register: admins are asked to look closer.
    """
    matched = match_organisation(email)
    if member.organisation_id is None and matched:
        member.organisation = matched
    member.needs_review = matched is None or member.organisation_id != matched.pk


DECISION_ACTIONS = {
    Member.Approval.APPROVED: Action.MEMBER_APPROVED,
    Member.Approval.REJECTED: Action.MEMBER_REJECTED,
    Member.Approval.SUSPENDED: Action.MEMBER_SUSPENDED,
}


def _decide(member: Member, state: str, *, decided_by: Member, note: str = "") -> bool:
    """Change the member's state; the audit trail keeps every decision in order,
    while the member's row holds only the latest."""
    if member.approval_state == state:
        return False
    before = {"approval_state": member.approval_state}
    member.approval_state = state
    member.decided_by = decided_by
    member.decided_at = timezone.now()
    member.decision_note = note
    member.save(
        update_fields=["approval_state", "decided_by", "decided_at", "decision_note"]
    )
    after = (
        {"approval_state": state, "note": note} if note else {"approval_state": state}
    )
    record(decided_by, DECISION_ACTIONS[state], member, before, after)
    return True


def end_all_sessions(member: Member, *, every_stored_session: bool = False) -> int:
    """Sign the member out on every browser at once; returns how many sessions
    ended. Suspension, rejection, deactivation and erasure call it.

    Every session a member has used is listed by allauth.usersessions (it
    tracks each on its first request), so ending those is enough, and cheap.
    ``every_stored_session`` also reads every stored session for the member's
    id (each must be decoded: for the erasure job, never a request).
    """
    ended = 0
    for user_session in UserSession.objects.filter(user=member):
        user_session.end()
        ended += 1
    if every_stored_session:
        store = import_module(settings.SESSION_ENGINE).SessionStore
        stale = [
            session.pk
            for session in Session.objects.iterator()
            if store().decode(session.session_data).get("_auth_user_id")
            == str(member.pk)
        ]
        ended += Session.objects.filter(pk__in=stale).delete()[0]
    return ended


@transaction.atomic
def approve_member(member: Member, *, decided_by: Member) -> bool:
    """Let the member into the portal and tell them by email.

    Returns False (and sends nothing) when they were already approved.
    """
    changed = _decide(member, Member.Approval.APPROVED, decided_by=decided_by)
    if changed:
        # Queued in the decision's transaction: a rolled-back approval welcomes
        # nobody.
        send_templated_email(
            "network/email/member_approved", [member.email], {"member": member}
        )
    return changed


@transaction.atomic
def reject_member(member: Member, *, decided_by: Member, note: str = "") -> bool:
    """Refuse the member; they can still sign in to read why, nothing more."""
    changed = _decide(
        member, Member.Approval.REJECTED, decided_by=decided_by, note=note
    )
    if changed:
        end_all_sessions(member)
        send_templated_email(
            "network/email/member_rejected", [member.email], {"member": member}
        )
    return changed


@transaction.atomic
def suspend_member(member: Member, *, decided_by: Member, note: str = "") -> bool:
    """Take an approved member's access away, keeping everything they wrote:
    signed out everywhere now, and from their next sign-in they see only the
    page that says they are suspended."""
    changed = _decide(
        member, Member.Approval.SUSPENDED, decided_by=decided_by, note=note
    )
    if changed:
        end_all_sessions(member)
    return changed


def approvers():
    """Active staff who may approve members, directly or through a group."""
    return (
        Member.objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__codename="approve_member")
            | Q(groups__permissions__codename="approve_member")
        )
        .distinct()
    )


def notify_approvers(member: Member) -> None:
    """Tell the people who may approve that someone new is waiting."""
    if member.approval_state != Member.Approval.PENDING:
        return
    addresses = list(approvers().values_list("email", flat=True))
    send_templated_email("network/email/member_waiting", addresses, {"member": member})


def tell_owner_of_lockout(email: str, *, address: str) -> None:
    """Email the member whose account is locked after repeated failed sign-ins.

    An address no member has gets nothing (and the sign-in page says the same
    either way). The email is a job, so a mail outage never reaches the sign-in page.
    """
    member = Member.objects.filter(email__iexact=email, is_active=True).first()
    if member is None:
        return
    send_templated_email(
        "network/email/account_locked",
        [member.email],
        {"member": member, "address": address},
    )
