"""The branded 404 in Chromium: the design system's styles load under the strict
CSP, axe finds nothing, and it fits 320 px."""

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_404_page_is_accessible_and_fits_a_phone(page):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    # The design system's stylesheet arrived (a missing one would leave no rules).
    assert page.evaluate("document.styleSheets[0].cssRules.length") > 100
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
