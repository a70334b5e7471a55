import pytest
from django.urls import reverse
from pytest_django.asserts import assertNotContains

from network.forums import services
from tests.forums.factories import make_reply, make_thread

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
