"""One way in: Django admin's own sign-in form never shows; /admin/login/ sends the
browser to allauth's sign-in page (its rate limits, second factor and messages)."""

import pytest
from django.test import Client
from django.urls import reverse

from network.models import Member
from tests.conftest import client_for
from tests.factories import (
    PASSWORD,
    give_second_factor,
    make_member,
    totp_code,
    verify_email,
)

pytestmark = pytest.mark.django_db

ADMIN_FORM = 'id="login-form"'  # Django admin's own sign-in form


@pytest.fixture
def staff():
    return verify_email(
        Member.objects.create_superuser(
            "ada@improvementservice.org.uk", PASSWORD, full_name="Ada Admin"
        )
    )


def test_admin_login_redirects_to_allauths_sign_in(client):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/admin/"


def test_admin_login_keeps_where_it_was_going(client):
    response = client.get("/admin/login/", {"next": "/admin/network/member/"})
    assert response["Location"] == (
        f"{reverse('account_login')}?next=/admin/network/member/"
    )


def test_a_visitor_at_admin_ends_on_allauths_form_not_admins(client):
    response = client.get("/admin/network/member/", follow=True)
    assert response.request["PATH_INFO"] == reverse("account_login")
    assert response.context["redirect_field_value"] == "/admin/network/member/"
    content = response.content.decode()
    assert ADMIN_FORM not in content
    assert "Forgotten your password?" in content  # allauth's page, the portal's look


def test_posting_credentials_to_admin_login_signs_nobody_in(staff):
    client = Client()
    response = client.post(
        "/admin/login/",
        {"username": staff.email, "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_a_signed_in_member_who_is_not_staff_is_refused_not_looped():
    client = client_for(make_member())
    assert client.get("/admin/login/").status_code == 403
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403


def test_staff_sign_in_through_allauth_with_their_code_and_land_in_admin(client, staff):
    give_second_factor(staff)
    response = client.post(
        f"{reverse('account_login')}?next=/admin/",
        {"login": staff.email, "password": PASSWORD},
    )
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    assert client.get("/admin/").status_code == 302  # not in yet
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    # Signed in, /admin/login/ is just the way to admin's index.
    assert client.get("/admin/login/")["Location"] == reverse("admin:index")
