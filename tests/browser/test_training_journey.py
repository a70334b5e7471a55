"""An elected member registers from the training page, is approved, takes their
place, attends, pledges; a coordinator certifies them; their council's figure rises."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from network.models import Member, Organisation
from network.services import approve_member
from tests.browser.conftest import assert_accessible, sign_in_as
from tests.factories import make_coordinator
from tests.queue import run_worker
from tests.training.factories import make_cohort
from training.queries import council_figures

pytestmark = pytest.mark.django_db(transaction=True)


def _stirling_row(page):
    header = page.get_by_role("rowheader", name="Stirling Council", exact=True)
    return page.locator("tr", has=header)


def test_sign_up_attend_pledge_certify_and_council_figure(page, admin_user):
    coordinator = make_coordinator(full_name="Cora Coordinator")
    cohort = make_cohort(name="Forth Valley cohort", trainer=coordinator)
    stirling = Organisation.objects.get(name="Stirling Council")
    assert council_figures(stirling)["certified"] == 0

    # A visitor reads about the training and registers from a cohort's link.
    page.goto("/training/carbon-literacy/")
    assert_accessible(page)
    page.get_by_role("link", name="Register and sign up to Forth Valley cohort").click()
    page.wait_for_url("**/accounts/signup/**")
    assert page.get_by_label("I am").locator("option:checked").inner_text() == (
        "Elected member"
    )
    assert_accessible(page)
    page.get_by_label("Email").fill("cllr.morag.bell@stirling.gov.uk")
    page.locator("#id_password1").fill("heat-pumps-for-all-2026")
    page.locator("#id_password2").fill("heat-pumps-for-all-2026")
    page.get_by_label("Full name").fill("Cllr Morag Bell")
    page.get_by_role("button", name="Register").click()
    page.wait_for_url("**/accounts/confirm-email/")
    run_worker()  # the confirmation email is a job
    # The link is absolute from SITE_URL; the test server has its own address.
    link = re.search(
        r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body
    )
    page.goto(link[1])
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/network/pending/")

    # Once approved, their home takes them back to the cohort's sign-up.
    member = Member.objects.get(email="cllr.morag.bell@stirling.gov.uk")
    approve_member(member, decided_by=admin_user)
    page.context.clear_cookies()
    sign_in_as(page, member)
    page.goto("/home/")
    page.wait_for_url(f"**/training/cohorts/{cohort.pk}/join/")
    assert_accessible(page)
    page.get_by_role("button", name="Confirm my place").click()
    page.get_by_text("You have a place on Forth Valley cohort.").wait_for()
    assert_accessible(page)

    # The training takes place (a cohort takes sign-ups only before it starts).
    for session in cohort.sessions.all():
        session.starts_at -= timedelta(days=12)
        session.save()

    # The coordinator records attendance at both sessions.
    page.context.clear_cookies()
    sign_in_as(page, coordinator)
    page.goto(cohort.get_absolute_url())
    assert_accessible(page)
    for part in ["Part 1", "Part 2"]:
        page.get_by_role("link", name=f"Record attendance for {part}").click()
        assert_accessible(page)
        page.get_by_label("Cllr Morag Bell: hours attended").fill("4")
        page.get_by_role("button", name="Save attendance").click()
        page.get_by_text("Attendance saved.").wait_for()

    # The member fills in the evidence form with two pledges and submits it.
    page.context.clear_cookies()
    sign_in_as(page, member)
    page.goto("/training/")
    assert_accessible(page)
    page.get_by_role("link", name="Your evidence and pledges").click()
    assert_accessible(page)
    page.locator("#id_learning").fill("The carbon budget runs out this decade.")
    page.locator("#id_role").fill("Planning and transport decisions lock in carbon.")
    page.locator("#id_sharing").fill("A briefing for my group.")
    target = (
        timezone.localdate().replace(year=timezone.localdate().year + 1)
    ).isoformat()
    for n, kind, category, action in [
        (1, "individual", "transport", "Take the train to every COSLA meeting."),
        (2, "group", "procurement", "Whole-life carbon in our procurement rules."),
    ]:
        page.locator(f"#id_pledge{n}-kind").select_option(kind)
        page.locator(f"#id_pledge{n}-category").select_option(category)
        page.locator(f"#id_pledge{n}-action").fill(action)
        page.locator(f"#id_pledge{n}-target_date").fill(target)
    page.get_by_role("button", name="Submit to my trainer").click()
    page.get_by_text("Submitted: your trainer will check it.").wait_for()

    # The coordinator sends it to the Project and records the certificate.
    page.context.clear_cookies()
    sign_in_as(page, coordinator)
    page.goto(cohort.get_absolute_url())
    page.get_by_role("link", name="Review Cllr Morag Bell's evidence").click()
    assert_accessible(page)
    page.get_by_role("button", name="Mark as sent to the Project").click()
    page.get_by_text("Marked as sent to the Project.").wait_for()
    assert_accessible(page)
    page.get_by_label("Certificate number").fill("CLP-2026-0042")
    page.get_by_label("Date certified").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Record certification").click()
    page.get_by_text("Cllr Morag Bell is certified.").wait_for()

    # Stirling's figure goes up.
    page.goto("/training/progress/")
    assert_accessible(page)
    cells = _stirling_row(page).locator("td").all_inner_texts()
    assert cells[1:5] == ["1", "1", "1", "1"]
    assert council_figures(stirling)["certified"] == 1
