"""Uploaded files are judged by their content, never by their name alone.

Attachments and slides are stored outside any public URL and handed out only by
views that check who may read them (``serve_private_file``).
"""

import mimetypes
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat


@dataclass(frozen=True)
class FileKind:
    label: str
    extensions: tuple[str, ...]


PDF = FileKind("PDF", (".pdf",))
WORD = FileKind("Word document", (".docx",))
POWERPOINT = FileKind("PowerPoint presentation", (".pptx",))
EXCEL = FileKind("Excel spreadsheet", (".xlsx",))
OPENDOCUMENT = FileKind("OpenDocument file", (".odt", ".ods", ".odp"))
PNG = FileKind("PNG image", (".png",))
JPEG = FileKind("JPEG image", (".jpg", ".jpeg"))
CSV = FileKind("CSV spreadsheet", (".csv",))

DOCUMENT_KINDS = (PDF, WORD, POWERPOINT, EXCEL, OPENDOCUMENT, PNG, JPEG, CSV)

# The bytes each kind must start with; Office and OpenDocument files are zip files
# that must also hold the member that marks them.
_ZIP_MARKERS = {
    ".docx": "word/document.xml",
    ".pptx": "ppt/presentation.xml",
    ".xlsx": "xl/workbook.xml",
    ".odt": "mimetype",
    ".ods": "mimetype",
    ".odp": "mimetype",
}
_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}


def _head(upload, size=8192) -> bytes:
    upload.seek(0)
    data = upload.read(size)
    upload.seek(0)
    return data


def _looks_like_markup(data: bytes) -> bool:
    sample = data[:2048].lower().lstrip()
    return any(
        marker in sample for marker in (b"<html", b"<!doctype", b"<script", b"<svg")
    )


def _content_matches(upload, extension: str) -> bool:
    head = _head(upload)
    if extension in _SIGNATURES:
        return head.startswith(_SIGNATURES[extension])
    if extension in _ZIP_MARKERS:
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(upload) as archive:
                return _ZIP_MARKERS[extension] in archive.namelist()
        except zipfile.BadZipFile:
            return False
        finally:
            upload.seek(0)
    if extension == ".csv":
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return b"\x00" not in head and not _looks_like_markup(head)
    return False


def describe_content(upload) -> str:
    """What the bytes look like, for an error message ("an HTML document")."""
    head = _head(upload)
    if _looks_like_markup(head):
        return "a web page (HTML)"
    try:
        return puremagic.from_string(head, mime=True) or "an unknown kind of file"
    except puremagic.PureError:
        return "an unknown kind of file"


def validate_upload(upload, kinds=DOCUMENT_KINDS, max_bytes=None) -> None:
    """Raise a ValidationError that says why, when the file is too big, of a kind
    not allowed, or its content is not what its name claims."""
    max_bytes = max_bytes or settings.PORTAL_MAX_UPLOAD_BYTES
    allowed = {ext: kind for kind in kinds for ext in kind.extensions}
    if upload.size > max_bytes:
        raise ValidationError(
            f"“{upload.name}” is {filesizeformat(upload.size)}; "
            f"files may be at most {filesizeformat(max_bytes)}.",
            code="too_large",
        )
    extension = PurePath(upload.name).suffix.lower()
    if extension not in allowed:
        names = ", ".join(sorted({k.label for k in kinds}))
        raise ValidationError(
            f"“{upload.name}” is not a kind of file we accept. Allowed: {names}.",
            code="file_type",
        )
    if not _content_matches(upload, extension):
        raise ValidationError(
            f"“{upload.name}” is named like a {allowed[extension].label} but its "
            f"content is {describe_content(upload)}, so it was refused.",
            code="file_content",
        )


def serve_private_file(field_file, *, download_name: str | None = None):
    """Send a stored upload as a download that browsers will not render inline."""
    name = download_name or PurePath(field_file.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(
        field_file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
