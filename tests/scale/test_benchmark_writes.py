"""The write benchmark's pieces on tiny data (untimed): the watcher top-up, a real
POST with the member's session and CSRF token, and one worker's drain of the reply's
fan-out reaching every watcher."""

import pytest
from django.urls import reverse

from network.forums import services
from network.models import Notification, Post, Subscription
from tests.factories import make_member
from tests.forums.factories import make_thread
from tools.benchmark import writes


@pytest.mark.django_db
def test_the_top_up_makes_approved_members_watch_and_leaves_mutes_alone():
    author = make_member()
    thread = make_thread(author=author, title="Heat networks")
    muted, watching = make_member(), make_member()
    services.set_subscription(muted, thread=thread, level="muted")
    services.set_subscription(watching, thread=thread, level="watching")
    pending = make_member(approved=False)
    others = [make_member() for _ in range(3)]
    watching_ids = Subscription.objects.filter(thread=thread, level="watching")
    before = set(watching_ids.values_list("member_id", flat=True))

    added = writes.top_up_watchers(thread, target=len(before) + 2)

    assert added == 2
    assert writes.thread_watchers(thread) == len(before) + 2
    new = set(watching_ids.values_list("member_id", flat=True)) - before
    assert len(new) == 2
    assert new <= {author.pk} | {m.pk for m in others}  # approved, no mute
    assert Subscription.objects.get(thread=thread, member=muted).level == "muted"
    assert not Subscription.objects.filter(thread=thread, member=pending).exists()
    assert writes.top_up_watchers(thread, target=len(before) + 2) == 0


def test_percentiles_of_the_samples():
    figures = writes.percentiles([float(n) for n in range(1, 101)])
    assert figures["n"] == 100
    assert figures["p50"] == pytest.approx(50.5)
    assert figures["p95"] == pytest.approx(95.05)
    assert figures["p99"] == pytest.approx(99.01)


@pytest.mark.django_db(transaction=True)
def test_a_posted_reply_is_drained_to_every_watcher(live_server):
    author = make_member()
    thread = make_thread(author=author, title="Solar on schools")
    watchers = [make_member() for _ in range(4)]
    for watcher in watchers:
        services.set_subscription(watcher, thread=thread, level="watching")
    writes.drain([])  # the opening post's fan-out, not measured here

    session = writes.Session.sign_in(author, live_server.url)
    status, ms = session.post(
        reverse("network:thread_reply", args=[thread.pk]),
        {"body": "Ours pay back in 9 years."},
    )

    assert status == 302 and ms > 0
    reply = Post.objects.get(thread=thread, body="Ours pay back in 9 years.")
    assert not Notification.objects.filter(post=reply).exists()  # still queued
    drained = writes.drain([reply.pk])
    assert drained["left"] == 0
    assert drained["notifications"] == drained["emails"] == len(watchers)
    assert set(
        Notification.objects.filter(post=reply).values_list("recipient_id", flat=True)
    ) == {w.pk for w in watchers}


@pytest.mark.django_db(transaction=True)
def test_a_post_without_the_csrf_token_is_refused(live_server):
    author = make_member()
    thread = make_thread(author=author, title="Street lighting")
    session = writes.Session.sign_in(author, live_server.url)
    session.csrf = "x" * 32  # not the cookie's secret

    status, _ = session.post(
        reverse("network:thread_reply", args=[thread.pk]), {"body": "Hi"}
    )

    assert status == 403
    assert not Post.objects.filter(thread=thread, body="Hi").exists()
