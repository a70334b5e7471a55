"""Private conversations: who can read them, the kept unread counts, blocking,
leaving, reporting, the day's limit and the email job."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from network.conversations import services
from network.conversations.models import MOST_NEW_PER_DAY, Conversation
from network.models import Member
from tests.casestudies.factories import make_case_study
from tests.conftest import client_for
from tests.factories import make_member

pytestmark = pytest.mark.django_db

START = reverse("network:conversation_start")


def start(starter, *others, subject="Heat pumps", body="How did you fund it?"):
    return services.start_conversation(
        starter, recipients=list(others), subject=subject, body=body
    )


def unread(member) -> int:
    return Member.objects.get(pk=member.pk).unread_messages


def test_a_member_starts_a_conversation_from_a_profile_and_the_other_is_told(
    member, member_client, other_member, jobs
):
    profile = member_client.get(other_member.get_absolute_url())
    assertContains(profile, f"{START}?to={other_member.pk}")
    form = member_client.get(START, {"to": other_member.pk})
    assertContains(form, other_member.full_name)
    with jobs:
        response = member_client.post(
            START,
            {"to": [other_member.pk], "subject": "Heat pumps", "body": "How?"},
        )
    conversation = Conversation.objects.get()
    assert response.url == conversation.get_absolute_url()
    assert unread(other_member) == 1
    assert unread(member) == 0
    assert [m.to for m in mail.outbox] == [[other_member.email]]
    assert "Olivia Officer" in mail.outbox[0].subject
    # The email says a message waits; its text stays in the portal.
    assert "How?" not in mail.outbox[0].body
    other = client_for(other_member)
    assertContains(other.get(reverse("network:conversations")), "Heat pumps")
    page = other.get(conversation.get_absolute_url())
    assertContains(page, "How?")
    assert unread(other_member) == 0


def test_the_navigation_shows_unread_messages_without_counting_them(
    member, other_member
):
    start(member, other_member)
    start(member, other_member, subject="Second")
    client = client_for(other_member)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("network:conversations"))
    assertContains(response, "Messages <span")
    assert response.context["unread_messages"] == 2
    assert not any(
        "network_participant" in q["sql"] and "SUM" in q["sql"].upper()
        for q in queries.captured_queries
    )


def test_replies_count_for_everyone_else_still_in_it(member, other_member):
    third = make_member(full_name="Thea Third")
    conversation = start(member, other_member, third)
    services.send_message(conversation, author=other_member, body="We used CARES.")
    assert (unread(member), unread(other_member), unread(third)) == (1, 1, 2)
    services.leave_conversation(third, conversation)
    assert unread(third) == 0
    services.send_message(conversation, author=member, body="Thanks")
    assert unread(third) == 0
    # A member who left no longer sees it.
    response = client_for(third).get(conversation.get_absolute_url())
    assert response.status_code == 404
    with pytest.raises(services.ConversationRefused):
        services.send_message(conversation, author=third, body="Back?")


def test_only_its_people_can_read_a_conversation(client, member, other_member):
    conversation = start(member, other_member, body="Private words")
    url = conversation.get_absolute_url()
    outsider = make_member(full_name="Nosy Neighbour")
    pending = make_member(approved=False, full_name="Pat Pending")
    moderator = make_member(coordinator=True, full_name="Mo Moderator")
    assert client.get(url).status_code == 302  # a visitor: to sign in
    assert client_for(pending).get(url).url == reverse("network:pending")
    for reader in (outsider, moderator):
        response = client_for(reader).get(url)
        assert response.status_code == 404
        assertNotContains(response, "Private words", status_code=404)
    message = conversation.messages.get()
    report_url = reverse("network:message_report", args=[message.pk])
    assert client_for(outsider).get(report_url).status_code == 404
    leave = reverse("network:conversation_leave", args=[conversation.pk])
    assert client_for(outsider).post(leave).status_code == 404


def test_a_blocked_member_cannot_start_a_conversation_and_is_not_heard(
    member, member_client, other_member
):
    group = start(member, other_member, make_member(full_name="Gil Group"))
    services.block_member(other_member, member)
    response = member_client.post(
        START, {"to": [other_member.pk], "subject": "Again", "body": "Hello?"}
    )
    assertContains(response, "is not taking messages from you")
    assertContains(response, "Hello?")  # what they typed is kept
    before = unread(other_member)
    services.send_message(group, author=member, body="Still me")
    assert unread(other_member) == before
    page = client_for(other_member).get(group.get_absolute_url())
    assertNotContains(page, "Still me")


def test_at_most_twenty_new_conversations_a_day(member, member_client, other_member):
    for i in range(MOST_NEW_PER_DAY):
        start(member, other_member, subject=f"Question {i}")
    response = member_client.post(
        START, {"to": [other_member.pk], "subject": "One more", "body": "Typed"}
    )
    assert response.status_code == 200
    assertContains(response, "the most a member may")
    assertContains(response, "One more")
    assert Conversation.objects.count() == MOST_NEW_PER_DAY


def test_a_group_has_at_most_eight_people(member, member_client):
    others = [make_member(full_name=f"Person {i}") for i in range(8)]
    response = member_client.post(
        START, {"to": [m.pk for m in others], "subject": "Big", "body": "Hi all"}
    )
    assertContains(response, "at most 8 people")
    assert not Conversation.objects.exists()


def test_a_pending_member_cannot_be_written_to(member_client, pending_member):
    response = member_client.post(
        START, {"to": [pending_member.pk], "subject": "Hi", "body": "Hi"}
    )
    assertContains(response, "can no longer be messaged")
    assert not Conversation.objects.exists()


def test_bad_input_names_the_field_and_keeps_the_text(member_client, other_member):
    response = member_client.post(
        START, {"to": [other_member.pk], "subject": "", "body": "Kept body"}
    )
    assert response.status_code == 200
    assertContains(response, "Subject: This field is required")
    assertContains(response, "Kept body")
    response = member_client.post(START, {"to": ["x"], "subject": "s", "body": "b"})
    assert response.status_code == 200


def test_moderators_see_reported_messages_and_no_others(member, other_member):
    conversation = start(member, other_member, body="Unreported words")
    bad = services.send_message(conversation, author=member, body="Rude words")
    reporter = client_for(other_member)
    response = reporter.post(
        reverse("network:message_report", args=[bad.pk]), {"reason": ""}
    )
    assertContains(response, "This field is required")
    reporter.post(
        reverse("network:message_report", args=[bad.pk]), {"reason": "Abusive"}
    )
    moderator = client_for(make_member(coordinator=True))
    page = moderator.get(reverse("network:message_reports"))
    assertContains(page, "Rude words")
    assertContains(page, "Abusive")
    assertNotContains(page, "Unreported words")
    assert client_for(member).get(reverse("network:message_reports")).status_code == 403


def test_ask_the_authors_of_a_case_study(member_client, other_member):
    case_study = make_case_study(title="Solar schools", authors=[other_member])
    response = member_client.get(case_study.get_absolute_url())
    assertContains(response, "Ask the authors")
    assertContains(response, f"to={other_member.pk}")


def test_the_list_runs_the_same_queries_however_many_conversations(member):
    client = client_for(member)
    url = reverse("network:conversations")

    def count():
        client.get(url)  # warm the session and caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    start(member, make_member())
    few = count()
    for i in range(25):
        start(make_member(), member, make_member(), subject=f"Topic {i}")
    assert count() == few
    conversation = Conversation.objects.first()
    detail = conversation.get_absolute_url()
    client.get(detail)
    with CaptureQueriesContext(connection) as one:
        client.get(detail)
    for i in range(30):
        services.send_message(conversation, author=member, body=f"More {i}")
    client.get(detail)
    with CaptureQueriesContext(connection) as many:
        client.get(detail)
    assert len(many) == len(one)
