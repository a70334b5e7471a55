"""A post's fan-out (notifications, unread counts, emails) is a job: the reply is
saved at once, its watchers hear within the job's run, and no run, second run or
mail failure tells anyone twice."""

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains

from kit.mail import render_email
from network.forums import jobs as forum_jobs
from network.forums import services
from network.forums.notifications import unsubscribe_headers, unsubscribe_url
from network.models import Notification, NotificationSettings
from tests.factories import make_member
from tests.forums.factories import make_reply, make_thread
from tests.mailbackends import CountingBackend, RefusingBackend

pytestmark = pytest.mark.django_db


@pytest.fixture
def watched(member, jobs):
    """A thread by ``member`` with three watchers, its opening post told about."""
    with jobs:
        thread = make_thread(author=member, title="Heat pump tariffs")
    watchers = [make_member() for _ in range(3)]
    for watcher in watchers:
        services.set_subscription(watcher, thread=thread, level="watching")
    return thread, watchers


def test_the_reply_is_shown_at_once_and_the_watchers_hear_from_the_job(
    member, member_client, watched, jobs
):
    thread, watchers = watched
    response = member_client.post(
        reverse("network:thread_reply", args=[thread.pk]),
        {"body": "Our tariff is 7p a unit."},
        follow=True,
    )
    assertContains(response, "Our tariff is 7p a unit.")
    assert not Notification.objects.filter(post__thread=thread, post__number=2)
    assert mail.outbox == []

    jobs.run()
    notified = Notification.objects.filter(post__thread=thread, post__number=2)
    assert {n.recipient_id for n in notified} == {w.pk for w in watchers}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(w.email for w in watchers)
    message = mail.outbox[0]
    assert "Our tariff is 7p a unit." in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    assert "/notifications/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    for watcher in watchers:
        watcher.refresh_from_db()
        assert watcher.unread_notifications == 1


def test_a_rolled_back_reply_queues_nothing(member, watched, jobs):
    thread, _ = watched
    with pytest.raises(RuntimeError), transaction.atomic():
        make_reply(thread, author=member, body="Never mind")
        raise RuntimeError("the change fails after the reply")
    assert jobs.waiting() == []
    assert jobs.run() == 0
    assert mail.outbox == []


def test_running_the_fan_out_twice_tells_nobody_twice(member, watched, jobs):
    thread, watchers = watched
    post = make_reply(thread, author=member)
    forum_jobs.notify_post.defer(post_id=post.pk)  # the same job, queued again
    jobs.run()
    forum_jobs.notify_post(post_id=post.pk)  # and run once more by hand
    jobs.run()
    assert Notification.objects.filter(post=post).count() == len(watchers)
    assert len(mail.outbox) == len(watchers)


def test_emails_go_in_batches_one_connection_each(
    member, watched, jobs, settings, monkeypatch
):
    thread, watchers = watched
    watchers.append(make_member())
    services.set_subscription(watchers[-1], thread=thread, level="watching")
    settings.EMAIL_BACKEND = "tests.mailbackends.CountingBackend"
    CountingBackend.opened = 0
    monkeypatch.setattr(forum_jobs, "BATCH", 3)
    make_reply(thread, author=member)
    jobs.run()
    assert len(mail.outbox) == 4
    assert CountingBackend.opened == 2  # 3 + 1 watchers


def test_only_those_who_want_email_get_it_and_all_get_the_notification(
    member, watched, jobs
):
    thread, (quiet, *others) = watched
    NotificationSettings.objects.create(member=quiet, email_reply=False)
    make_reply(thread, author=member)
    jobs.run()
    assert Notification.objects.filter(recipient=quiet, post__number=2).exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(o.email for o in others)


