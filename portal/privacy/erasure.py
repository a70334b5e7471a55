"""Erasing a member: one service for the settings page, Django admin and retention.

What the member gave the network's knowledge stays (case studies they wrote,
their posts and threads, their talks), attributed to "Former member": the member's
row is kept as a nameless tombstone, so nothing that points at it has to go or be
reassigned, and every PROTECT foreign key stays satisfied. Their name, email,
handle, profile and account are replaced; @mentions of them in anyone's posts
become "@Former member"; the text of their private messages, the subjects of
conversations they started and the reasons of reports they made are emptied (the
others keep the conversation, with "Message removed" in its place, and the
member leaves it); what is private to them (registrations with their needs,
feedback, training evidence and pledges, notifications, subscriptions, calendar
feed, blocks, draft case studies only they wrote, email addresses, sessions, sent
messages in the job queue) is deleted. What is left about them is pseudonymous:
the audit trail's events (decisions about member N, and that member N was erased,
by whom: member ids) and the security-log line.
"""

import secrets

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import connection, transaction
from django.utils import timezone

from casestudies.models import CaseStudy
from events.models import CalendarFeed, Registration
from kit import security, versions
from kit.markdown import render_markdown
from network.audit.services import Action, record
from network.forums.mentions import (
    MENTION_RE,
    Mentions,
    _name_key,
    link_mentions,
    mentioned_members,
)
from network.models import Block, Conversation, Member, Message, MessageReport
from network.models import forums as forum_models
from network.services import end_all_sessions
from portal.models import DataExport
from training.models import Enrolment, SignupIntent

FORMER_MEMBER = "Former member"


def erase_member(member: Member, *, by: Member | None = None, reason: str) -> None:
    """Remove the member's personal data and keep what they gave, nameless.

    Safe to run twice: an erased member is left as it is.
    """
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        if member.erased_at:
            return
        name, handle, email = member.full_name, member.handle, member.email
        emails = {email, *member.emailaddress_set.values_list("email", flat=True)}
        _scrub_mentions(member, name=name, handle=handle)
        _delete_private_records(member)
        _remove_message_text(member)
        _anonymise_member(member)
        end_sessions_and_second_factors(member)
        _forget_sent_messages(emails | {name})
        versions.changed(*versions.ALL)
        record_erasure(member, by=by, reason=reason)


def record_erasure(member: Member, *, by: Member | None, reason: str) -> None:
    """The record of an erasure, in the audit trail and the security log: ids and
    the reason, never a name or address."""
    record(by, Action.MEMBER_ERASED, member, after={"reason": reason})
    security.log_event(
        "member_erased", member=by, erased_member_id=member.pk, reason=reason
    )


def end_sessions_and_second_factors(member: Member) -> None:
    """Sign the member out everywhere, tracked sessions and any other stored one
    (each decoded: this runs in the erasure job, never in a request)."""
    end_all_sessions(member, every_stored_session=True)
    Authenticator.objects.filter(user=member).delete()


def _delete_private_records(member: Member) -> None:
    Registration.objects.filter(member=member).delete()  # needs, feedback
    Enrolment.objects.filter(member=member).delete()  # evidence, pledges
    SignupIntent.objects.filter(member=member).delete()
    CalendarFeed.objects.filter(member=member).delete()
    forum_models.Notification.objects.filter(recipient=member).delete()
    forum_models.NotificationSettings.objects.filter(member=member).delete()
    forum_models.Subscription.objects.filter(member=member).delete()
    forum_models.ReadMark.objects.filter(member=member).delete()
    Block.objects.filter(blocker=member).delete()
    Block.objects.filter(blocked=member).delete()
    EmailAddress.objects.filter(user=member).delete()
    for data_export in DataExport.objects.filter(member=member):
        data_export.file.delete(save=False)  # a zip of everything above
        data_export.delete()
    # Drafts nobody else wrote never reached the network's knowledge: private.
    drafts = CaseStudy.objects.filter(authors=member).exclude(
        status=CaseStudy.Status.PUBLISHED
    )
    sole = [cs for cs in drafts.prefetch_related("authors") if cs.authors.count() == 1]
    for case_study in sole:
        for attachment in case_study.attachments.all():
            attachment.file.delete(save=False)
        case_study.delete()
    CaseStudy.objects.filter(contact=member).update(contact=None)
    # Earlier texts of their own posts are not what they chose to leave published.
    forum_models.PostRevision.objects.filter(post__author=member).delete()


