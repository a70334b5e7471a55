import pytest
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from network.forums import queries, services
from network.models import Notification, NotificationSettings, Subscription, Thread
from tests.factories import make_member, organisation
from tests.forums.factories import make_forum, make_reply, make_thread

pytestmark = pytest.mark.django_db


def thread_url(thread, **params):
    url = reverse("network:thread_detail", args=[thread.pk])
    return url + (
        "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""
    )


# --- Who sees what -----------------------------------------------------------


def test_visitor_and_pending_member_are_refused(client, pending_client, member):
    thread = make_thread(author=member)
    for url in [reverse("network:forum_list"), thread_url(thread)]:
        assert client.get(url)["Location"].startswith(reverse("account_login"))
        assert pending_client.get(url)["Location"] == reverse("network:pending")


def test_hidden_post_is_seen_only_by_moderators(
    member, other_client, coordinator, coordinator_client
):
    thread = make_thread(author=member, title="Heat network tariffs")
    post = make_reply(thread, author=member, body="Rude words here")
    services.hide_post(post, moderator=coordinator, reason="Off topic")
    response = other_client.get(thread_url(thread, page=1))
    assertNotContains(response, "Rude words here")
    assertContains(response, "hidden by a moderator")
    response = coordinator_client.get(thread_url(thread, page=1))
    assertContains(response, "Rude words here")
    assertContains(response, "Off topic")
    assert not queries.search_posts("rude", viewer=post.thread.author).exists()


def test_hidden_thread_and_moderators_only_forum_are_404_for_members(
    member, other_client, coordinator, coordinator_client
):
    thread = make_thread(author=member, title="Hidden one")
    services.moderate_thread(thread, moderator=coordinator, action="hide", reason="x")
    back_room = make_forum(name="Back room", moderators_only=True)
    secret = make_thread(author=coordinator, forum=back_room, title="Secret plans")
    assert other_client.get(thread_url(thread)).status_code == 404
    assert other_client.get(thread_url(secret)).status_code == 404
    forums = other_client.get(reverse("network:forum_list"))
    assertNotContains(forums, "Back room")
    assertContains(coordinator_client.get(reverse("network:forum_list")), "Back room")
    assert coordinator_client.get(thread_url(secret)).status_code == 200


def test_a_script_in_a_post_is_not_executed(member, other_client):
    thread = make_thread(
        author=member,
        body='Hello <script>alert("x")</script> [x](javascript:alert(1)) '
        "<img src=x onerror=alert(1)>",
    )
    response = other_client.get(thread_url(thread))
    assertNotContains(response, "<script>alert")
    assertNotContains(response, "javascript:")
    assertNotContains(response, "onerror")
    assertContains(response, "Hello")


# --- Posting -----------------------------------------------------------------


def test_member_starts_a_thread_and_bad_input_keeps_the_text(member_client):
    forum = make_forum(name="Transport")
    url = reverse("network:thread_create")
    response = member_client.post(url, {"forum": forum.pk, "title": "", "body": "Kept"})
    assert response.status_code == 200
    assertContains(response, "Kept")
    assertContains(response, "There is a problem")
    response = member_client.post(
        url,
        {
            "forum": forum.pk,
            "title": "E-bike hire schemes",
            "tags": "bikes, transport",
            "is_question": "on",
            "body": "Who runs one?",
        },
    )
    thread = Thread.objects.get(title="E-bike hire schemes")
    assert response["Location"] == thread.get_absolute_url()
    assert thread.is_question
    assert sorted(t.slug for t in thread.tags.all()) == ["bikes", "transport"]


def test_an_over_long_thread_tag_is_a_field_error_that_keeps_the_text(member_client):
    response = member_client.post(
        reverse("network:thread_create"),
        {
            "forum": make_forum().pk,
            "title": "Heat pumps",
            "tags": "x" * 150,
            "body": "Text kept here.",
        },
    )
    assert response.status_code == 200
    assertContains(response, "Text kept here.")


