"""Signing out on a shared PC, in Chromium: the browser drops the portal's
cookies and storage (Clear-Site-Data), and the back button shows no member page
(no-store)."""

import pytest

from tests.browser.conftest import sign_in_as
from tests.factories import make_member

pytestmark = pytest.mark.django_db(transaction=True)


def test_signing_out_leaves_nothing_of_the_member_in_the_browser(page):
    member = make_member(full_name="Shona Shared")
    sign_in_as(page, member)
    page.goto("/network/settings/")
    page.evaluate("localStorage.setItem('left-behind', 'yes')")
    assert page.get_by_role("heading", level=1).inner_text() == "Settings"

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/")
    assert not [c for c in page.context.cookies() if c["name"] == "sessionid"]
    assert page.evaluate("localStorage.getItem('left-behind')") is None

    page.go_back()  # not from a cache: the portal asks the visitor to sign in
    page.wait_for_load_state()
    assert "/accounts/login/" in page.url
    assert "Shona" not in page.content()
