"""The cookie page tells the truth: a member who signs in and uses the portal in
Chromium is sent exactly the cookies it lists, no other, and the session cookie
is out of scripts' reach and not sent from other sites."""

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.urls import reverse

from tests.events.factories import make_event
from tests.factories import PASSWORD, make_member

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_cookies_the_portal_sets_are_the_ones_its_cookie_page_lists(page):
    member = make_member(full_name="Cara Cookie", email="cara@stirling.gov.uk")
    EmailAddress.objects.create(
        user=member, email=member.email, primary=True, verified=True
    )
    event = make_event(title="Cookie-free heat")
    set_by_portal = set()

    def record(response):
        for header in response.headers_array():
            if header["name"].lower() == "set-cookie":
                set_by_portal.add(header["value"].split("=", 1)[0].strip())

    page.on("response", record)

    # Sign in through the form, as a member does, then use the portal: a page
    # with a form, a registration (its confirmation travels in a cookie), search.
    page.goto(reverse("account_login"))
    page.locator("input[name=login]").fill(member.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url("**/home/")
    page.goto(event.get_absolute_url())
    page.get_by_role("button", name="Register").click()
    page.get_by_text("A confirmation is on its way").wait_for()
    page.goto(reverse("portal:search") + "?q=heat")
    page.goto(reverse("network:settings"))
    # Choosing a language in the footer keeps the choice in a cookie.
    page.get_by_role("button", name="Gàidhlig").click()
    page.wait_for_load_state()

    page.goto(reverse("portal:cookies"))
    listed = set(page.locator("table tbody tr td:first-child").all_inner_texts())
    page.remove_listener("response", record)

    assert listed == {
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        settings.LANGUAGE_COOKIE_NAME,
        "messages",
    }
    assert set_by_portal == listed
    held = {cookie["name"]: cookie for cookie in page.context.cookies()}
    assert set(held) <= listed
    session = held[settings.SESSION_COOKIE_NAME]
    assert session["httpOnly"] is True
    assert session["sameSite"] == "Lax"
    assert held[settings.CSRF_COOKIE_NAME]["sameSite"] == "Lax"
    # The confirmation was read on the next page, so its cookie is gone.
    assert "messages" not in held
