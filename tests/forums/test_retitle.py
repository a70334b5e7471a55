"""A thread's author (while it is open) and moderators can fix its title."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from network.forums import services
from network.models import ModerationAction
from tests.forums.factories import make_thread

pytestmark = pytest.mark.django_db


def retitle_url(thread):
    return reverse("network:thread_retitle", args=[thread.pk])


def test_the_author_renames_and_everyone_sees_it_at_once(
    member, member_client, other_client
):
    thread = make_thread(author=member, title="Heat pupms in schools")
    page = thread.get_absolute_url() + "?page=1"
    assertContains(other_client.get(page), "Heat pupms in schools")
    assertContains(member_client.get(page), retitle_url(thread))
    response = member_client.post(
        retitle_url(thread), {"title": "Heat pumps in schools"}
    )
    assert response.status_code == 302
    response = other_client.get(page)
    assertContains(response, "<h1>Heat pumps in schools</h1>", html=True)
    assertNotContains(response, retitle_url(thread))
    assertContains(
        other_client.get(reverse("network:thread_list")), "Heat pumps in schools"
    )
    assert not ModerationAction.objects.exists()  # an author's own fix


def test_another_member_may_not(member, other_client):
    thread = make_thread(author=member, title="Heat pumps")
    assert other_client.get(retitle_url(thread)).status_code == 403
    assert other_client.post(retitle_url(thread), {"title": "Mine"}).status_code == 403
    thread.refresh_from_db()
    assert thread.title == "Heat pumps"


def test_a_moderators_change_is_recorded_and_a_locked_thread_is_theirs_only(
    member, member_client, coordinator, coordinator_client
):
    thread = make_thread(author=member, title="Old name")
    services.moderate_thread(thread, moderator=coordinator, action="lock")
    assert member_client.get(retitle_url(thread)).status_code == 403
    response = coordinator_client.post(retitle_url(thread), {"title": "New name"})
    assert response.status_code == 302
    action = ModerationAction.objects.get(action="retitle")
    assert (action.moderator, action.reason) == (coordinator, "Was: Old name")


def test_an_empty_or_over_long_title_is_a_field_error_keeping_the_text(
    member, member_client
):
    thread = make_thread(author=member, title="Heat pumps")
    response = member_client.post(retitle_url(thread), {"title": "  "})
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    too_long = "Heat " * 50
    response = member_client.post(retitle_url(thread), {"title": too_long})
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assertContains(response, too_long.strip())
    thread.refresh_from_db()
    assert thread.title == "Heat pumps"
