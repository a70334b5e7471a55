"""Erasing a member: their personal data leaves the database, their work stays
as "Former member", and the settings page, admin and retention all use it."""

import re
import subprocess
from pathlib import Path

import pgserver
import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse

from casestudies.models import CaseStudy
from events.models import Feedback, Registration
from kit import versions
from network.conversations import services as conversations
from network.conversations.models import Conversation, Message
from network.models import Member, Post
from network.services import suspend_member
from portal.privacy.erasure import FORMER_MEMBER, erase_member
from tests.casestudies.factories import make_attachment, make_case_study
from tests.conftest import client_for
from tests.events.factories import make_event, make_registration, make_session
from tests.factories import PASSWORD, give_second_factor, make_member
from tests.forums.factories import make_reply, make_thread
from tests.training.factories import make_enrolment, make_evidence

NAME = "Erin Erasable"
EMAIL = "erin.erasable@glasgow.gov.uk"
# Words only Erin wrote, in a private message and a conversation's subject.
MESSAGE_WORD = "Quokkaberry"
SUBJECT_WORD = "Zanzibarite"


def _erin_and_her_traces():
    erin = make_member(full_name=NAME, email=EMAIL, bio="Heat networks in Govan.")
    other = make_member(full_name="Oscar Other")
    published = make_case_study(authors=[erin, other], contact=erin, title="Govan heat")
    make_attachment(published, name="govan.pdf")
    draft = make_case_study(authors=[erin], status=CaseStudy.Status.DRAFT)
    make_attachment(draft, name="private-draft.pdf")
    thread = make_thread(author=erin, title="Heat pumps in tenements")
    make_reply(thread, author=erin, body="We used air source.")
    mention = make_reply(
        thread,
        author=other,
        body=f'Thanks @{erin.handle} and @"{NAME}", and @{other.handle}.',
    )
    event = make_event()
    make_session(event, speakers=[erin])
    registration = make_registration(
        event, erin, access_needs="Step-free access", dietary_needs="Coeliac"
    )
    Feedback.objects.create(registration=registration, rating=5, comment="Great")
    make_evidence(make_enrolment(member=erin))
    conversation = conversations.start_conversation(
        erin,
        recipients=[other],
        subject=f"{SUBJECT_WORD} boilers",
        body=f"Our {MESSAGE_WORD} pilot saved 40%.",
    )
    conversations.send_message(conversation, author=other, body="Which supplier?")
    return erin, other, published, draft, thread, mention


