import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from network.forums import services
from tests.forums.factories import make_forum, make_reply, make_thread

pytestmark = pytest.mark.django_db


def test_notification_for_a_thread_hidden_since_is_not_listed(
    member, other_member, other_client, coordinator
):
    thread = make_thread(author=member, title="Secret tariff row")
    services.set_subscription(other_member, thread=thread, level="watching")
    make_reply(thread, author=member, body="More.")
    services.moderate_thread(thread, moderator=coordinator, action="hide", reason="x")
    response = other_client.get(reverse("network:notifications"))
    assertNotContains(response, "Secret tariff row")


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


def test_an_over_long_tag_is_a_field_error_not_a_server_error(member_client):
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
