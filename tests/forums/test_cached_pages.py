"""The discussion pages keep their shared parts rendered: a change must show on the
very next request, and nothing one member sees may reach another."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from network.forums import services
from tests.factories import make_member
from tests.forums.factories import make_forum, make_reply, make_thread

pytestmark = pytest.mark.django_db

FORUMS = reverse("network:forum_list")


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


# --- The forums' front page ------------------------------------------------------


def test_forum_list_shows_a_new_thread_and_a_hidden_one_on_the_next_request(
    member, other_client, coordinator
):
    forum = make_forum(name="Heat networks")
    make_thread(author=member, forum=forum)
    assertContains(other_client.get(FORUMS), "1 thread")
    second = make_thread(author=member, forum=forum)
    assertContains(other_client.get(FORUMS), "2 threads")
    services.moderate_thread(second, moderator=coordinator, action="hide", reason="x")
    assertContains(other_client.get(FORUMS), "1 thread")


def test_forum_list_shows_a_renamed_forum_on_the_next_request(other_client):
    forum = make_forum(name="Heat networks")
    assertContains(other_client.get(FORUMS), "Heat networks")
    forum.name = "District heating"
    forum.save()
    response = other_client.get(FORUMS)
    assertContains(response, "District heating")
    assertNotContains(response, "Heat networks")


def test_moderators_forum_list_never_reaches_members_and_back(
    member, member_client, coordinator, coordinator_client
):
    back_room = make_forum(name="Back room", moderators_only=True)
    make_thread(author=coordinator, forum=back_room)
    open_forum = make_forum(name="Open forum")
    hidden = make_thread(author=member, forum=open_forum)
    services.moderate_thread(hidden, moderator=coordinator, action="hide", reason="x")
    for _ in range(2):  # each order: moderator first, then member, then again
        response = coordinator_client.get(FORUMS)
        assertContains(response, "Back room")
        assertContains(response, "Review queue")
        response = member_client.get(FORUMS)
        assertNotContains(response, "Back room")
        assertNotContains(response, "Review queue")
        assertContains(response, "0 threads")


def test_forum_list_shows_each_member_only_their_own_watched_threads(
    member, member_client, other_member, other_client
):
    thread = make_thread(author=member, title="Watched by Olivia")
    make_reply(thread, author=other_member, body="News")
    # Oscar's reply watches the thread for him too, but he has read it all.
    other_client.get(thread.get_absolute_url() + "?page=1")
    response = member_client.get(FORUMS)
    assertContains(response, "New in threads you watch")
    assertContains(response, "Watched by Olivia")
    response = other_client.get(FORUMS)
    assertNotContains(response, "New in threads you watch")
    assertNotContains(response, "Watched by Olivia")


@pytest.mark.parametrize("watching", [False, True])
def test_forum_list_query_count_is_constant(member, member_client, watching):
    if watching:
        watched = make_thread(author=member)
        make_reply(watched, author=make_member())
    member_client.get(FORUMS)  # the member's permissions are cached from here
    counts = []
    for forums in (2, 20):
        for _ in range(forums):
            make_thread(author=make_member(), forum=make_forum())
        cold = count_queries(member_client, FORUMS)  # a new thread: rendered anew
        counts.append((cold, count_queries(member_client, FORUMS)))
    assert counts[0] == counts[1]
    cold, warm = counts[0]
    assert warm < cold <= 15
    # session, member, version tokens, "watches any thread?", and for those who
    # do, their threads with new posts: the forums come from the cache
    assert warm == (5 if watching else 4)
