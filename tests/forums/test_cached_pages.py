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
    # session, member, version tokens: the forums and the member's watched
    # threads come from the cache
    assert warm == 3


def test_forum_list_shows_new_posts_in_watched_threads_and_reading_clears_them(
    member, member_client
):
    thread = make_thread(author=member, title="Depot charging")
    assertNotContains(member_client.get(FORUMS), "Depot charging")
    make_reply(thread, author=make_member())
    assertContains(member_client.get(FORUMS), "Depot charging")
    member_client.get(page_url(thread))  # read: the member's reading token moves
    assertNotContains(member_client.get(FORUMS), "Depot charging")


# --- A thread's pages ------------------------------------------------------------


def page_url(thread, page=1):
    return f"{reverse('network:thread_detail', args=[thread.pk])}?page={page}"


def test_thread_page_shows_a_new_reply_and_a_hidden_post_on_the_next_request(
    member, other_member, other_client, coordinator, coordinator_client
):
    thread = make_thread(author=member, body="Opening words")
    assertContains(other_client.get(page_url(thread)), "Opening words")
    reply = make_reply(thread, author=member, body="A second thought")
    assertContains(other_client.get(page_url(thread)), "A second thought")
    assertContains(coordinator_client.get(page_url(thread)), "A second thought")
    services.hide_post(reply, moderator=coordinator, reason="Off topic")
    response = other_client.get(page_url(thread))
    assertNotContains(response, "A second thought")
    assertContains(response, "hidden by a moderator")
    response = coordinator_client.get(page_url(thread))
    assertContains(response, "A second thought")
    assertContains(response, "Hidden from members: Off topic")


def test_thread_page_shows_an_edit_a_lock_and_a_new_tag_on_the_next_request(
    member, other_client, coordinator
):
    thread = make_thread(author=member, body="First draft")
    assertContains(other_client.get(page_url(thread)), "Post reply")
    services.edit_post(thread.posts.get(), body="Second draft")
    assertContains(other_client.get(page_url(thread)), "Second draft")
    thread.tags.add("heat-pumps")
    assertContains(other_client.get(page_url(thread)), "heat-pumps")
    services.moderate_thread(thread, moderator=coordinator, action="lock", reason="x")
    response = other_client.get(page_url(thread))
    assertNotContains(response, "Post reply")
    assertContains(response, "it takes no more replies")


def test_thread_page_shows_an_authors_new_name_and_council(member, other_client):
    thread = make_thread(author=member)
    assertContains(other_client.get(page_url(thread)), "Olivia Officer")
    member.full_name = "Olivia Newname"
    member.save()
    response = other_client.get(page_url(thread))
    assertContains(response, "Olivia Newname")
    assertNotContains(response, "Olivia Officer")
    organisation = member.organisation
    if organisation is not None:
        organisation.name = "Renamed Council"
        organisation.save()
        assertContains(other_client.get(page_url(thread)), "Renamed Council")


def test_own_posts_edit_links_never_reach_another_member(
    member, member_client, other_member, other_client
):
    thread = make_thread(author=member, body="Olivia writes")
    edit = reverse("network:post_edit", args=[thread.posts.get().pk])
    flag = reverse("network:post_flag", args=[thread.posts.get().pk])
    for _ in range(2):  # each order: the author first, then another member
        response = member_client.get(page_url(thread))
        assertContains(response, edit)
        assertNotContains(response, flag)
        response = other_client.get(page_url(thread))
        assertNotContains(response, edit)
        assertContains(response, flag)
    # A page with a post of Oscar's too: each sees their own links only.
    reply = make_reply(thread, author=other_member, body="Oscar replies")
    reply_edit = reverse("network:post_edit", args=[reply.pk])
    response = member_client.get(page_url(thread))
    assertContains(response, edit)
    assertNotContains(response, reply_edit)
    response = other_client.get(page_url(thread))
    assertContains(response, reply_edit)
    assertNotContains(response, edit)


def test_moderator_and_answer_controls_never_reach_other_members(
    member, member_client, other_member, other_client, coordinator_client
):
    thread = make_thread(author=member, is_question=True)
    reply = make_reply(thread, author=other_member, body="Try this")
    hide = reverse("network:post_hide", args=[reply.pk])
    for _ in range(2):
        response = coordinator_client.get(page_url(thread))
        assertContains(response, hide)
        assertContains(response, "Moderate thread")
        response = member_client.get(page_url(thread))  # asked the question
        assertNotContains(response, hide)
        assertNotContains(response, "Moderate thread")
        assertContains(response, "Mark as helpful answer")
        response = other_client.get(page_url(thread))
        assertNotContains(response, hide)
        assertNotContains(response, "Mark as helpful answer")


def test_new_post_markers_are_each_members_own(
    member, member_client, other_member, other_client
):
    thread = make_thread(author=member)
    other_client.get(page_url(thread))  # Oscar has read the opening post
    make_reply(thread, author=member, body="News for Oscar")
    # Olivia wrote both posts and has read them all: nothing is new to her.
    response = member_client.get(page_url(thread))
    assertNotContains(response, "post-unread")
    response = other_client.get(page_url(thread))
    assertContains(response, "post-unread", count=1)
    assertNotContains(other_client.get(page_url(thread)), "post-unread")


@pytest.mark.parametrize("replies", [3, 60])
def test_thread_page_query_count_is_constant_and_lower_when_warm(
    replies, member, other_client, django_assert_num_queries
):
    thread = make_thread(author=member, is_question=True, tags=["heat"])
    posts = [make_reply(thread, author=make_member()) for _ in range(replies)]
    services.set_helpful_answer(posts[0], by=member)
    url = page_url(thread, page=(replies + 1) // 20 + 1)  # the last page
    other_client.get(url)  # the read mark and the permissions, from here
    make_reply(thread, author=member)  # a new version: rendered anew
    url = page_url(thread, page=(replies + 2) // 20 + 1)
    # session, member, versions, thread, read mark and watch level, read mark
    # moved on, the member's reading token, authors of the page, tags, posts,
    # helpful answers
    with django_assert_num_queries(11):
        other_client.get(url)
    other_client.get(url)  # without the "new" marker: a rendering of its own
    # session, member, versions, read mark and watch level
    with django_assert_num_queries(4):
        other_client.get(url)
