"""Passwords: Argon2id, older PBKDF2 hashes upgraded at the next sign-in, 12 to 128
characters, common and name-like ones refused, pasting allowed."""

import re

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse

import portal.settings as production
from network.models import Member
from tests.factories import PASSWORD, make_member, verify_email

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "morag.fitzgerald@dundeecity.gov.uk",
    "full_name": "Morag Fitzgerald",
    "job_title": "Heat network officer",
    "organisation": "",
    "member_type": "officer",
}


def sign_up(client, password):
    return client.post(
        reverse("account_signup"),
        {**SIGNUP, "password1": password, "password2": password},
    )


def password_errors(response) -> list[str]:
    return [str(e) for e in response.context["form"].errors.get("password1", [])]


def test_production_hashes_with_argon2id_and_still_reads_pbkdf2():
    # The tests hash with MD5 for speed (tests/conftest.py); this is what runs.
    assert production.PASSWORD_HASHERS[0] == (
        "django.contrib.auth.hashers.Argon2PasswordHasher"
    )
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in (
        production.PASSWORD_HASHERS
    )


def test_a_pbkdf2_hash_becomes_argon2id_at_the_next_sign_in(settings, client):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    member = verify_email(make_member(email="old.hash@fife.gov.uk"))
    member.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    member.save(update_fields=["password"])
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": PASSWORD}
    )
    assert response["Location"] == reverse("portal:member_home")
    member.refresh_from_db()
    assert member.password.startswith("argon2$argon2id$")
    assert member.check_password(PASSWORD)


def test_a_new_password_is_hashed_with_argon2id(settings, client):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    response = sign_up(client, "heat-pumps-in-every-close-7")
    assert response.status_code == 302
    member = Member.objects.get(email=SIGNUP["email"])
    assert member.password.startswith("argon2$argon2id$")


def test_eleven_characters_are_refused_with_a_field_error(client):
    response = sign_up(client, "elevenchars")  # 11
    assert response.status_code == 200
    assert password_errors(response) == [
        "This password is too short. It must contain at least 12 characters."
    ]
    content = response.content.decode()
    assert "too short" in content
    assert f'value="{SIGNUP["email"]}"' in content  # what was typed is kept
    assert not Member.objects.filter(email=SIGNUP["email"]).exists()


def test_twelve_and_128_characters_are_accepted(client):
    assert sign_up(client, "twelve-chars").status_code == 302
    Member.objects.all().delete()
    assert sign_up(Client(), "x7-" * 42 + "ab").status_code == 302  # 128


def test_129_characters_are_refused(client):
    response = sign_up(client, "x7-" * 43)  # 129
    assert response.status_code == 200
    assert password_errors(response) == [
        "This password is too long. It must have at most 128 characters."
    ]


def test_a_common_password_is_refused(client):
    response = sign_up(client, "qwerty123456")
    assert password_errors(response) == ["This password is too common."]


def test_a_password_like_the_name_is_refused_at_sign_up(client):
    response = sign_up(client, "MoragFitzgerald")
    assert password_errors(response) == [
        "The password is too similar to the full name."
    ]
    response = sign_up(client, "Heat network officer")
    assert password_errors(response) == [
        "The password is too similar to the job title."
    ]


def test_a_password_like_the_name_is_refused_when_changed(client):
    member = verify_email(make_member(full_name="Hamish Drummond"))
    client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "hamish.drummond",
            "password2": "hamish.drummond",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["password1"]
    assert errors == ["The password is too similar to the full name."]
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


@pytest.mark.parametrize("name", ["account_login", "account_signup"])
def test_pasting_into_password_fields_is_allowed(client, name):
    content = client.get(reverse(name)).content.decode()
    fields = re.findall(r"<input[^>]*type=\"password\"[^>]*>", content)
    assert fields
    for field in fields:
        assert "onpaste" not in field and "oncopy" not in field
        assert 'autocomplete="off"' not in field
        assert 'autocomplete="' in field  # a password manager knows what it is