def test_odd_digits_in_quote_or_notification_ids_are_not_a_server_error(
    member, other_client
):
    thread = make_thread(author=member)
    url = reverse("network:thread_reply", args=[thread.pk])
    assert other_client.get(url + "?quote=%C2%B2").status_code == 200
    response = other_client.post(
        reverse("network:notifications_mark_read"), {"notification": "\u00b2"}
    )
    assert response.status_code == 302


def test_locked_thread_refuses_replies(member, other_client, coordinator):
    thread = make_thread(author=member)
    services.moderate_thread(
        thread, moderator=coordinator, action="lock", reason="Done"
    )
    response = other_client.post(
        reverse("network:thread_reply", args=[thread.pk]), {"body": "One more"}
    )
    assert response.status_code == 302
    assert thread.posts.count() == 1
    with pytest.raises(services.ThreadLocked):
        services.post_reply(thread, author=member, body="Nope")
    assertContains(other_client.get(thread_url(thread)), "locked")


def test_reply_can_quote_and_is_numbered(member, other_member, other_client):
    thread = make_thread(author=member, body="Our heat pump pilot")
    first = thread.posts.get()
    response = other_client.get(
        reverse("network:thread_reply", args=[thread.pk]), {"quote": first.pk}
    )
    assertContains(response, "&gt; Our heat pump pilot")
    other_client.post(
        reverse("network:thread_reply", args=[thread.pk]),
        {"body": "> Our heat pump pilot\n\nHow did it go?", "quoted": first.pk},
    )
    reply = thread.posts.get(number=2)
    assert reply.quoted == first
    assert reply.author == other_member


def test_author_edits_keeping_earlier_version_and_deletes(
    member, member_client, other_client
):
    thread = make_thread(author=member, body="First words")
    post = thread.posts.get()
    assert (
        other_client.get(reverse("network:post_edit", args=[post.pk])).status_code
        == 404
    )
    member_client.post(reverse("network:post_edit", args=[post.pk]), {"body": "Better"})
    post.refresh_from_db()
    assert post.body == "Better" and post.edited_at
    assert post.revisions.get().body == "First words"
    assertContains(other_client.get(thread_url(thread)), "edited")
    member_client.post(reverse("network:post_delete", args=[post.pk]))
    post.refresh_from_db()
    assert post.is_deleted and post.body == "" and post.number == 1
    response = other_client.get(thread_url(thread))
    assertContains(response, "deleted by its author")
    assertNotContains(response, "Better")


def test_question_author_marks_several_helpful_answers(
    member, member_client, other_member, other_client
):
    thread = make_thread(author=member, is_question=True)
    a = make_reply(thread, author=other_member, body="Try a heat network")
    b = make_reply(thread, author=other_member, body="Ask Dundee")
    unanswered = reverse("network:thread_list") + "?unanswered=on"
    assertContains(member_client.get(unanswered), thread.title)
    other_response = other_client.post(reverse("network:post_answer", args=[a.pk]))
    assert other_response.status_code == 403
    member_client.post(reverse("network:post_answer", args=[a.pk]))
    member_client.post(reverse("network:post_answer", args=[b.pk]))
    thread.refresh_from_db()
    assert thread.has_answer
    response = member_client.get(thread_url(thread, page=1))
    assertContains(response, "Helpful answers")
    assertNotContains(member_client.get(unanswered), thread.title)


# --- Notifications -----------------------------------------------------------