def _dump() -> str:
    """The test database's data, as pg_dump writes it (the server's own binary)."""
    pg_dump = Path(pgserver.__file__).parent / "pginstall" / "bin" / "pg_dump"
    db = connection.settings_dict
    result = subprocess.run(
        [
            str(pg_dump),
            "--data-only",
            "-h",
            db["HOST"] or "127.0.0.1",
            "-p",
            str(db["PORT"] or 5432),
            "-U",
            db["USER"],
            db["NAME"],
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


@pytest.mark.django_db(transaction=True)
def test_after_erasure_a_dump_of_the_database_finds_neither_email_nor_name():
    erin, other, published, draft, thread, mention = _erin_and_her_traces()
    Client().login(email=EMAIL, password=PASSWORD)  # a session in the table
    give_second_factor(erin)
    # A decision about her in the audit trail, which erasure cannot change.
    suspend_member(erin, decided_by=other, note="A decision about a member.")
    before = _dump()
    assert EMAIL in before and NAME in before  # the search would find them
    assert MESSAGE_WORD in before and SUBJECT_WORD in before

    erase_member(erin, reason="test")

    dump = _dump()
    assert not re.search(re.escape(EMAIL), dump, re.IGNORECASE)
    assert not re.search(re.escape(NAME), dump, re.IGNORECASE)
    assert not re.search(re.escape("erin.erasable"), dump, re.IGNORECASE)
    assert MESSAGE_WORD not in dump and SUBJECT_WORD not in dump
    # What she gave the network stays, without her name.
    published.refresh_from_db()
    assert list(published.authors.values_list("full_name", flat=True)) == sorted(
        [FORMER_MEMBER, "Oscar Other"]
    )
    assert published.attachments.count() == 1
    assert Post.objects.filter(thread=thread, author=erin).count() == 2
    mention.refresh_from_db()
    assert mention.body.count(f"@{FORMER_MEMBER}") == 2
    assert f"@{other.handle}" in mention.body
    assert other.get_absolute_url() in mention.body_html  # others stay linked
    assert erin.get_absolute_url() not in mention.body_html
    # Her private records are gone.
    assert not CaseStudy.objects.filter(pk=draft.pk).exists()
    assert not Registration.objects.filter(member=erin).exists()
    assert not Session.objects.exists()
    assert not Authenticator.objects.filter(user=erin).exists()
    erin.refresh_from_db()
    assert erin.erased_at and not erin.is_active and not erin.has_usable_password()


@pytest.mark.django_db
def test_the_others_in_a_conversation_see_her_messages_removed(jobs):
    erin = make_member(full_name=NAME, email=EMAIL)
    other = make_member(full_name="Oscar Other")
    conversation = conversations.start_conversation(
        erin, recipients=[other], subject="Boilers", body=f"Our {MESSAGE_WORD} pilot"
    )
    conversations.send_message(conversation, author=other, body="Which supplier?")

    erase_member(erin, reason="test")

    page = client_for(other).get(conversation.get_absolute_url())
    assert page.status_code == 200
    assert b"Message removed (former member)" in page.content
    assert b"Which supplier?" in page.content  # his reply keeps its place
    assert MESSAGE_WORD.encode() not in page.content
    assert NAME.encode() not in page.content
    assert Message.objects.filter(conversation=conversation).count() == 2
    conversation.refresh_from_db()
    assert conversation.subject == "Conversation started by a former member"
    # She has left it: nobody writes to an erased account.
    assert not erin.conversation_places.filter(left_at__isnull=True).exists()
    assert Conversation.objects.filter(pk=conversation.pk).exists()


@pytest.mark.django_db
def test_erasure_changes_the_version_tokens_so_cached_pages_drop_the_name():
    erin = make_member(full_name=NAME)
    make_thread(author=erin)
    before = versions.tokens(*versions.ALL)
    erase_member(erin, reason="test")
    after = versions.tokens(*versions.ALL)
    assert all(b != a for b, a in zip(before, after, strict=True))


@pytest.mark.django_db
def test_erasing_twice_changes_nothing_more():
    erin = make_member(full_name=NAME, email=EMAIL)
    erase_member(erin, reason="test")
    erin.refresh_from_db()
    email, handle = erin.email, erin.handle
    erase_member(erin, reason="again")
    erin.refresh_from_db()
    assert (erin.email, erin.handle) == (email, handle)


@pytest.mark.django_db
def test_the_profile_of_an_erased_member_is_gone(member_client):
    erin = make_member(full_name=NAME)
    erase_member(erin, reason="test")
    response = member_client.get(erin.get_absolute_url())
    assert NAME.encode() not in response.content
    assert response.status_code == 404


def test_admin_deletes_a_member_who_posted_by_erasing_them(admin_client, db):
    erin = make_member(full_name=NAME, email=EMAIL)
    make_thread(author=erin)
    url = reverse("admin:network_member_delete", args=[erin.pk])
    confirm = admin_client.get(url)
    assert confirm.status_code == 200
    assert b"Cannot delete" not in confirm.content
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    erin.refresh_from_db()
    assert erin.full_name == FORMER_MEMBER and erin.erased_at


def test_admin_bulk_delete_erases_each_member(admin_client, db):
    members = [make_member(full_name=f"Poster {n}") for n in range(2)]
    for m in members:
        make_thread(author=m)
    response = admin_client.post(
        reverse("admin:network_member_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [m.pk for m in members],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert Member.objects.filter(full_name=FORMER_MEMBER).count() == 2


def _sign_in(client, *, reauthenticate=True):
    """Through allauth, which records when the member last proved who they are."""
    EmailAddress.objects.create(
        user=Member.objects.get(email=EMAIL), email=EMAIL, primary=True, verified=True
    )
    response = client.post(
        reverse("account_login"), {"login": EMAIL, "password": PASSWORD}
    )
    assert response.status_code == 302
    if reauthenticate:
        response = client.post(
            reverse("account_reauthenticate"), {"password": PASSWORD}
        )
        assert response.status_code == 302


@pytest.mark.django_db
def test_a_member_erases_their_own_account_after_confirming(client, jobs):
    erin = make_member(full_name=NAME, email=EMAIL)
    _sign_in(client)
    url = reverse("privacy:erase")
    page = client.get(url)
    assert b"cannot be undone" in page.content and b"Former member" in page.content
    response = client.post(url)
    assert response.url == reverse("privacy:erased")
    # Signed out at once; the job removes the rest.
    assert client.get(reverse("network:settings")).status_code == 302
    erin.refresh_from_db()
    assert not erin.is_active and erin.full_name == NAME
    jobs.run()
    erin.refresh_from_db()
    assert erin.full_name == FORMER_MEMBER and EMAIL not in erin.email


def test_erase_page_needs_a_signed_in_member(client, db):
    response = client.get(reverse("privacy:erase"))
    assert response.status_code == 302 and "login" in response.url


@pytest.mark.django_db
def test_erase_page_asks_for_the_password_again(client):
    erin = make_member(full_name=NAME, email=EMAIL)
    _sign_in(client, reauthenticate=False)
    response = client.post(reverse("privacy:erase"))
    assert response.status_code == 302 and "reauthenticate" in response.url
    erin.refresh_from_db()
    assert erin.is_active
