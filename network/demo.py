"""Demo members across the cities, for a developer's or a trainer's portal.

Every app may have a ``demo.py`` with ``create_demo(members, stdout)``; the
``load_demo_data`` command calls network's first, then the others'.
"""

import functools

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from .forums.demo import create_demo as create_forum_demo
from .models import Member, Organisation
from .roles import COORDINATORS, NETWORK_ADMINS
from .services import check_approval

DEMO_PASSWORD = "net-zero-demo-2026"
# The demo's staff must sign in with a second factor, as real staff must
# (network.roles.must_use_second_factor): an authenticator app with this secret,
# keyed into any app, and recovery codes from this seed. Fixed, so the demo is
# the same on every machine; the command refuses to run with DEBUG off.
DEMO_TOTP_SECRET = "NZSXILL2MVZG6LLEMVWW6LLBOBYC2MRW"
DEMO_RECOVERY_SEED = "net-zero-demo-recovery-codes-2026"
SECOND_FACTOR_KEYS = ("admin", "coordinator")
# An officer who added a passkey, as many do: a laptop's, registered on this site.
PASSKEY_KEY, PASSKEY_NAME = "dundee", "Work laptop"

# key, name, email, job title, organisation, member type, state, roles
PEOPLE = [
    ("admin", "Morag Campbell", "admin@improvementservice.org.uk", "Network manager", "Improvement Service", "partner", "approved", ["admin"]),
    ("coordinator", "Callum Fraser", "coordinator@scottishcities.org.uk", "Net zero programme coordinator", "Scottish Cities Alliance", "partner", "approved", [COORDINATORS]),
    ("dundee", "Aileen Murray", "aileen.murray@dundeecity.gov.uk", "Low-carbon heat project manager", "Dundee City Council", "officer", "approved", []),
    ("stirling", "Iain MacLeod", "iain.macleod@stirling.gov.uk", "Energy and sustainability officer", "Stirling Council", "officer", "approved", []),
    ("glasgow", "Priya Sharma", "priya.sharma@glasgow.gov.uk", "Sustainable transport planner", "Glasgow City Council", "officer", "approved", []),
    ("edinburgh", "Euan Robertson", "euan.robertson@edinburgh.gov.uk", "Circular economy lead", "City of Edinburgh Council", "officer", "approved", []),
    ("aberdeen", "Fiona Gordon", "fiona.gordon@aberdeencity.gov.uk", "Energy transition officer", "Aberdeen City Council", "officer", "approved", []),
    ("inverness", "Hamish Grant", "hamish.grant@highland.gov.uk", "Climate change coordinator", "The Highland Council", "officer", "approved", []),
    ("perth", "Kirsty Stewart", "kirsty.stewart@pkc.gov.uk", "Sustainability team leader", "Perth and Kinross Council", "officer", "approved", []),
    ("dunfermline", "Ross Henderson", "ross.henderson@fife.gov.uk", "Climate change officer", "Fife Council", "officer", "approved", []),
    ("councillor", "Cllr Jean Paterson", "cllr.jean.paterson@dundeecity.gov.uk", "Councillor", "Dundee City Council", "elected", "approved", []),
    ("pending", "Ewan Douglas", "ewan.douglas@glasgow.gov.uk", "Graduate officer", "Glasgow City Council", "officer", "pending", []),
    # Officers of councils without a network city, so "other councils" have work too.
    ("falkirk", "Mhairi Anderson", "mhairi.anderson@falkirk.gov.uk", "Climate emergency officer", "Falkirk Council", "officer", "approved", []),
    ("orkney", "Magnus Flett", "magnus.flett@orkney.gov.uk", "Renewable energy officer", "Orkney Islands Council", "officer", "approved", []),
    ("angus", "Heather Duncan", "heather.duncan@angus.gov.uk", "Sustainability officer", "Angus Council", "officer", "approved", []),
    ("ksb", "Duncan Moir", "duncan.moir@keepscotlandbeautiful.org", "Carbon Literacy trainer", "Keep Scotland Beautiful", "partner", "approved", []),
    # Every approval state, and sign-ups flagged for a closer look before approval.
    ("flagged_personal", "Lorna Baird", "lorna.baird.home@gmail.com", "Energy officer", "City of Edinburgh Council", "officer", "pending", []),
    ("flagged_mismatch", "Neil Ferguson", "neil.ferguson@glasgow.gov.uk", "Transport planner", "Aberdeen City Council", "officer", "pending", []),
    ("no_organisation", "Gemma Reid", "gemma.reid@outlook.com", "Consultant", None, "partner", "pending", []),
    ("rejected", "Steven Bell", "steven.bell@example.com", "Sales manager", None, "partner", "rejected", []),
    ("suspended", "Craig Boyd", "craig.boyd@falkirk.gov.uk", "Waste officer", "Falkirk Council", "officer", "suspended", []),
]  # fmt: skip
DECISION_NOTES = {
    "rejected": "Works for a supplier, not a council or partner body.",
    "suspended": "Left the council; suspended until their new employer is confirmed.",
}