def test_mention_watch_and_reply_notifications_reach_the_right_members_once(
    jobs,
):
    author = make_member(full_name="Aileen Murray")
    mentioned = make_member(full_name="Iain MacLeod")
    quoted_name = make_member(full_name="Priya Sharma")
    forum_watcher = make_member(full_name="Euan Robertson")
    bystander = make_member(full_name="Fiona Gordon")
    pending = make_member(full_name="Ewan Douglas", approved=False)
    forum = make_forum()
    services.set_subscription(forum_watcher, forum=forum, level="watching")
    services.set_subscription(mentioned, forum=forum, level="watching")
    with jobs:
        thread = make_thread(
            forum=forum,
            author=author,
            body='Ask @iain.macleod, @"Priya Sharma", @ewan.douglas and @aileen.murray',
        )
    got = dict(Notification.objects.values_list("recipient__full_name", "kind"))
    assert got == {
        "Iain MacLeod": "mention",
        "Priya Sharma": "mention",
        "Euan Robertson": "new_thread",
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [mentioned.email, quoted_name.email, forum_watcher.email]
    )
    assert pending.email not in [m.to[0] for m in mail.outbox]
    html = thread.posts.get().body_html
    assert "@Iain MacLeod</a>" in html and "@ewan.douglas" in html

    # A reply notifies the thread's watchers (its author watches by posting) once.
    Notification.objects.all().delete()
    mail.outbox.clear()
    with jobs:
        make_reply(thread, author=mentioned, body="Happy to help @aileen.murray")
    got = sorted(Notification.objects.values_list("recipient__full_name", "kind"))
    assert got == [("Aileen Murray", "mention"), ("Euan Robertson", "reply")]
    assert len(mail.outbox) == 2
    assert not Notification.objects.filter(recipient=bystander).exists()


def test_muted_thread_gets_no_reply_notifications(member, other_member, jobs):
    thread = make_thread(author=member)
    jobs.run()
    make_reply(thread, author=other_member)
    jobs.run()
    assert Notification.objects.filter(recipient=member).count() == 1
    services.set_subscription(member, thread=thread, level="muted")
    make_reply(thread, author=other_member, body="More")
    jobs.run()
    assert Notification.objects.filter(recipient=member).count() == 1


def test_member_who_cannot_see_the_thread_is_not_notified(member, coordinator):
    back_room = make_forum(moderators_only=True)
    services.set_subscription(member, forum=back_room, level="watching")
    make_thread(
        forum=back_room,
        author=coordinator,
        body=f"@{member.full_name.lower().replace(' ', '.')} see this",
    )
    assert not Notification.objects.filter(recipient=member).exists()


def test_edit_that_adds_a_mention_notifies_once(member, other_member, jobs):
    thread = make_thread(author=member, body="Hello")
    jobs.run()
    post = thread.posts.get()
    services.edit_post(post, body="Hello @oscar.other")
    jobs.run()
    services.edit_post(post, body="Hello again @oscar.other")
    jobs.run()
    assert Notification.objects.filter(recipient=other_member).count() == 1


def test_notification_list_count_and_mark_read(
    member, other_member, other_client, jobs
):
    make_thread(author=member, body="Thoughts, @oscar.other?")
    jobs.run()
    response = other_client.get(reverse("network:notifications"))
    assertContains(response, "mentioned you in")
    assert response.context["unread_notifications"] == 1
    notification = Notification.objects.get(recipient=other_member)
    response = other_client.get(
        reverse("network:notification_open", args=[notification.pk])
    )
    assert "#post-1" in response["Location"]
    notification.refresh_from_db()
    assert notification.read_at
    make_thread(author=member, body="And @oscar.other again")
    jobs.run()
    other_client.post(reverse("network:notifications_mark_read"))
    assert not Notification.objects.filter(recipient=other_member, read_at=None)


def test_a_notification_about_a_thread_hidden_since_is_not_listed(
    member, other_member, other_client, coordinator
):
    thread = make_thread(author=member, title="Secret tariff row")
    services.set_subscription(other_member, thread=thread, level="watching")
    make_reply(thread, author=member, body="More.")
    services.moderate_thread(thread, moderator=coordinator, action="hide", reason="x")
    response = other_client.get(reverse("network:notifications"))
    assertNotContains(response, "Secret tariff row")


def test_moderator_still_sees_notifications_about_a_hidden_thread(
    member, coordinator, coordinator_client, jobs
):
    thread = make_thread(author=member, title="Back-room tariff row")
    jobs.run()
    services.set_subscription(coordinator, thread=thread, level="watching")
    make_reply(thread, author=member, body="More.")
    jobs.run()
    services.moderate_thread(thread, moderator=coordinator, action="hide", reason="x")
    response = coordinator_client.get(reverse("network:notifications"))
    assertContains(response, "Back-room tariff row")


