"""The privacy notice's facts (UK GDPR Art. 13-14): rendered from settings and the
retention table, so the notice says what the code does."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import retention

PURPOSES = [
    (
        _("Checking you belong to the network and running your account"),
        _(
            "Public task (UK GDPR Art. 6(1)(e)): the councils' duty to act on climate "
            "change (Climate Change (Scotland) Act 2009, Part 4)"
        ),
    ),
    (
        _("Sharing case studies, discussions, events and training among members"),
        _("Public task (Art. 6(1)(e))"),
    ),
    (
        _("Carbon Literacy training records, pledges and certificates"),
        _("Public task (Art. 6(1)(e))"),
    ),
    (
        _("Access and dietary needs for an event (which can be health data)"),
        _(
            "Your explicit consent (Art. 6(1)(a) and Art. 9(2)(a)), which you may "
            "withdraw at any time by removing them from your registration"
        ),
    ),
    (_("Keeping the portal secure"), _("Public task (Art. 6(1)(e))")),
]

RECIPIENTS = [
    _("Approved members of the network, who see profiles, case studies and posts"),
    _(
        "The network's partner bodies that run events and training with us, for the "
        "registrations and training records they need"
    ),
    _(
        "The Carbon Literacy Project, for the evidence you ask us to send for certification"
    ),
    _(
        "The coordinators running an event you register for, who see any access and "
        "dietary needs you give, and the event's venue or caterer, who receive only "
        "your name and those needs"
    ),
    _("Our email provider, which delivers the portal's emails"),
]


def has_unread_version(user) -> bool:
    """A signed-in member who last read (or, signing up, saw) another version of
    the notice: a material change they have not been shown."""
    return (
        user.is_authenticated
        and not user.erased_at
        and user.privacy_notice_version != settings.PRIVACY_NOTICE_VERSION
    )


# Raise settings.PRIVACY_NOTICE_VERSION on a material change to what follows.
def context() -> dict:
    return {
        "version": settings.PRIVACY_NOTICE_VERSION,
        "controller": settings.PRIVACY_CONTROLLER,
        "controller_address": settings.PRIVACY_CONTROLLER_ADDRESS,
        "dpo_email": settings.PRIVACY_DPO_EMAIL,
        "purposes": PURPOSES,
        "recipients": RECIPIENTS,
        "rules": retention.RULES,
        "other_periods": retention.OTHER_PERIODS,
    }
