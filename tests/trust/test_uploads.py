"""Uploads beyond type and size: zip bombs and polyglots refused, random stored
names, downloads named as uploaded and never stored by a browser."""

import io
import os
import re
import struct
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from casestudies.models import CaseStudy
from events.models import Session
from kit.uploads import validate_upload
from tests.casestudies.factories import PDF_BYTES, make_attachment, make_case_study
from tests.casestudies.test_writing import form_data
from tests.events.factories import make_event

pytestmark = pytest.mark.django_db


def _docx(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr(
            "word/document.xml",
            b"<w:document>" + os.urandom(2000).hex().encode() + b"</w:document>",
        )
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _declare_size(data: bytes, member: str, size: int) -> bytes:
    """The zip with ``member``'s uncompressed size claimed as ``size`` in its
    central directory (what a reader trusts before inflating)."""
    data = bytearray(data)
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:
        name_length = struct.unpack_from("<H", data, start + 28)[0]
        name = bytes(data[start + 46 : start + 46 + name_length]).decode()
        if name == member:
            struct.pack_into("<I", data, start + 24, size)
        start += 4
    return bytes(data)


def _refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as refused:
        validate_upload(SimpleUploadedFile(name, content))
    return refused.value.code


def test_an_ordinary_word_document_is_accepted():
    validate_upload(
        SimpleUploadedFile(
            "report.docx", _docx({"word/media/x.bin": os.urandom(50_000)})
        )
    )


def test_a_zip_bomb_that_declares_huge_sizes_is_refused():
    small = _docx({"word/media/picture.png": b"tiny"})
    bomb = _declare_size(small, "word/media/picture.png", 3_000_000_000)
    assert len(bomb) < 10_000
    assert _refusal("report.docx", bomb) == "file_expands"


def test_a_zip_bomb_that_expands_past_100_to_1_is_refused():
    # 5 MB of zeros squeezes into a few kB: under 100 MB, far past 100:1.
    bomb = _docx({"word/media/filler.bin": bytes(5 * 1024 * 1024)})
    assert len(bomb) < 20_000
    assert _refusal("report.docx", bomb) == "file_expands"
    assert _refusal("sheet.xlsx", _ods_like(bomb, "xl/workbook.xml")) == "file_expands"


def _ods_like(docx: bytes, marker: str) -> bytes:
    """The same bomb dressed as another kind of container."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(marker, b"<workbook/>")
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info))
    return buffer.getvalue()


def test_a_pdf_that_is_also_a_web_page_is_refused():
    polyglot = PDF_BYTES + b"\n<html><body><script>alert(document.cookie)</script>"
    assert _refusal("report.pdf", polyglot) == "file_polyglot"
    png = b"\x89PNG\r\n\x1a\n" + bytes(100) + b"<script>alert(1)</script>"
    assert _refusal("chart.png", png) == "file_polyglot"
    validate_upload(SimpleUploadedFile("report.pdf", PDF_BYTES))


def test_a_polyglot_is_a_clear_field_error_and_the_form_is_kept(member_client):
    upload = SimpleUploadedFile(
        "report.pdf", PDF_BYTES + b"<script>alert(1)</script>", "application/pdf"
    )
    response = member_client.post(
        reverse("casestudies:create"), {**form_data(), "attachments": [upload]}
    )
    assertContains(response, "also holds a web page (HTML or script)")
    assertContains(response, 'value="Dundee heat pumps in schools"')
    assert not CaseStudy.objects.exists()


def test_attachments_are_stored_under_random_names_and_downloaded_as_uploaded(
    member_client,
):
    case_study = make_case_study()
    attachment = make_attachment(case_study, name="Govan heat report.pdf")
    assert "Govan" not in attachment.file.name
    assert re.fullmatch(
        rf"casestudies/{case_study.pk}/[0-9a-f]{{32}}\.pdf", attachment.file.name
    )
    response = member_client.get(attachment.get_absolute_url())
    assert 'filename="Govan heat report.pdf"' in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "no-store, private"


def test_slides_keep_their_name_for_display_only(coordinator_client, member_client):
    event = make_event()
    local = timezone.localtime(event.starts_at)
    coordinator_client.post(
        reverse("events:session_create", args=[event.pk]),
        {
            "title": "Heat networks",
            "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (local + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"),
            "slides": SimpleUploadedFile(
                "Dundee slides.pdf", PDF_BYTES, "application/pdf"
            ),
        },
    )
    session = Session.objects.get(title="Heat networks")
    assert session.slides_name == "Dundee slides.pdf"
    assert "Dundee" not in session.slides.name
    assertContains(
        member_client.get(event.get_absolute_url()), "Slides: Dundee slides.pdf"
    )
    download = member_client.get(
        reverse("events:session_slides", args=[event.pk, session.pk])
    )
    assert 'filename="Dundee slides.pdf"' in download["Content-Disposition"]
    assert download["Cache-Control"] == "no-store, private"