def test_email_choices_page(member_client, member):
    url = reverse("network:notification_settings")
    assert member_client.get(url).status_code == 200
    member_client.post(url, {"email_mention": "on", "digest_day": "0"})
    prefs = NotificationSettings.objects.get(member=member)
    assert prefs.email_mention and not prefs.email_reply


# --- Reading -----------------------------------------------------------------


def test_unread_tracking_and_opening_at_the_first_unread_post(
    member, other_member, other_client
):
    thread = make_thread(author=member)
    list_url = reverse("network:thread_list")
    assertContains(other_client.get(list_url), ">new</strong>")
    assert other_client.get(thread_url(thread)).status_code == 200
    assertNotContains(other_client.get(list_url), ">new</strong>")
    for n in range(25):
        make_reply(thread, author=member, body=f"Reply {n}")
    assertContains(other_client.get(list_url), "25 new")
    response = other_client.get(thread_url(thread))
    assert response["Location"].endswith("?page=1#post-2")
    other_client.get(thread_url(thread, page=2))
    assert queries.last_read_number(other_member, thread) == 26
    assert queries.watched_threads_with_new_posts(member) == []
    make_reply(thread, author=other_member, body="Late reply")
    assert queries.watched_threads_with_new_posts(member) == [thread]
    assert other_client.get(thread_url(thread)).status_code == 200


def test_watching_a_forum_and_posting_watches_the_thread(member, member_client):
    forum = make_forum()
    member_client.post(
        reverse("network:forum_watch", args=[forum.slug]), {"level": "watching"}
    )
    assert Subscription.objects.get(member=member, forum=forum).level == "watching"
    thread = make_thread(author=member, forum=forum)
    assert Subscription.objects.get(member=member, thread=thread).level == "watching"


def test_list_filters_and_full_text_search(member, member_client, other_member):
    heat = make_forum(name="Heat")
    make_thread(author=member, forum=heat, title="Heat pumps", tags=["heat-pumps"])
    other = make_thread(author=other_member, title="Bus lanes", body="Bus priority")
    make_reply(other, author=other_member, body="Glasgow's bus gates worked")
    url = reverse("network:thread_list")
    response = member_client.get(url, {"q": "gates"})
    assertContains(response, "Bus lanes")
    assertNotContains(response, "Heat pumps")
    response = member_client.get(url, {"forum": "heat"})
    assertContains(response, "Heat pumps")
    assertNotContains(response, "Bus lanes")
    assertContains(member_client.get(url, {"tag": "heat-pumps"}), "Heat pumps")
    response = member_client.get(url, {"mine": "on"})
    assertContains(response, "Heat pumps")
    assertNotContains(response, "Bus lanes")
    assert member_client.get(url, {"forum": "gone"}).status_code == 200


# --- Moderation --------------------------------------------------------------


def test_flag_goes_to_review_queue_and_moderator_hides(
    member, other_client, coordinator_client, member_client
):
    thread = make_thread(author=member, body="Spammy text")
    post = thread.posts.get()
    other_client.post(reverse("network:post_flag", args=[post.pk]), {"reason": "Spam"})
    assert member_client.get(reverse("network:review_queue")).status_code == 403
    response = coordinator_client.get(reverse("network:review_queue"))
    assertContains(response, "Spam")
    coordinator_client.post(
        reverse("network:review_resolve", args=[post.pk]),
        {"decision": "hide", "reason": "Advertising"},
    )
    post.refresh_from_db()
    assert post.is_hidden
    assertNotContains(coordinator_client.get(reverse("network:review_queue")), "Spam")


def test_a_too_long_review_reason_is_refused_on_its_field_and_kept(
    member, other_client, coordinator_client
):
    thread = make_thread(author=member, body="Spammy text")
    post = thread.posts.get()
    other_client.post(reverse("network:post_flag", args=[post.pk]), {"reason": "Spam"})
    url = reverse("network:review_resolve", args=[post.pk])
    typed = "Advertising, " * 20
    response = coordinator_client.post(url, {"decision": "hide", "reason": typed})
    assert response.status_code == 200
    assertContains(response, "Ensure this value has at most 192 characters")
    assertContains(response, typed.strip())
    assertContains(response, "There is a problem")
    assert response.content.decode().count("<title>Error: ") == 1
    post.refresh_from_db()
    assert not post.is_hidden
    longest = "x" * 192
    coordinator_client.post(url, {"decision": "hide", "reason": longest})
    post.refresh_from_db()
    assert post.is_hidden


