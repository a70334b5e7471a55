"""Demo members across the cities, for a developer's or a trainer's portal.

Every app may have a ``demo.py`` with ``create_demo(members, stdout)``; the
``load_demo_data`` command calls network's first, then the others'.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from .forums.demo import create_demo as create_forum_demo
from .models import Member, Organisation
from .roles import COORDINATORS, NETWORK_ADMINS

DEMO_PASSWORD = "net-zero-demo-2026"

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
]  # fmt: skip


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
    stdout.write(f"  {len(PEOPLE)} demo members, password: {DEMO_PASSWORD}")
    for _key, name, email, *_rest, state, roles in PEOPLE:
        label = ", ".join(r for r in roles) or state
        stdout.write(f"    {email:45} {name} ({label})")
    # Discussions live inside network/, so the command does not find them itself.
    create_forum_demo(members, stdout)
    create_conversation_demo(members, stdout)


def demo_member(
    email: str, name: str, title: str, organisation: str, kind: str, state: str
) -> Member:
    """The demo member with this email, created with a verified address if new."""
    member = Member.objects.filter(email=email).first()
    if member is None:
        member = Member.objects.create_user(
            email,
            DEMO_PASSWORD,
            full_name=name,
            job_title=title,
            organisation=Organisation.objects.get(name=organisation),
            member_type=kind,
            approval_state=state,
            decided_at=timezone.now() if state == Member.Approval.APPROVED else None,
            # As if they signed up today, seeing today's notice.
            privacy_notice_version=settings.PRIVACY_NOTICE_VERSION,
        )
        _verify_email(member)
    return member


def _verify_email(member: Member) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=member,
        email=member.email,
        defaults={"verified": True, "primary": True},
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
