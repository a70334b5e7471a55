"""An officer writes a case study with an attachment and submits it, a coordinator
publishes it, another officer finds it by a search word and downloads the file."""

import pytest

from casestudies.models import CaseStudy
from tests.browser.conftest import assert_accessible, sign_in_as, tick
from tests.casestudies.factories import PDF_BYTES
from tests.factories import make_coordinator, make_member, organisation

pytestmark = pytest.mark.django_db(transaction=True)


def test_write_submit_publish_find_and_download(page, tmp_path):
    author = make_member(
        full_name="Aileen Murray",
        email="aileen@dundeecity.gov.uk",
        organisation=organisation("Dundee City Council"),
    )
    coordinator = make_coordinator(full_name="Callum Fraser")
    reader = make_member(
        full_name="Iain MacLeod",
        email="iain@stirling.gov.uk",
        organisation=organisation("Stirling Council"),
    )
    report = tmp_path / "heat-report.pdf"
    report.write_bytes(PDF_BYTES)

    # The officer writes a draft with an attachment and submits it.
    sign_in_as(page, author)
    page.goto("/case-studies/")
    assert_accessible(page)
    page.get_by_role("link", name="Write a case study").click()
    page.wait_for_url("**/case-studies/new/")
    assert_accessible(page)
    page.get_by_label("Title").fill("Heat pumps warm Dundee's tower blocks")
    page.get_by_label("Summary").fill(
        "Air-source heat pumps feed a small heat network."
    )
    page.get_by_label("Full story").fill(
        "## What we did\n\nInsulation first, then pumps."
    )
    tick(page.get_by_label("Low-carbon heat"))
    page.get_by_label("Emissions saved (tCO2e a year)").fill("610")
    page.get_by_label("Add attachments").set_input_files(str(report))
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved.").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("The reviewers have been told").wait_for()
    case_study = CaseStudy.objects.get()
    assert case_study.status == CaseStudy.Status.SUBMITTED

    # A coordinator finds it in the review queue and publishes it.
    page.context.clear_cookies()
    sign_in_as(page, coordinator)
    page.goto("/case-studies/review/")
    assert_accessible(page)
    page.get_by_role("link", name="Heat pumps warm Dundee's tower blocks").click()
    assert_accessible(page)
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Published. The authors have been told.").wait_for()
    case_study.refresh_from_db()
    assert case_study.status == CaseStudy.Status.PUBLISHED

    # Another officer searches with a different form of the word and downloads the file.
    page.context.clear_cookies()
    sign_in_as(page, reader)
    page.goto("/case-studies/")
    page.get_by_label("Search words").fill("heating")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/case-studies/?*q=heating*")
    assert_accessible(page)
    page.get_by_role("link", name="Heat pumps warm Dundee's tower blocks").click()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="heat-report.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "heat-report.pdf"
    assert download.path().read_bytes().startswith(b"%PDF-")

    page.goto("/case-studies/impact/")
    assert_accessible(page)
