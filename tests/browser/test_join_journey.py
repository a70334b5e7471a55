"""A new officer joins: register, verify, wait, get approved, reach their home."""

import re

import pytest
from django.core import mail

from network.models import Member
from tests.browser.conftest import assert_accessible, sign_in_as
from tests.queue import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def test_register_verify_wait_approved_and_home(page, admin_user):
    page.goto("/")
    assert_accessible(page)
    page.get_by_role("link", name="Join the network").first.click()
    page.wait_for_url("**/accounts/signup/")
    assert_accessible(page)

    page.get_by_label("Email").fill("morven.black@stirling.gov.uk")
    page.get_by_label("Email").press("Tab")
    # The organisation is pre-selected from the email's domain.
    organisation = page.get_by_label("Organisation")
    assert organisation.locator("option:checked").inner_text() == "Stirling Council"
    page.locator("#id_password1").fill("heat-pumps-for-all-2026")
    page.locator("#id_password2").fill("heat-pumps-for-all-2026")
    page.get_by_label("Full name").fill("Morven Black")
    page.get_by_label("Job title").fill("Energy officer")
    page.get_by_role("button", name="Register").click()
    page.wait_for_url("**/accounts/confirm-email/")
    assert_accessible(page)

    run_worker()  # the confirmation email is a job
    # The link is absolute from SITE_URL; the test server has its own address.
    link = re.search(
        r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body
    )
    page.goto(link[1])
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/network/pending/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Thank you")
    assert_accessible(page)
    # Nothing of the network while waiting.
    page.goto("/home/")
    page.wait_for_url("**/network/pending/")

    # An admin approves in Django admin, with the bulk action.
    admin_page = page.context.browser.new_context(base_url=page.live_url).new_page()
    admin_page.live_url = page.live_url
    sign_in_as(admin_page, admin_user)
    admin_page.goto("/admin/network/member/?approval_state__exact=pending")
    admin_page.get_by_role(
        "checkbox", name="Select this object for an action"
    ).first.check()
    admin_page.get_by_label("Action:").select_option("approve_selected")
    admin_page.get_by_role("button", name="Go").click()
    admin_page.get_by_text("1 member(s) approved.").wait_for()
    assert Member.objects.get(email="morven.black@stirling.gov.uk").is_approved
    run_worker()
    assert "approved" in mail.outbox[-1].subject

    # The member signs in and reaches the member home.
    page.get_by_role("button", name="Sign out").click()
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Email").fill("morven.black@stirling.gov.uk")
    page.get_by_label("Password").first.fill("heat-pumps-for-all-2026")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url("**/home/")
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Morven"
    assert_accessible(page)
