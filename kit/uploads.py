"""Uploaded files are judged by their content, never by their name alone.

A file must be the kind its name says, and only that: a PDF or image that also
carries a web page (a polyglot, which a browser sniffing it might run) is
refused, and so is an Office or OpenDocument file whose members would expand
past 100 MB or 100 times its size (a zip bomb, for whoever opens it).

Attachments and slides are stored outside any public URL, under random names
(``random_file_name``; the uploaded name is kept only for display and as the
download's filename), and handed out only by views that check who may read them
(``serve_private_file``).
"""

import mimetypes
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


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


# A document container may expand to at most this much, and this many times its
# own size.
MOST_EXPANDED_BYTES = 100 * 1024 * 1024
MOST_EXPANSION_RATIO = 100
# How much of a non-HTML file is searched for web-page markup.
POLYGLOT_SCAN_BYTES = 8192
_WEB_PAGE_MARKERS = (b"<html", b"<script", b"<!doctype html", b"<body", b"<iframe")


def random_file_name(filename: str) -> str:
    """A stored name nobody chose: random, with the (checked) lowercase suffix."""
    return secrets.token_hex(16) + PurePath(filename).suffix.lower()[:10]


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


def _carries_a_web_page(upload) -> bool:
    """Markup a browser would run, anywhere in the first KBs of a file that is
    not meant to hold any."""
    head = _head(upload, POLYGLOT_SCAN_BYTES).lower()
    return any(marker in head for marker in _WEB_PAGE_MARKERS)


def _expands_too_far(upload) -> bool:
    """Whether the zip's members, as declared and as actually read, come to more
    than MOST_EXPANDED_BYTES or MOST_EXPANSION_RATIO times the upload's size.
    Reading stops at the limit, so a bomb costs no more than that to find."""
    limit = min(MOST_EXPANDED_BYTES, MOST_EXPANSION_RATIO * max(upload.size, 1))
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if sum(member.file_size for member in members) > limit:
                return True
            total = 0
            for member in members:
                with archive.open(member) as content:
                    while chunk := content.read(1024 * 1024):
                        total += len(chunk)
                        if total > limit:
                            return True
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError):
        return True  # unreadable: not a document anyone can open either
    finally:
        upload.seek(0)
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
            _("“%(name)s” is %(size)s; files may be at most %(most)s."),
            code="too_large",
            params={
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "most": filesizeformat(max_bytes),
            },
        )
    extension = PurePath(upload.name).suffix.lower()
    if extension not in allowed:
        names = ", ".join(sorted({k.label for k in kinds}))
        raise ValidationError(
            _("“%(name)s” is not a kind of file we accept. Allowed: %(kinds)s."),
            code="file_type",
            params={"name": upload.name, "kinds": names},
        )
    if not _content_matches(upload, extension):
        raise ValidationError(
            _(
                "“%(name)s” is named like a %(kind)s but its content is "
                "%(content)s, so it was refused."
            ),
            code="file_content",
            params={
                "name": upload.name,
                "kind": allowed[extension].label,
                "content": describe_content(upload),
            },
        )
    if extension != ".csv" and _carries_a_web_page(upload):
        raise ValidationError(
            _(
                "“%(name)s” is a %(kind)s that also holds a web page (HTML or "
                "script), so it was refused. Save it again from the program that "
                "made it and upload that copy."
            ),
            code="file_polyglot",
            params={"name": upload.name, "kind": allowed[extension].label},
        )
    if extension in _ZIP_MARKERS and _expands_too_far(upload):
        raise ValidationError(
            _(
                "“%(name)s” would expand to more than %(most)s (or %(ratio)s times "
                "its size) when opened, so it was refused."
            ),
            code="file_expands",
            params={
                "name": upload.name,
                "most": filesizeformat(MOST_EXPANDED_BYTES),
                "ratio": MOST_EXPANSION_RATIO,
            },
        )


def serve_private_file(field_file, *, download_name: str | None = None):
    """Send a stored upload as a download that browsers will not render inline,
    named as it was uploaded (``download_name``), not as it is stored."""
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
    # Never left in a shared PC's cache (PrivateResponseMiddleware agrees).
    response["Cache-Control"] = "no-store, private"
    return response
