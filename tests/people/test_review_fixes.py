import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

pytestmark = pytest.mark.django_db


def test_an_over_long_expertise_tag_is_a_field_error_not_a_server_error(
    member_client,
):
    response = member_client.post(
        reverse("network:profile_edit"),
        {"full_name": "Aileen Murray", "bio": "Kept bio", "expertise": "x" * 150},
    )
    assert response.status_code == 200
    assertContains(response, "Kept bio")
