"""The navigation's unread count is kept on the member's row, not counted per page:
after every kind of change it must still match what the notifications page lists."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from network.forums import services
from network.models import Member
from network.roles import COORDINATORS
from tests.admin_forms import admin_form_data
from tests.factories import make_member
from tests.forums.factories import make_forum, make_reply, make_thread

pytestmark = pytest.mark.django_db


def nav_count(client) -> int:
    """The number in the navigation's badge, as a member reads it (0: no badge)."""
    html = client.get(reverse("portal:about")).content.decode()
    found = re.search(
        r'class="ds_notification-tag[^"]*">(\d+)<span class="visually-hidden"> unread',
        html,
    )
    return int(found.group(1)) if found else 0


def watched_thread(author, watcher, jobs, **kwargs):
    """A thread the watcher watches from after its opening post was told about."""
    with jobs:
        thread = make_thread(author=author, **kwargs)
    services.set_subscription(watcher, thread=thread, level="watching")
    return thread


def test_the_badge_counts_new_notifications_and_clears_when_read(
    member, other_member, other_client, jobs
):
    thread = watched_thread(member, other_member, jobs)
    assert nav_count(other_client) == 0
    make_reply(thread, author=member)
    jobs.run()
    make_reply(thread, author=member)
    jobs.run()
    assert nav_count(other_client) == 2

    other_client.post(reverse("network:notifications_mark_read"))
    assert nav_count(other_client) == 0


def test_opening_one_notification_takes_one_off_the_badge(
    member, other_member, other_client, jobs
):
    thread = watched_thread(member, other_member, jobs)
    make_reply(thread, author=member)
    jobs.run()
    make_reply(thread, author=member)
    jobs.run()
    notification = other_member.notifications.first()
    other_client.get(reverse("network:notification_open", args=[notification.pk]))
    assert nav_count(other_client) == 1


def test_hiding_and_showing_a_thread_or_post_changes_the_badge(
    member, other_member, other_client, coordinator, jobs
):
    thread = watched_thread(member, other_member, jobs)
    reply = make_reply(thread, author=member)
    jobs.run()
    make_reply(thread, author=member)
    jobs.run()
    assert nav_count(other_client) == 2

    services.hide_post(reply, moderator=coordinator, reason="Off topic")
    assert nav_count(other_client) == 1
    services.moderate_thread(thread, moderator=coordinator, action="hide", reason="x")
    assert nav_count(other_client) == 0
    services.moderate_thread(thread, moderator=coordinator, action="unhide")
    assert nav_count(other_client) == 1
    services.hide_post(reply, moderator=coordinator, reason="", hidden=False)
    assert nav_count(other_client) == 2


def test_moving_a_thread_to_a_moderators_only_forum_or_closing_a_forum_in_admin(
    member, other_member, other_client, coordinator, admin_client, jobs
):
    thread = watched_thread(member, other_member, jobs)
    make_reply(thread, author=member)
    jobs.run()
    private = make_forum(name="Coordinators only", moderators_only=True)
    services.moderate_thread(
        thread, moderator=coordinator, action="move", forum=private
    )
    assert nav_count(other_client) == 0

    url = reverse("admin:network_forum_change", args=[private.pk])
    data = admin_form_data(admin_client.get(url))
    del data["moderators_only"]  # the box unticked, as Django admin posts it
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert nav_count(other_client) == 1


def test_hiding_a_thread_in_admin_changes_the_badge(
    member, other_member, other_client, admin_client, jobs
):
    thread = watched_thread(member, other_member, jobs)
    make_reply(thread, author=member)
    jobs.run()
    assert nav_count(other_client) == 1
    url = reverse("admin:network_thread_change", args=[thread.pk])
    data = admin_form_data(admin_client.get(url))
    data.update(is_hidden="on", hidden_reason="Spam")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert nav_count(other_client) == 0


def test_a_moderator_keeps_hidden_ones_until_the_role_is_taken_away(
    member, coordinator, coordinator_client, jobs
):
    thread = watched_thread(member, coordinator, jobs)
    make_reply(thread, author=member)
    jobs.run()
    services.moderate_thread(thread, moderator=coordinator, action="hide", reason="x")
    assert nav_count(coordinator_client) == 1

    # The recount after a role change is a job (a group may have many members).
    coordinator.groups.remove(Group.objects.get(name=COORDINATORS))
    assert jobs.waiting("network.forums.jobs.recount_unread")
    jobs.run()
    assert nav_count(coordinator_client) == 0
    Group.objects.get(name=COORDINATORS).user_set.add(coordinator)
    jobs.run()
    assert nav_count(coordinator_client) == 1
    coordinator.groups.clear()
    jobs.run()
    assert nav_count(coordinator_client) == 0


def test_a_deactivated_moderator_is_no_moderator(member, coordinator, jobs):
    """A moderator's account switched off in admin keeps the role's groups, but
    is not among the moderators who hear of posts nobody else may see."""
    assert coordinator in Member.objects.moderators()
    coordinator.is_active = False
    coordinator.save()
    assert coordinator not in Member.objects.moderators()
    assert member not in Member.objects.moderators()


def test_reactivating_a_moderator_in_admin_restores_the_badge(
    member, coordinator, coordinator_client, admin_client, jobs
):
    thread = watched_thread(member, coordinator, jobs)
    make_reply(thread, author=member)
    jobs.run()
    services.moderate_thread(thread, moderator=coordinator, action="hide", reason="x")
    Member.objects.filter(pk=coordinator.pk).update(is_active=False)
    services.recount_unread_notifications([coordinator.pk])
    coordinator.refresh_from_db()
    assert coordinator.unread_notifications == 0  # not a moderator while inactive
    url = reverse("admin:network_member_change", args=[coordinator.pk])
    data = admin_form_data(admin_client.get(url))
    data["is_active"] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    coordinator.refresh_from_db()
    assert coordinator.unread_notifications == 1


def test_making_a_member_superuser_in_admin_shows_hidden_ones_on_the_badge(
    member, other_member, other_client, coordinator, admin_client, jobs
):
    thread = watched_thread(member, other_member, jobs)
    make_reply(thread, author=member)
    jobs.run()
    services.moderate_thread(thread, moderator=coordinator, action="hide", reason="x")
    assert nav_count(other_client) == 0
    url = reverse("admin:network_member_change", args=[other_member.pk])
    data = admin_form_data(admin_client.get(url))
    data.update(is_superuser="on", is_staff="on")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    other_member.refresh_from_db()
    assert other_member.unread_notifications == 1


def test_a_reply_in_a_busy_thread_recounts_only_those_notified(
    member, other_member, jobs
):
    thread = watched_thread(member, other_member, jobs)
    bystander = make_member(full_name="Bea Bystander")
    make_reply(thread, author=member)
    jobs.run()
    other_member.refresh_from_db()
    bystander.refresh_from_db()
    assert (other_member.unread_notifications, bystander.unread_notifications) == (1, 0)


def test_recount_for_everyone_repairs_a_drifted_count(member, other_member, jobs):
    thread = watched_thread(member, other_member, jobs)
    make_reply(thread, author=member)
    jobs.run()
    type(other_member).objects.filter(pk=other_member.pk).update(unread_notifications=9)
    services.recount_unread_notifications()
    other_member.refresh_from_db()
    assert other_member.unread_notifications == 1