def test_a_mail_failure_mid_batch_sends_the_rest_later_each_exactly_once(
    member, watched, jobs, settings
):
    thread, watchers = watched
    settings.EMAIL_BACKEND = "tests.mailbackends.RefusingBackend"
    RefusingBackend.accept = 1
    post = make_reply(thread, author=member)
    (fan_out,) = jobs.waiting("network.forums.jobs.notify_post")
    forum_jobs.notify_post(**fan_out["args"])
    (batch,) = jobs.waiting("network.forums.jobs.email_notifications")
    with pytest.raises(ConnectionRefusedError):
        forum_jobs.email_notifications(**batch["args"])
    assert len(mail.outbox) == 1

    RefusingBackend.accept = 10  # the server is back: the retry sends the rest
    forum_jobs.email_notifications(**batch["args"])
    forum_jobs.email_notifications(**batch["args"])
    assert sorted(m.to[0] for m in mail.outbox) == sorted(w.email for w in watchers)
    assert not Notification.objects.filter(post=post, emailed_at=None)


def test_each_email_is_what_rendering_it_alone_gives_with_its_own_name_and_link(
    member, jobs
):
    """The email is rendered once per batch with each recipient's name and
    unsubscribe link put in after: every message must read exactly as if it had
    been rendered on its own, names that need escaping or look like links too."""
    with jobs:
        thread = make_thread(author=member, title="Heat & <power>")
    names = ["Ann & <Bob>", "Siobhan O'Neil", "j.smith.com", "Ruairidh MacLeod"]
    watchers = [make_member(full_name=name) for name in names]
    for watcher in watchers:
        services.set_subscription(watcher, thread=thread, level="watching")
    make_reply(thread, author=member, body="See https://example.org/heat & more.")
    jobs.run()
    assert len(mail.outbox) == len(watchers)
    by_address = {message.to[0]: message for message in mail.outbox}
    post = thread.posts.get(number=2)
    for watcher in watchers:
        message = by_address[watcher.email]
        url = unsubscribe_url(watcher, "reply")
        subject, text, html = render_email(
            "network/forums/email/notification",
            {
                "member": watcher,
                "post": post,
                "thread": thread,
                "kind": "reply",
                "kind_label": Notification.Kind.REPLY.label,
                "post_url": settings.SITE_URL + post.get_absolute_url(),
                "unsubscribe_url": url,
            },
        )
        assert (message.subject, message.body) == (subject, text)
        assert message.alternatives[0][0] == html
        assert message.extra_headers == unsubscribe_headers(watcher, "reply")
        assert f"Dear {watcher.full_name}," in message.body
    assert (
        "Dear Ann &amp; &lt;Bob&gt;,"
        in by_address[watchers[0].email].alternatives[0][0]
    )


def test_the_fan_out_runs_the_same_queries_for_few_and_many_watchers(
    member, jobs, monkeypatch
):
    """No query per recipient: the notification rows, unread counts and emails of
    a batch cost the same few queries for 3 watchers as for 12."""

    def queries_for(watcher_count):
        with jobs:
            thread = make_thread(author=member)
        for _ in range(watcher_count):
            services.set_subscription(make_member(), thread=thread, level="watching")
        make_reply(thread, author=member)
        mail.outbox.clear()
        (fan_out,) = jobs.waiting("network.forums.jobs.notify_post")
        with CaptureQueriesContext(connection) as notify:
            forum_jobs.notify_post(**fan_out["args"])
        (batch,) = jobs.waiting("network.forums.jobs.email_notifications")
        with CaptureQueriesContext(connection) as email:
            forum_jobs.email_notifications(**batch["args"])
        assert len(mail.outbox) == watcher_count
        jobs.run()
        return len(notify), len(email)

    assert queries_for(3) == queries_for(12)


def test_unread_counts_add_the_new_notification_to_those_already_there(
    member, other_member, jobs
):
    with jobs:
        thread = make_thread(author=member)
    services.set_subscription(other_member, thread=thread, level="watching")
    for _ in range(3):
        make_reply(thread, author=member)
        jobs.run()
    services.mark_notifications_read(
        other_member, ids=[other_member.notifications.first().pk]
    )
    post = make_reply(thread, author=member)
    jobs.run()
    forum_jobs.notify_post(post_id=post.pk)  # again: nobody is counted twice
    other_member.refresh_from_db()
    assert other_member.unread_notifications == 3
