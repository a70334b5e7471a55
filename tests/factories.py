"""Factories for the network's ground floor: valid defaults, any field overridable.

Each app keeps its own factories in tests/<app>/factories.py and may use these.
"""

import base64
import hashlib
import hmac
import itertools
import struct
import time

from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify

from network.models import City, Member, Organisation, Theme
from network.roles import COORDINATORS

_ids = itertools.count(1)
PASSWORD = "a-long-test-password-1"


def make_city(**fields) -> City:
    n = next(_ids)
    fields.setdefault("name", f"Test City {n}")
    fields.setdefault("slug", slugify(fields["name"]))
    return City.objects.get_or_create(name=fields["name"], defaults=fields)[0]


def make_organisation(**fields) -> Organisation:
    n = next(_ids)
    fields.setdefault("name", f"Test Council {n}")
    fields.setdefault("slug", slugify(fields["name"]))
    fields.setdefault("kind", Organisation.Kind.COUNCIL)
    fields.setdefault("email_domains", [f"council{n}.example.gov.uk"])
    return Organisation.objects.create(**fields)


def organisation(name: str) -> Organisation:
    """One of the councils or partners loaded by the reference-data migration."""
    return Organisation.objects.get(name=name)


def make_theme(**fields) -> Theme:
    n = next(_ids)
    fields.setdefault("name", f"Test theme {n}")
    fields.setdefault("slug", slugify(fields["name"]))
    return Theme.objects.create(**fields)


def make_member(
    *, approved=True, state=None, coordinator=False, perms=(), **fields
) -> Member:
    n = next(_ids)
    fields.setdefault("email", f"member{n}@example.org")
    fields.setdefault("full_name", f"Member {n}")
    fields.setdefault("job_title", "Sustainability officer")
    # Signed up seeing the current privacy notice, as sign-up records.
    fields.setdefault("privacy_notice_version", settings.PRIVACY_NOTICE_VERSION)
    if state is None:
        state = Member.Approval.APPROVED if approved else Member.Approval.PENDING
    fields["approval_state"] = state
    if state == Member.Approval.APPROVED:
        fields.setdefault("decided_at", timezone.now())
    member = Member.objects.create_user(password=PASSWORD, **fields)
    if coordinator:
        member.groups.add(Group.objects.get(name=COORDINATORS))
    for perm in perms:
        from django.contrib.auth.models import Permission

        app_label, codename = perm.split(".")
        member.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return member


def make_coordinator(**fields) -> Member:
    return make_member(coordinator=True, **fields)


def verify_email(member: Member) -> Member:
    """Give the member the verified primary address allauth's sign-in needs."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=member,
        email=member.email,
        defaults={"verified": True, "primary": True},
    )
    return member


# A known authenticator-app secret, so tests can type its codes (RFC 6238, worked
# out here rather than with allauth's own code, so a fault there shows).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(*, steps: int = 0, secret: str = TOTP_SECRET) -> str:
    """The 6-digit code an authenticator app shows now (or ``steps`` of 30 s off)."""
    counter = int(time.time()) // 30 + steps
    digest = hmac.new(
        base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1
    ).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def give_second_factor(member: Member):
    """An authenticator app with TOTP_SECRET, stored as allauth stores it."""
    from allauth.mfa.totp.internal.auth import TOTP

    return TOTP.activate(member, TOTP_SECRET).instance