# Shown for a conversation whose starter was erased (the subject was their text).
ERASED_SUBJECT = "Conversation started by a former member"


def _remove_message_text(member: Member) -> None:
    """Private messages were written to a few people, not given to the network:
    their text goes. The rows stay so the others' replies keep their place."""
    Message.objects.filter(author=member).update(body="")
    Conversation.objects.filter(started_by=member).update(subject=ERASED_SUBJECT)
    MessageReport.objects.filter(reporter=member).update(reason="")
    member.conversation_places.filter(left_at__isnull=True).update(
        left_at=timezone.now(), unread=0
    )


def _anonymise_member(member: Member) -> None:
    member.groups.clear()
    member.coordinated_events.clear()
    member.user_permissions.clear()
    member.expertise.clear()
    member.full_name = FORMER_MEMBER
    member.handle = ""  # a fresh "former.member.N" is given on save
    member.email = f"erased-{member.pk}-{secrets.token_hex(4)}@erased.invalid"
    member.job_title = member.bio = member.decision_note = ""
    member.organisation = None
    member.show_email = member.is_staff = member.is_superuser = False
    member.is_active = False
    member.needs_review = False
    member.last_login = None
    member.erased_at = timezone.now()
    member.set_unusable_password()
    member.save()


def _scrub_mentions(member: Member, *, name: str, handle: str) -> None:
    """Turn mentions of the member into "@Former member" in every post and in the
    revisions moderators see, and render the posts' HTML again (it held a link
    with their name)."""
    key_handle, key_name = handle.lower(), _name_key(name)
    profile_url = member.get_absolute_url()

    def replace(match):
        if match["name"] and _name_key(match["name"]) == key_name:
            return f"@{FORMER_MEMBER}"
        if match["handle"] and match["handle"].lower() == key_handle:
            return f"@{FORMER_MEMBER}"
        return match[0]

    def scrub(text: str) -> str:
        return MENTION_RE.sub(replace, text)

    candidates = forum_models.Post.objects.filter(
        body__icontains=f"@{handle}"
    ) | forum_models.Post.objects.filter(body__icontains=f'@"{name}"')
    candidates = candidates | forum_models.Post.objects.filter(
        body_html__contains=profile_url
    )
    for post in candidates.distinct():
        post.body = scrub(post.body)
        # Mentions were links to the profile; the erased one links nowhere.
        post.body_html = str(render_markdown(_relink(post.body, member)))
        post.save(update_fields=["body", "body_html"])
    revisions = forum_models.PostRevision.objects.filter(
        body__icontains=f"@{handle}"
    ) | forum_models.PostRevision.objects.filter(body__icontains=f'@"{name}"')
    for revision in revisions.distinct():
        revision.body = scrub(revision.body)
        revision.save(update_fields=["body"])


def _relink(body: str, erased: Member) -> str:
    """The post's Markdown with its other mentions linked as on posting."""
    found = mentioned_members(body)
    members = Mentions(
        {k: m for k, m in found.by_handle.items() if m.pk != erased.pk},
        {k: m for k, m in found.by_name.items() if m.pk != erased.pk},
    )
    return link_mentions(body, members)


def _forget_sent_messages(words: set[str]) -> None:
    """Email jobs keep the address and the rendered message (with the name) in
    the queue's table: finished or waiting ones that name the member go."""
    with connection.cursor() as cursor:
        for word in sorted(w for w in words if w):
            cursor.execute(
                """
                DELETE FROM procrastinate_jobs j
                WHERE j.status <> 'doing'
                  AND j.args::text ILIKE %s
                  AND NOT EXISTS (
                    SELECT 1 FROM procrastinate_periodic_defers d WHERE d.job_id = j.id
                  )
                """,
                ["%" + word.replace("%", r"\%").replace("_", r"\_") + "%"],
            )
