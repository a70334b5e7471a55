"""End-to-end tests in Debian's Chromium, driven by Playwright, checked by axe-core.

They run when /usr/bin/chromium exists; CI installs it and sets
PORTAL_REQUIRE_BROWSER=1, so there a missing browser fails instead of skipping.
"""

import os
import threading
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings as django_settings
from django.db import connections

from tests.conftest import client_for

CHROMIUM = Path(os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium"))
# Playwright's sync API runs an event loop in this thread; the test's own ORM
# calls are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Django keeps connections per thread *and* per context (contextvars), and
# Playwright's sync API runs the test in a greenlet with a context of its own: the
# test would get a second connection that never saw the test database's serialized
# contents, so a transactional test could not restore the councils and themes the
# migrations loaded. These tests are synchronous: one connection per thread.
connections._connections = threading.local()


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
    if CHROMIUM.exists():
        return
    if os.environ.get("PORTAL_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"Chromium is required but missing at {CHROMIUM}")
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}")
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class CspWatcher:
    """Collects Content-Security-Policy violations the page reports."""

    def __init__(self):
        self.violations = []

    def __call__(self, message):
        if "Content Security Policy" in message.text:
            self.violations.append(message.text)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    watcher = CspWatcher()
    page.on("console", watcher)
    page.csp_violations = watcher.violations
    page.live_url = live_server.url
    yield page
    context.close()
    assert not watcher.violations, watcher.violations


_axe = Axe()


def assert_accessible(page):
    """axe-core finds no violations on the page as it stands, and it has one h1."""
    results = _axe.run(page)
    violations = results.response["violations"]
    assert not violations, f"{page.url}: {results.generate_report()}"
    assert page.locator("h1").count() == 1, f"{page.url}: expected one h1"


def sign_in_as(page, member):
    """Put a signed-in session for this member into the browser (staff and
    coordinators get the second factor their role needs, tests/conftest.py)."""
    client = client_for(member)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": cookie.value,
                "url": page.live_url,
            }
        ]
    )


def tick(checkbox):
    """Tick a design-system checkbox (or radio) as a person does, on its label:
    the design system draws the box on the label, over the invisible input."""
    checkbox.page.locator(f"label[for='{checkbox.get_attribute('id')}']").click()
    assert checkbox.is_checked()