def test_moderator_pins_moves_and_reason_is_kept(member, coordinator_client):
    thread = make_thread(author=member)
    target = make_forum(name="Elsewhere")
    url = reverse("network:thread_moderate", args=[thread.pk])
    response = coordinator_client.post(url, {"action": "move", "reason": "Better"})
    assertContains(response, "Choose the forum")
    coordinator_client.post(
        url, {"action": "move", "forum": target.pk, "reason": "Fits there"}
    )
    coordinator_client.post(url, {"action": "pin", "reason": "Important"})
    thread.refresh_from_db()
    assert thread.forum == target and thread.is_pinned
    assert list(thread.moderation_actions.values_list("reason", flat=True)) == [
        "Important",
        "Fits there",
    ]


def test_members_cannot_moderate(member, other_client):
    thread = make_thread(author=member)
    url = reverse("network:thread_moderate", args=[thread.pk])
    assert other_client.get(url).status_code == 403


# --- Performance -------------------------------------------------------------


def test_thread_pages_are_number_ranges_with_hidden_posts_in_place(
    member, other_client, coordinator
):
    thread = make_thread(author=member, body="Post number 1.")
    posts = [
        make_reply(thread, author=member, body=f"Post number {n}.")
        for n in range(2, 46)
    ]
    services.hide_post(posts[23 - 2], moderator=coordinator, reason="Off topic")
    response = other_client.get(thread_url(thread, page=2))
    assert [p.number for p in response.context["posts"]] == list(range(21, 41))
    assertContains(response, "Post number 21.")
    assertContains(response, "Post number 40.")
    assertNotContains(response, "Post number 23.")  # hidden, but its place stays
    assertNotContains(response, "Post number 41.")
    assert response.context["page"].paginator.num_pages == 3
    last = other_client.get(thread_url(thread, page=99))  # past the end: last page
    assert [p.number for p in last.context["posts"]] == list(range(41, 46))


@pytest.mark.parametrize("replies", [5, 19])
def test_thread_page_query_count_is_constant(
    replies, member, other_client, django_assert_num_queries
):
    people = [
        make_member(organisation=organisation("Dundee City Council")),
        make_member(organisation=organisation("Stirling Council")),
        member,
    ]
    thread = make_thread(author=member, is_question=True, tags=["heat"])
    posts = [
        make_reply(thread, author=people[i % 3], body=f"Reply **{i}**")
        for i in range(replies)
    ]
    services.set_helpful_answer(posts[0], by=member)
    make_reply(thread, author=member, body="quoted", quoted=posts[1])
    other_client.get(thread_url(thread, page=1))  # create the read mark
    # session, member, versions, read mark and watch level: the thread, its
    # heading and its posts come from the cache
    with django_assert_num_queries(4):
        response = other_client.get(thread_url(thread, page=1))
    assert response.status_code == 200


@pytest.mark.parametrize("threads", [5, 30])
def test_thread_list_query_count_is_constant(
    threads, member, other_client, django_assert_num_queries
):
    for i in range(threads):
        make_thread(author=member, tags=["heat", f"t{i}"])
    other_client.get(reverse("network:thread_list"))  # permissions cached from here
    with django_assert_num_queries(6):
        other_client.get(reverse("network:thread_list"))


# --- Other apps' discussions ---------------------------------------------------


def test_start_discussion_for_is_idempotent(member, other_member):
    subject = make_forum(name="Any model will do")
    first = services.start_discussion_for(
        subject, started_by=member, title="About it", body="Let's talk"
    )
    again = services.start_discussion_for(
        subject, started_by=other_member, title="Again", body="Again"
    )
    assert first == again == queries.discussion_for(subject)
    assert first.forum.slug == "general"
    assert queries.recent_posts_by(member, moderator=False)[0].thread == first
