"""The privacy notice, accessibility statement and cookie page say what the code
does, and visitors can read them."""

import dataclasses

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from portal.privacy import retention

pytestmark = pytest.mark.django_db


def test_privacy_notice_names_controller_dpo_bases_and_the_ico(client, settings):
    settings.PRIVACY_CONTROLLER = "Test Controller Ltd"
    settings.PRIVACY_DPO_EMAIL = "dpo@test.example"
    response = client.get(reverse("portal:privacy"))
    assertContains(response, "Test Controller Ltd")
    assertContains(response, "dpo@test.example")
    assertContains(response, "Public task")
    assertContains(response, "explicit consent")
    assertContains(response, "Information Commissioner")
    assertContains(response, reverse("portal:privacy"))


def test_the_retention_section_follows_the_retention_table(client, monkeypatch):
    before = client.get(reverse("portal:privacy")).content.decode()
    assert "30 days after the event" in before
    changed = [
        dataclasses.replace(rule, period="45 days after the event")
        if rule.name == "needs"
        else rule
        for rule in retention.RULES
    ]
    monkeypatch.setattr(retention, "RULES", changed)
    after = client.get(reverse("portal:privacy")).content.decode()
    assert "45 days after the event" in after
    assert "30 days after the event" not in after


def test_cookie_page_lists_each_cookie(client, settings):
    response = client.get(reverse("portal:cookies"))
    assertContains(response, settings.SESSION_COOKIE_NAME)
    assertContains(response, settings.CSRF_COOKIE_NAME)
