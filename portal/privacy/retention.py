"""How long the portal keeps what: the one table of rules.

The privacy notice renders its retention section from ``RULES``, and the daily
retention job (``apply_retention``, also ``manage.py apply_retention``) carries
each rule out, so what the notice says and what the code does cannot drift apart.
Each rule finds what is due by the clock alone and acts on exactly that, so a run
is idempotent: a second run the same day finds nothing.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Feedback, Registration
from kit.mail import send_templated_email
from network.models import Member

from .erasure import erase_member

log = logging.getLogger("portal.privacy")


@dataclass(frozen=True)
class Rule:
    name: str
    what: str  # for the notice: what is kept
    period: str  # for the notice: how long, in words
    then: str  # for the notice: what happens
    days: int
    due: Callable  # (now) -> QuerySet of what is due
    apply: Callable  # (QuerySet, now) -> int


def _unverified(now):
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    return Member.objects.filter(
        ~Exists(verified),
        approval_state=Member.Approval.PENDING,
        erased_at__isnull=True,
        is_staff=False,
        date_joined__lt=now - timedelta(days=UNVERIFIED_DAYS),
    )


def _rejected(now):
    return Member.objects.filter(
        approval_state=Member.Approval.REJECTED,
        erased_at__isnull=True,
        decided_at__lt=now - timedelta(days=REJECTED_DAYS),
    )


def _needs(now):
    return Registration.objects.filter(
        event__ends_at__lt=now - timedelta(days=NEEDS_DAYS)
    ).exclude(access_needs="", dietary_needs="")


def _feedback(now):
    return Feedback.objects.filter(
        registration__isnull=False,
        created_at__lt=now - timedelta(days=FEEDBACK_DAYS),
    )


def _inactive(now):
    """Members not seen for 3 years (or never, if they joined that long ago)."""
    cutoff = now - timedelta(days=INACTIVE_DAYS)
    return Member.objects.filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff),
        erased_at__isnull=True,
        is_staff=False,
        approval_state=Member.Approval.APPROVED,
        inactivity_warned_at__isnull=True,
    )


def _warned(now):
    return Member.objects.filter(
        erased_at__isnull=True,
        inactivity_warned_at__lt=now - timedelta(days=WARNING_DAYS),
    )


def _erase_each(reason):
    def apply(members, now):
        count = 0
        for member in members:
            erase_member(member, reason=reason)
            count += 1
        return count

    return apply


def _clear_needs(registrations, now):
    return registrations.update(
        access_needs="", dietary_needs="", needs_consent_at=None
    )


def _anonymise_feedback(feedback, now):
    return feedback.update(registration=None)


def _warn_inactive(members, now):
    count = 0
    for member in members:
        with transaction.atomic():
            Member.objects.filter(pk=member.pk).update(inactivity_warned_at=now)
            send_templated_email(
                "privacy/email/inactivity_warning",
                [member.email],
                {"member": member, "days": WARNING_DAYS},
            )
        count += 1
    return count


UNVERIFIED_DAYS = 30
REJECTED_DAYS = 183
NEEDS_DAYS = 30
FEEDBACK_DAYS = 365
INACTIVE_DAYS = 3 * 365
WARNING_DAYS = 60
SECURITY_LOG_DAYS = 365

RULES = [
    Rule(
        "unverified",
        _("Sign-ups whose email address was never confirmed"),
        _("30 days after sign-up"),
        _("erased"),
        UNVERIFIED_DAYS,
        _unverified,
        _erase_each("retention: email never verified"),
    ),
    Rule(
        "rejected",
        _("Applications that were not approved"),
        _("6 months after the decision"),
        _("erased"),
        REJECTED_DAYS,
        _rejected,
        _erase_each("retention: application rejected"),
    ),
    Rule(
        "needs",
        _("Access and dietary needs given when registering for an event"),
        _("30 days after the event"),
        _("deleted"),
        NEEDS_DAYS,
        _needs,
        _clear_needs,
    ),
    Rule(
        "feedback",
        _("Event feedback"),
        _("12 months after it was given"),
        _("kept without your name (anonymous)"),
        FEEDBACK_DAYS,
        _feedback,
        _anonymise_feedback,
    ),
    Rule(
        "inactive",
        _("Accounts not used for 3 years"),
        _("3 years after the last sign-in"),
        _("you are emailed a warning; signing in keeps the account"),
        INACTIVE_DAYS,
        _inactive,
        _warn_inactive,
    ),
    Rule(
        "warned",
        _("Accounts still unused after that warning"),
        _("60 days after the warning"),
        _("erased"),
        WARNING_DAYS,
        _warned,
        _erase_each("retention: inactive for 3 years"),
    ),
]
# Not rows in this database, so not a rule the job runs: stated for the notice.
OTHER_PERIODS = [
    (
        _("Security log entries (sign-ins, failed sign-ins, changes to your account)"),
        _("12 months"),
        _("deleted by the log rotation on the server"),
    ),
    (
        _("The audit record of decisions (approvals, erasures, who changed what)"),
        _("for as long as the network runs"),
        _("kept, with no name or email address for an erased member"),
    ),
    (
        _("Your account, profile and what you contributed"),
        _("while you are a member"),
        _("erased when you ask, or by the rules above"),
    ),
]


def apply_retention(*, dry_run=False, now=None, out=None) -> dict[str, int]:
    """Carry out every rule that is due; with ``dry_run``, only count."""
    now = now or timezone.now()
    done = {}
    for rule in RULES:
        due = rule.due(now)
        if dry_run:
            done[rule.name] = due.count()
        else:
            done[rule.name] = rule.apply(due, now)
        if out:
            verb = "would act on" if dry_run else "acted on"
            out(f"{rule.name}: {verb} {done[rule.name]} ({rule.what.lower()})")
    log.info("retention run", extra={"dry_run": dry_run, **done})
    return done
