"""Writes to membership, each with its side effects. Views, admin actions and
management commands all call these, so a rule lives in one place."""

import logging
from dataclasses import dataclass, field
from importlib import import_module

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kit.mail import send_templated_email

from .audit.services import Action, record
from .models import Member, Organisation

logger = logging.getLogger(__name__)


def match_organisation(email: str) -> Organisation | None:
    """The one organisation whose email domains include this address's, if any."""
    matches = list(Organisation.objects.matching_email(email)[:2])
    return matches[0] if len(matches) == 1 else None


# Addresses of the big free email services: anyone can have one, so an address
# there says nothing about who employs its owner. The labels catch their national
# variants (yahoo.fr, hotmail.es, outlook.ie ...).
PERSONAL_EMAIL_DOMAINS = frozenset(
    {
        "aol.com",
        "btinternet.com",
        "btopenworld.com",
        "fastmail.com",
        "gmx.com",
        "gmx.co.uk",
        "mac.com",
        "mail.com",
        "me.com",
        "msn.com",
        "proton.me",
        "sky.com",
        "talktalk.net",
        "tiscali.co.uk",
        "tutanota.com",
        "virginmedia.com",
        "zoho.com",
    }
)
PERSONAL_EMAIL_LABELS = frozenset(
    {
        "gmail",
        "googlemail",
        "hotmail",
        "icloud",
        "live",
        "outlook",
        "protonmail",
        "yahoo",
        "ymail",
    }
)
# Who must name the body they work for before they are let in.
NEEDS_ORGANISATION = (Member.MemberType.OFFICER, Member.MemberType.PARTNER)


def is_personal_email_domain(domain: str) -> bool:
    domain = domain.strip().lower()
    return domain in PERSONAL_EMAIL_DOMAINS or (
        domain.partition(".")[0] in PERSONAL_EMAIL_LABELS
    )


@dataclass
class ApprovalCheck:
    """What stands between a sign-up and approval: ``refusals`` must be put right
    first (say, set the organisation); ``warnings`` say why it was flagged, and
    approval waits until an admin confirms them."""

    refusals: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.refusals or self.warnings)


def check_approval(
    *, email: str, organisation: Organisation | None, member_type: str
) -> ApprovalCheck:
    """The one rule for flagging a sign-up, used at sign-up (``needs_review``), by
    ``approve_member`` and by Django admin's approval action and change form.

    Officers and partners must have an organisation. An address at a personal
    email service, or at a domain that is not one of its organisation's (or that
    no organisation lists), is flagged with the reason.
    """
    check = ApprovalCheck()
    domain = email.rpartition("@")[2].strip().lower()
    if organisation is None and member_type in NEEDS_ORGANISATION:
        check.refusals.append(
            "Council officers and partners must belong to an organisation, and "
            "none is set: set it before approving."
        )
    if is_personal_email_domain(domain):
        check.warnings.append(
            f"{email} is a personal email address ({domain}), not a work one: "
            "check that they work for "
            f"{organisation or 'the body they name'} before approving."
        )
        return check
    matched = match_organisation(email)
    if organisation is None:
        if matched is None:
            check.warnings.append(
                f"No organisation lists the email domain {domain}: check who they "
                "work for before approving."
            )
        return check
    if domain in organisation.email_domains:
        return check
    if not organisation.email_domains:
        check.warnings.append(
            f"{organisation} lists no email domains, so {email} could not be "
            "checked against it."
        )
    elif matched is not None:
        check.warnings.append(
            f"{domain} is {matched}'s email domain, but they chose {organisation} "
            f"(whose domains are {', '.join(organisation.email_domains)})."
        )
    else:
        check.warnings.append(
            f"{domain} is not an email domain of {organisation} (its domains are "
            f"{', '.join(organisation.email_domains)}): check that they work there."
        )
    return check


def check_member(member: Member) -> ApprovalCheck:
    return check_approval(
        email=member.email,
        organisation=member.organisation,
        member_type=member.member_type,
    )


class ApprovalRefused(ValidationError):
    """An approval that cannot go ahead yet, with the reasons in ``messages``."""


class ApprovalNeedsConfirmation(ApprovalRefused):
    """A flagged sign-up: approve again with ``confirmed=True`` once checked."""


def record_signup_details(member: Member, *, email: str) -> None:
    """Fill in the organisation from a known email domain and flag the sign-up
    when check_approval finds anything to look at.

    A member whose domain no organisation lists, or who chose an organisation
    that does not list it, may still register: admins are asked to look closer.
    """
    matched = match_organisation(email)
    if member.organisation_id is None and matched:
        member.organisation = matched
    member.needs_review = check_approval(
        email=email, organisation=member.organisation, member_type=member.member_type
    ).flagged


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
def approve_member(
    member: Member, *, decided_by: Member, confirmed: bool = False
) -> bool:
    """Let the member into the portal and tell them by email.

    Returns False (and sends nothing) when they were already approved. Raises
    ApprovalRefused while an officer or partner has no organisation, and
    ApprovalNeedsConfirmation for a flagged sign-up (check_approval) unless the
    approver ``confirmed`` its warnings.
    """
    if member.approval_state == Member.Approval.APPROVED:
        return False
    check = check_member(member)
    if check.refusals:
        raise ApprovalRefused(check.refusals)
    if check.warnings and not confirmed:
        raise ApprovalNeedsConfirmation(check.warnings)
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
    send_templated_email(
        "network/email/member_waiting",
        addresses,
        {"member": member, "check": check_member(member)},
    )


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
