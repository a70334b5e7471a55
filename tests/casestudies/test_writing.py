"""Writing a case study: the form, attachments checked by content, safe Markdown."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from casestudies.models import CaseStudy
from casestudies.services import create_draft_case_study
from network.models import Theme
from tests.casestudies.factories import PDF_BYTES, make_case_study
from tests.factories import make_member, organisation

pytestmark = pytest.mark.django_db


def form_data(**changes):
    data = {
        "title": "Dundee heat pumps in schools",
        "summary": "Air-source heat pumps in three primary schools.",
        "body": "## What we did\n\nWe replaced gas boilers.",
        "organisation": organisation("Dundee City Council").pk,
        "themes": [Theme.objects.get(slug="low-carbon-heat").pk],
        "tags": "heat pumps, schools",
        "stage": "complete",
        "start_date": "2021-04-01",
        "end_date": "2022-03-31",
        "capital_cost": "450000",
        "revenue_cost": "20000",
        "emissions_saved": "85.5",
        "emissions_confidence": "measured",
        "emissions_method": "Metered gas use before and after.",
    }
    data.update(changes)
    return data


def test_member_writes_a_draft_with_an_attachment(member, member_client):
    upload = SimpleUploadedFile("report.pdf", PDF_BYTES, "application/pdf")
    response = member_client.post(
        reverse("casestudies:create"), {**form_data(), "attachments": [upload]}
    )
    case_study = CaseStudy.objects.get()
    assert response["Location"] == case_study.get_absolute_url()
    assert case_study.status == CaseStudy.Status.DRAFT
    assert list(case_study.authors.all()) == [member]
    assert case_study.city.name == "Dundee"
    assert sorted(case_study.tags.names()) == ["heat pumps", "schools"]
    assert case_study.attachments.get().name == "report.pdf"
    page = member_client.get(case_study.get_absolute_url())
    assertContains(page, "report.pdf")
    assertContains(page, "Submit for review")


def test_html_renamed_pdf_is_refused_and_the_form_is_kept(member_client):
    upload = SimpleUploadedFile(
        "report.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"
    )
    response = member_client.post(
        reverse("casestudies:create"), {**form_data(), "attachments": [upload]}
    )
    assert response.status_code == 200
    assertContains(response, "its content is a web page (HTML), so it was refused")
    assertContains(response, 'value="Dundee heat pumps in schools"')
    assertContains(response, "Metered gas use before and after.")
    assert not CaseStudy.objects.exists()


def test_disallowed_kind_and_bad_dates_are_field_errors(member_client):
    upload = SimpleUploadedFile("tool.exe", b"MZ\x90\x00", "application/octet-stream")
    response = member_client.post(
        reverse("casestudies:create"),
        {**form_data(end_date="2020-01-01"), "attachments": [upload]},
    )
    assertContains(response, "is not a kind of file we accept")
    assertContains(response, "The end date is before the start date.")


def test_oversized_file_is_refused(member_client, settings):
    settings.PORTAL_MAX_UPLOAD_BYTES = 10
    upload = SimpleUploadedFile("report.pdf", PDF_BYTES, "application/pdf")
    response = member_client.post(
        reverse("casestudies:create"), {**form_data(), "attachments": [upload]}
    )
    assertContains(response, "files may be at most")


def test_script_in_the_body_is_not_executed(member, member_client):
    case_study = make_case_study(
        authors=[member],
        body="Hello <script>alert('x')</script> <img src=x onerror=alert(1)> "
        "[link](javascript:alert(1))",
    )
    response = member_client.get(case_study.get_absolute_url())
    assertNotContains(response, "<script>alert")
    assertNotContains(response, "onerror")
    assertNotContains(response, "javascript:")


def test_author_edits_adds_co_author_and_removes_attachment(member, member_client):
    from tests.casestudies.factories import make_attachment

    case_study = make_case_study(status=CaseStudy.Status.DRAFT, authors=[member])
    attachment = make_attachment(case_study)
    colleague = make_member(full_name="Colin Colleague")
    response = member_client.post(
        reverse("casestudies:edit", args=[case_study.pk]),
        form_data(
            title="New title",
            co_authors=colleague.email,
            remove_attachments=[attachment.pk],
        ),
    )
    assert response.status_code == 302
    case_study.refresh_from_db()
    assert case_study.title == "New title"
    assert set(case_study.authors.all()) == {member, colleague}
    assert not case_study.attachments.exists()


def test_a_reviewer_who_edits_does_not_become_an_author(
    member, coordinator, coordinator_client
):
    case_study = make_case_study(status=CaseStudy.Status.DRAFT, authors=[member])
    response = coordinator_client.post(
        reverse("casestudies:edit", args=[case_study.pk]),
        form_data(co_authors=member.email, tags="retrofit, schools"),
    )
    assert response.status_code == 302
    assert list(case_study.authors.all()) == [member]
    assert sorted(case_study.tags.names()) == ["retrofit", "schools"]
    assert [t.slug for t in case_study.themes.all()] == ["low-carbon-heat"]


def test_create_draft_service_for_other_apps(member):
    from django.core.files.base import ContentFile

    case_study = create_draft_case_study(
        title="Talk: Stirling heat network",
        summary="From the April 2021 event.",
        body="Slides attached.",
        authors=[member],
        organisation=organisation("Stirling Council"),
        themes=[Theme.objects.get(slug="low-carbon-heat")],
        attachments=[("slides.pdf", ContentFile(PDF_BYTES))],
    )
    assert case_study.status == CaseStudy.Status.DRAFT
    assert case_study.city.name == "Stirling"
    assert case_study.contact == member
    assert case_study.attachments.get().file.read().startswith(b"%PDF-")


def test_over_long_tag_is_a_field_error_not_a_500(member_client):
    # A tag longer than the tag table's 100 characters reached the database.
    long_tag = "retrofit" * 15
    response = member_client.post(
        reverse("casestudies:create"), form_data(tags=f"heat pumps, {long_tag}")
    )
    assert response.status_code == 200
    assert "tags" in response.context["form"].errors
    assertContains(response, long_tag)
    assert not CaseStudy.objects.exists()