def create_demo(members: dict, stdout) -> None:
    for key, name, email, title, org, kind, state, roles in PEOPLE:
        member = demo_member(email, name, title, org, kind, state)
        if "admin" in roles:
            member.is_staff = member.is_superuser = True
            member.save(update_fields=["is_staff", "is_superuser"])
            member.groups.add(Group.objects.get(name=NETWORK_ADMINS))
        for role in roles:
            if role != "admin":
                member.groups.add(Group.objects.get(name=role))
        members[key] = member
    for key, note in DECISION_NOTES.items():
        if not members[key].decision_note:
            members[key].decision_note = note
            members[key].decided_by = members["admin"]
            members[key].save(update_fields=["decision_note", "decided_by"])
    stdout.write(f"  {len(PEOPLE)} demo members, password: {DEMO_PASSWORD}")
    for _key, name, email, *_rest, state, roles in PEOPLE:
        label = ", ".join(r for r in roles) or state
        if members[_key].needs_review:
            label += ", flagged for review"
        stdout.write(f"    {email:45} {name} ({label})")
    give_second_factors([members[key] for key in SECOND_FACTOR_KEYS], stdout)
    give_passkey(members[PASSKEY_KEY], stdout)
    # Discussions live inside network/, so the command does not find them itself.
    create_forum_demo(members, stdout)
    create_conversation_demo(members, stdout)


@functools.cache
def _demo_password_hash() -> str:
    # Hashed once for every demo member: the production hasher is slow on purpose,
    # and forty demo sign-ins would take most of the loading time.
    return make_password(DEMO_PASSWORD)


def demo_member(
    email: str, name: str, title: str, organisation: str | None, kind: str, state: str
) -> Member:
    """The demo member with this email, created with a verified address if new;
    flagged for review as a sign-up would be (network.services.check_approval)."""
    member = Member.objects.filter(email=email).first()
    if member is None:
        org = Organisation.objects.get(name=organisation) if organisation else None
        member = Member.objects.create_user(
            email,
            None,
            full_name=name,
            job_title=title,
            organisation=org,
            member_type=kind,
            approval_state=state,
            decided_at=None if state == Member.Approval.PENDING else timezone.now(),
            needs_review=check_approval(
                email=email, organisation=org, member_type=kind
            ).flagged,
            # As if they signed up today, seeing today's notice.
            privacy_notice_version=settings.PRIVACY_NOTICE_VERSION,
        )
        member.password = _demo_password_hash()
        member.save(update_fields=["password"])
        _verify_email(member)
    return member


