"""The files every site is asked for at fixed addresses: /robots.txt,
/.well-known/security.txt (RFC 9116) and /favicon.ico. Anyone may read them;
none reads the database."""

from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from kit.permissions import login_not_required

# The public pages a search engine may index. Everything else is disallowed: member
# pages, account pages, and the public addresses that carry a secret token (calendar
# feeds, unsubscribe and password-reset links). A public page missing here is only
# left unindexed, never a member page exposed.
INDEXED = [
    "portal:about",
    "portal:privacy",
    "portal:accessibility",
    "portal:cookies",
    "events:public_list",  # and each public event below it
    "training:signup",
]
# RFC 9116 asks for an Expires under a year away. The contact comes from the live
# settings, so the file is as fresh as the deployment that serves it.
SECURITY_TXT_VALID_DAYS = 180


def robots_lines() -> list[str]:
    # Allow lines first: crawlers that take the first match (not the longest, as
    # RFC 9309 says) read the same rules.
    allowed = ["/$", *(reverse(name) for name in INDEXED), settings.STATIC_URL]
    return [
        "User-agent: *",
        *(f"Allow: {path if path.startswith('/') else '/' + path}" for path in allowed),
        "Disallow: /",
    ]


@login_not_required
@require_safe
def robots_txt(request):
    body = "\n".join(robots_lines()) + "\n"
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


@login_not_required
@require_safe
def security_txt(request):
    contact = settings.SECURITY_CONTACT
    if "@" in contact and ":" not in contact:
        contact = f"mailto:{contact}"
    expires = datetime.combine(
        datetime.now(UTC).date() + timedelta(days=SECURITY_TXT_VALID_DAYS), time(), UTC
    )
    lines = [
        f"Contact: {contact}",
        f"Expires: {expires:%Y-%m-%dT%H:%M:%SZ}",
        f"Canonical: {request.build_absolute_uri()}",
        "Preferred-Languages: en",
    ]
    return HttpResponse(
        "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"
    )


@login_not_required
@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says (Safari shows no SVG
    icon): the leaf of static/favicon.svg, drawn by bin/draw-favicon."""
    path = settings.BASE_DIR / "static" / "favicon.ico"
    response = FileResponse(path.open("rb"), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response
