"""The privacy notice, accessibility statement and cookie page say what the code
does, and visitors can read them."""

import dataclasses
import re
from datetime import date

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from portal import accessibility
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


# The model statement's sections (Public Sector Bodies (Websites and Mobile
# Applications) (No. 2) Accessibility Regulations 2018), in its order.
STATEMENT_SECTIONS = [
    "How accessible this portal is",
    "Feedback and contact information",
    "Reporting accessibility problems with this portal",
    "Enforcement procedure",
    "Technical information about this portal’s accessibility",
    "Compliance status",
    "Non-accessible content",
    "Non-compliance with the accessibility regulations",
    "Disproportionate burden",
    "Content that’s not within the scope of the accessibility regulations",
    "Preparation of this accessibility statement",
]


def test_accessibility_statement_has_the_model_statements_sections(client):
    response = client.get(reverse("portal:accessibility"))
    html = response.content.decode()
    headings = re.findall(r"<h[2-4][^>]*>(.*?)</h[2-4]>", html)
    assert [h for h in headings if h in STATEMENT_SECTIONS] == STATEMENT_SECTIONS
    assertContains(response, "partially compliant")
    assertContains(response, "Web Content Accessibility Guidelines version 2.2 AA")
    assertContains(response, "Equality and Human Rights Commission")
    assertContains(response, "Equality Advisory and Support Service (EASS)")
    assertContains(response, "not claiming that any accessibility problem")


def test_accessibility_statement_lists_each_known_problem_with_its_criterion(client):
    response = client.get(reverse("portal:accessibility"))
    for problem in accessibility.NON_COMPLIANCE:
        assertContains(response, f"success criterion {problem.criteria}.")
    for criterion in ("1.4.10 Reflow", "1.4.12 Text spacing", "2.5.8 Target size"):
        assertContains(response, criterion)
    assertContains(response, "map of the network")


def test_accessibility_statement_contacts_and_dates_come_from_settings(
    client, settings
):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "access@test.example"
    settings.ACCESSIBILITY_CONTACT_PHONE = "0131 496 0000"
    settings.ACCESSIBILITY_REPLY_WORKING_DAYS = 7
    settings.ACCESSIBILITY_STATEMENT_PREPARED = date(2026, 11, 2)
    settings.ACCESSIBILITY_STATEMENT_REVIEWED = date(2027, 3, 4)
    settings.ACCESSIBILITY_LAST_TESTED = date(2027, 2, 28)
    settings.ACCESSIBILITY_TESTED_BY = "Test Auditors Ltd"
    response = client.get(reverse("portal:accessibility"))
    assertContains(response, 'href="mailto:access@test.example"')
    assertContains(response, "call 0131 496 0000")
    assertContains(response, "within 7 working days")
    assertContains(response, 'prepared on <time datetime="2026-11-02">2 November 2026')
    assertContains(response, 'last reviewed on <time datetime="2027-03-04">')
    assertContains(response, 'last tested on <time datetime="2027-02-28">')
    assertContains(response, "carried out by Test Auditors Ltd")


def test_no_phone_is_shown_when_none_is_set(client, settings):
    settings.ACCESSIBILITY_CONTACT_PHONE = ""
    response = client.get(reverse("portal:accessibility"))
    assert "call " not in response.content.decode()
