"""Every page of the portal, not a hand-picked list: each address in the walker's
list (tools/benchmark/addresses.py) outside Django admin, filled with the demo
data and opened as the role the list gives (signed in once per role, identity
just confirmed), that answers with an HTML page passes
check_page (axe-core and one h1 at 1280 and 320 px, no sideways scroll, the
text-spacing override at 1280 px; the page fixture fails on a CSP violation).
A refusal the portal renders (the 400, 403 and 404 pages) is a page someone
meets, so it is checked too. Downloads (CSV, XLSX, ICS, files) are skipped by
their content type; redirects and a POST-only address's empty 405 are not pages.
Django admin keeps its own styles and is left out.
The states a form or a banner reaches are in test_axe_sweep.py.
"""

from dataclasses import replace

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.layout import check_page
from tests.browser.test_axe_sweep import demo  # noqa: F401 (the fixture)
from tests.conftest import client_for, confirm_identity
from tools.benchmark.addresses import (
    SIGNING_IN,
    Sample,
    every_address,
    open_session,
    signed_in,
)

pytestmark = pytest.mark.django_db(transaction=True)

# Pages that still fail, by label, with what fails: the sweep visits them and
# fails when one starts passing, so this can only shrink.
KNOWN_FAILURES: dict[str, str] = {}

# Pages the walker opens as a role that is refused them (a 404 is the page it
# measures): swept as the role that sees them.
SEEN_AS = {"training:cohort": "coordinator"}

# The answers that are pages: the page itself and the portal's refusals.
PAGE_STATUSES = {200, 400, 403, 404}

# Fewer pages than this means the list or the data lost some.
AT_LEAST = 117

# States only the demo data's particular objects open (tools/benchmark/addresses.py
# picks them): if one stops being swept, the data or the builder lost it.
MUST_SWEEP = {
    "events:feedback",  # a past event the officer attended
    "casestudies:return",  # a case study waiting for review
    "network:post_edit",  # the officer's own post
    "network:post_delete",
    "network:pending pending",  # a member in each state but approved
    "network:pending rejected",
    "network:pending suspended",
    "network:notification_unsubscribe",  # a link from a real email
    "network:notification_unsubscribe wrong token",  # the 400 page
    "403 page",
    "privacy:export_download",  # a token that is no export's: the 404 page
    "mfa_deactivate_totp",  # the coordinator's authenticator app
    "mfa_view_recovery_codes",
    "mfa_reauthenticate",
    "mfa_authenticate",  # a sign-in at its second step
    "mfa_edit_webauthn",  # the officer's passkey
    "mfa_remove_webauthn",
    "mfa_reauthenticate_webauthn",
}


def sweep_addresses(sample):
    return [
        replace(address, role=SEEN_AS.get(address.label, address.role))
        for address in every_address(sample)
        if address.role != "admin" and not address.path.startswith("/admin/")
    ]


def sign_in(page, sample, role):
    """A signed-in session that has just confirmed who it is (allauth's
    re-authentication), so the pages behind it (second factors, erase, export)
    open instead of redirecting; for ``signing_in``, one the password step of
    the sign-in form left waiting for the second factor."""
    member = signed_in(sample, role)
    if member is None:
        return
    if role == SIGNING_IN:
        client = Client()
        open_session(client, sample, role)
    else:
        client = client_for(member)
        confirm_identity(client, member)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": cookie.value,
                "url": page.live_url,
            }
        ]
    )


def test_every_page_in_its_role_passes_the_checks(page, demo):  # noqa: F811
    sample = Sample()
    addresses = sweep_addresses(sample)
    by_role: dict[str, list] = {}
    for address in addresses:
        by_role.setdefault(address.role, []).append(address)

    failures, passing_but_known, swept, skipped = [], [], [], []
    for role, group in by_role.items():
        page.context.clear_cookies()
        sign_in(page, sample, role)
        for address in group:
            answer = page.request.get(address.path, max_redirects=0)
            kind = answer.headers.get("content-type", "")
            answer.dispose()
            if answer.status not in PAGE_STATUSES or not kind.startswith("text/html"):
                skipped.append(f"{address.label} {answer.status} {kind.split(';')[0]}")
                continue
            swept.append(address.label)
            problems = check_page(page, address.path)
            lines = [
                f"{address.label} [{role}] ({address.path}): {p}" for p in problems
            ]
            if address.label in KNOWN_FAILURES:
                if not problems:
                    passing_but_known.append(address.label)
            else:
                failures += lines

    print(f"swept {len(swept)} of {len(addresses)} addresses; not pages:", skipped)
    assert len(swept) >= AT_LEAST, swept
    assert not MUST_SWEEP - set(swept), "no longer swept"
    assert not set(KNOWN_FAILURES) - set(swept), "known failures no longer swept"
    assert not passing_but_known, (
        f"passing now, leave KNOWN_FAILURES: {passing_but_known}"
    )
    assert not failures, "\n".join(failures)