def give_second_factors(staff: list[Member], stdout) -> None:
    """An authenticator app and recovery codes for each, as they would have set
    up at their first sign-in (allauth stores them encrypted)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP
    from allauth.mfa.utils import encrypt

    codes = None
    for member in staff:
        kinds = set(
            Authenticator.objects.filter(user=member).values_list("type", flat=True)
        )
        if Authenticator.Type.TOTP not in kinds:
            TOTP.activate(member, DEMO_TOTP_SECRET)
        if Authenticator.Type.RECOVERY_CODES not in kinds:
            Authenticator.objects.create(
                user=member,
                type=Authenticator.Type.RECOVERY_CODES,
                data={"seed": encrypt(DEMO_RECOVERY_SEED), "used_mask": 0},
            )
        recovery = Authenticator.objects.get(
            user=member, type=Authenticator.Type.RECOVERY_CODES
        )
        codes = RecoveryCodes(recovery).get_unused_codes()
    stdout.write(
        f"  second factor for {len(staff)} staff: authenticator app secret "
        f"{DEMO_TOTP_SECRET}, recovery codes {', '.join(codes[:3])}..."
    )


def give_passkey(member: Member, stdout) -> None:
    """A passkey as allauth stores one a browser registered: the registration
    response with its attestation ("none") and public key. The key pair comes
    from a fixed seed, so the demo is the same everywhere; no device holds it,
    so it lists, renames and removes like any other but signs nobody in."""
    from allauth.mfa.models import Authenticator

    if Authenticator.objects.filter(
        user=member, type=Authenticator.Type.WEBAUTHN
    ).exists():
        return
    Authenticator.objects.create(
        user=member,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": PASSKEY_NAME, "credential": _demo_passkey_credential()},
    )
    stdout.write(f"  a passkey ({PASSKEY_NAME}) for {member.email}")


def _demo_passkey_credential() -> dict:
    import hashlib
    from urllib.parse import urlsplit

    from cryptography.hazmat.primitives.asymmetric import ec
    from fido2.cose import ES256
    from fido2.utils import websafe_encode
    from fido2.webauthn import (
        Aaguid,
        AttestationObject,
        AttestedCredentialData,
        AuthenticatorData,
        CollectedClientData,
    )

    def digest(text: str) -> bytes:
        return hashlib.sha256(text.encode()).digest()

    key = ec.derive_private_key(
        int.from_bytes(digest("net-zero-demo-passkey")) >> 8, ec.SECP256R1()
    )
    credential_id = digest("net-zero-demo-passkey-id")
    flags = AuthenticatorData.FLAG
    auth_data = AuthenticatorData.create(
        digest(urlsplit(settings.SITE_URL).hostname or "localhost"),
        flags.UP | flags.UV | flags.AT,
        0,
        AttestedCredentialData.create(
            Aaguid.NONE, credential_id, ES256.from_cryptography_key(key.public_key())
        ),
    )
    client_data = CollectedClientData.create(
        type="webauthn.create", challenge=digest("demo"), origin=settings.SITE_URL
    )
    return {
        "id": websafe_encode(credential_id),
        "rawId": websafe_encode(credential_id),
        "type": "public-key",
        "response": {
            "clientDataJSON": websafe_encode(bytes(client_data)),
            "attestationObject": websafe_encode(
                bytes(AttestationObject.create("none", auth_data, {}))
            ),
            "transports": ["internal"],
        },
        "clientExtensionResults": {"credProps": {"rk": True}},
        "authenticatorAttachment": "platform",
    }


def _verify_email(member: Member) -> None:
    from allauth.account.models import EmailAddress

    # Called for a member just created, so there is no address to update.
    EmailAddress.objects.create(
        user=member, email=member.email, verified=True, primary=True
    )


def create_conversation_demo(members: dict, stdout) -> None:
    """A few private conversations, so the Messages page has something to show."""
    from .conversations.models import Conversation
    from .conversations.services import send_message, start_conversation

    if Conversation.objects.exists():
        return
    chats = [
        ("glasgow", ["dundee"], "Your heat network's funding", "How did you fund the Dundee heat network's first phase?", "Mostly the Heat Network Fund, with capital from the council."),
        ("stirling", ["edinburgh", "aberdeen"], "Re-use hubs", "Could we compare footfall at our re-use hubs?", "Yes, I can share ours by Friday."),
        ("perth", ["inverness"], "Rural EV charging talk", "Thanks for the talk: can I see your site list?", "Of course, sending it over."),
    ]  # fmt: skip
    for starter, others, subject, first, reply in chats:
        conversation = start_conversation(
            members[starter],
            recipients=[members[k] for k in others],
            subject=subject,
            body=first,
        )
        send_message(conversation, author=members[others[0]], body=reply)
    stdout.write(f"  {len(chats)} conversations")
