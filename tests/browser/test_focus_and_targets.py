"""The keyboard through the main journeys: every control it reaches shows a focus
indicator that contrasts 3:1 or more with what was there before (WCAG 2.4.13 and
1.4.11), is in view and not covered (2.4.11), and is a target of 24 px or more
unless it is a link inside a line of text (2.5.8)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from network.models import Member
from tests.browser.conftest import sign_in_as
from tests.browser.layout import NARROW, WIDE, focus_problems, tab_through

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.DEBUG = False


def journey(page, path, *, viewport=WIDE):
    page.set_viewport_size(viewport)
    page.goto(path)
    reports = tab_through(page)
    assert len(reports) > 3, f"{path}: the keyboard reached only {reports}"
    return [f"{path} at {viewport['width']} px: {p}" for p in focus_problems(reports)]


def test_a_visitor_tabs_from_the_front_page_to_joining(page, demo):
    problems = []
    problems += journey(page, reverse("portal:home"))
    problems += journey(page, reverse("account_login"))
    problems += journey(page, reverse("account_signup"))
    problems += journey(page, reverse("portal:accessibility"))
    problems += journey(page, reverse("portal:home"), viewport=NARROW)
    assert not problems, "\n".join(problems)


def test_the_first_tab_reaches_the_skip_link_and_it_moves_to_the_content(page, demo):
    page.goto(reverse("portal:accessibility"))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("e => e === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main-content"
    page.keyboard.press("Tab")
    inside = page.evaluate(
        "() => document.getElementById('main-content').contains(document.activeElement)"
    )
    assert inside, "after the skip link the next Tab lands in the main content"


def test_a_failed_form_focuses_its_summary_whose_links_reach_each_field(page, demo):
    page.goto(reverse("account_signup"))
    page.get_by_label("Job title").fill("Energy officer")
    page.get_by_role("button", name="Register").click()
    summary = page.locator(".ds_error-summary")
    summary.wait_for()
    assert page.title().startswith("Error: ")
    assert summary.get_by_role("heading").inner_text() == "There is a problem"
    assert summary.evaluate("e => e === document.activeElement"), "summary has focus"
    # What was typed stays; each field shows its own message.
    assert page.get_by_label("Job title").input_value() == "Energy officer"
    link = summary.get_by_role("link").first
    target = link.get_attribute("href")
    page.keyboard.press("Tab")
    assert link.evaluate("e => e === document.activeElement")
    page.keyboard.press("Enter")
    focused_id = page.evaluate("document.activeElement.id")
    assert f"#{focused_id}" == target, "the summary's link moves to its field"
    assert page.locator(f"#{focused_id}_error").is_visible()
    problems = focus_problems(tab_through(page))
    assert not problems, "\n".join(problems)


def test_a_member_tabs_through_home_search_and_a_profile(page, demo):
    member = Member.objects.get(email="aileen.murray@dundeecity.gov.uk")
    sign_in_as(page, member)
    problems = []
    problems += journey(page, reverse("portal:member_home"))
    problems += journey(page, reverse("portal:search") + "?q=heat")
    problems += journey(page, reverse("portal:profile", args=[member.pk]))
    problems += journey(page, reverse("portal:topic"))
    problems += journey(page, reverse("account_email"))
    assert not problems, "\n".join(problems)


def test_the_mobile_menu_opens_and_its_links_take_focus(page, demo):
    sign_in_as(page, Member.objects.get(email="aileen.murray@dundeecity.gov.uk"))
    page.set_viewport_size(NARROW)
    page.goto(reverse("portal:member_home"))
    menu = page.get_by_role("button", name="Menu")
    assert menu.get_attribute("aria-expanded") == "false"
    assert not page.get_by_role("link", name="Case studies", exact=True).is_visible()
    menu.focus()
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.innerText")
    assert focused.strip() == "Case studies"
    problems = focus_problems(tab_through(page, limit=12))
    assert not problems, "\n".join(problems)
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= NARROW["width"]


def test_at_1024_px_the_whole_signed_in_navigation_is_on_screen(page, demo):
    sign_in_as(page, Member.objects.get(email="coordinator@scottishcities.org.uk"))
    for width in (1024, 992, 800):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(reverse("portal:about"))
        nav = page.locator(".ds_site-header__navigation")
        for name in ("Settings", "Sign out", "Case studies"):
            item = nav.get_by_role("link", name=name).or_(
                nav.get_by_role("button", name=name)
            )
            box = item.first.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (
                f"{name} at {width} px: {box}"
            )
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width


def test_in_gaelic_the_longer_navigation_still_fits(page, demo):
    """Gaelic words run longer: the bar wraps at 1024 px, the page never scrolls
    sideways, at 1024 or at 320 px."""
    sign_in_as(page, Member.objects.get(email="coordinator@scottishcities.org.uk"))
    page.goto(reverse("portal:about"))
    page.get_by_role("button", name="Gàidhlig").click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.lang") == "gd"
    for width in (1024, 320):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(reverse("portal:member_home"))
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width
        off = page.evaluate(
            """() => [...document.querySelectorAll('.ds_site-header a, .ds_site-header button')]
              .filter(e => e.getClientRects().length)
              .filter(e => { const r = e.getBoundingClientRect();
                             return r.right > innerWidth + 1 || r.left < -1; })
              .map(e => e.innerText)"""
        )
        assert off == [], f"{width} px: {off}"
