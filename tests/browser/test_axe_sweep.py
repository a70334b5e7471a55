"""Every main page, filled with the demo data, for a visitor, an officer and a
coordinator, in the states the tests reach (empty, full, error, the changed-notice
banner): axe-core finds nothing and the page has one h1, at 1280 px and at 320 px;
it never scrolls sideways at either width; with the WCAG text-spacing override at
1280 px nothing is pushed off the screen; and no Content-Security-Policy violation.
The main pages' screenshots at 1280 and 375 px land in test-artifacts/screenshots/.
"""

import pytest
from django.core.management import call_command
from django.urls import reverse

from casestudies.models import CaseStudy
from events.models import Event
from network.demo import DEMO_PASSWORD
from network.models import Member, Organisation, Thread
from tests.browser.conftest import sign_in_as
from tests.browser.layout import check_here, check_page

pytestmark = pytest.mark.django_db(transaction=True)

VISITOR_PAGES = [
    "portal:home",
    "portal:about",
    "portal:privacy",
    "portal:accessibility",
    "portal:cookies",
    "privacy:erased",
    "account_login",
    "account_signup",
    "account_reset_password",
    "events:public_list",
    "training:signup",
]

MEMBER_PAGES = [
    "portal:member_home",
    "casestudies:list",
    "casestudies:impact",
    "casestudies:mine",
    "casestudies:create",
    "network:forum_list",
    "network:thread_list",
    "network:thread_create",
    "network:notifications",
    "network:notification_settings",
    "network:conversations",
    "network:conversation_start",
    "network:directory",
    "network:settings",
    "network:profile_edit",
    "events:list",
    "events:calendar",
    "events:past",
    "training:home",
    "training:progress",
    "portal:drivers",
    "portal:topic",
    "account_email",
    "account_change_password",
    "mfa_index",
    "usersessions_list",
]

COORDINATOR_PAGES = [
    "casestudies:review_queue",
    "network:review_queue",
    "events:create",
    "training:course_create",
    "training:cohort_create",
]

# The main pages, photographed at 1280 and 375 px for a person to look at.
SCREENSHOTS = {
    "portal:home",
    "account_login",
    "account_signup",
    "account_signup:errors",
    "portal:member_home",
    "casestudies:list",
    "casestudies:detail",
    "network:forum_list",
    "network:thread_detail",
    "events:list",
    "network:directory",
    "training:home",
    "portal:search",
    "portal:council",
}


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.DEBUG = False


class Sweep:
    """Collects what each page fails, and fails the test at the end with all of it."""

    def __init__(self, page):
        self.page = page
        self.failures = []

    def visit(self, key, path):
        shot = key.replace(":", "-").replace("?", "-") if key in SCREENSHOTS else None
        self.record(key, path, check_page(self.page, path, screenshot=shot))

    def here(self, key):
        shot = key.replace(":", "-") if key in SCREENSHOTS else None
        self.record(key, self.page.url, check_here(self.page, screenshot=shot))

    def record(self, key, path, problems):
        self.failures += [f"{key} ({path}): {problem}" for problem in problems]

    def finish(self):
        assert not self.failures, "\n".join(self.failures)


def page_member():
    return Member.objects.get(email="aileen.murray@dundeecity.gov.uk")


def conversations_of(member):
    from network.conversations.queries import conversations_for

    return list(conversations_for(member)[:1])


def test_visitor_pages(page, demo):
    sweep = Sweep(page)
    for name in VISITOR_PAGES:
        sweep.visit(name, reverse(name))
    # The error state of the forms a visitor meets.
    page.goto(reverse("account_signup"))
    page.get_by_role("button", name="Register").click()
    page.get_by_text("There is a problem").wait_for()
    assert page.title().startswith("Error: ")
    sweep.here("account_signup:errors")
    page.goto(reverse("account_login"))
    page.locator("input[name=login]").fill("nobody@example.org")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_text("There is a problem").wait_for()
    sweep.here("account_login:errors")
    sweep.finish()


def test_member_pages(page, demo):
    sign_in_as(page, page_member())
    sweep = Sweep(page)
    case_study = CaseStudy.objects.filter(status="published").first()
    event = Event.objects.filter(state="published").first()
    thread = Thread.objects.first()
    dundee = Organisation.objects.get(name="Dundee City Council")
    entries = [(name, reverse(name)) for name in MEMBER_PAGES] + [
        ("casestudies:detail", reverse("casestudies:detail", args=[case_study.pk])),
        ("events:detail", reverse("events:detail", args=[event.pk])),
        ("network:thread_detail", reverse("network:thread_detail", args=[thread.pk])),
        (
            "portal:profile",
            reverse("portal:profile", args=[case_study.authors.first().pk]),
        ),
        ("portal:council", reverse("portal:council", args=[dundee.slug])),
        ("portal:topic:theme", reverse("portal:topic", args=["low-carbon-heat"])),
        ("portal:search", reverse("portal:search") + "?q=heat"),
        ("portal:search:kind", reverse("portal:search") + "?q=heat&kind=case_studies"),
        ("portal:search:empty", reverse("portal:search") + "?q=zzzyxw"),
        ("portal:search:errors", reverse("portal:search") + "?q=" + "x" * 201),
        ("casestudies:list?q", reverse("casestudies:list") + "?q=heating"),
        ("network:directory:errors", reverse("network:directory") + "?q=" + "x" * 101),
        *[
            ("network:conversation_detail", c.get_absolute_url())
            for c in conversations_of(page_member())
        ],
    ]
    for key, path in entries:
        sweep.visit(key, path)
    # A policy driver's page, when the demo data has one.
    from network.models import PolicyDriver

    driver = PolicyDriver.objects.first()
    if driver:
        sweep.visit("portal:driver_detail", driver.get_absolute_url())
    sweep.finish()


def test_data_protection_pages_and_the_changed_notice_banner(page, demo):
    """The erase and export pages sit behind the password asked again; a member
    who has not read the current privacy notice sees its banner on every page."""
    member = page_member()
    Member.objects.filter(pk=member.pk).update(privacy_notice_version="2000-01-01")
    sign_in_as(page, member)
    sweep = Sweep(page)
    page.goto(reverse("portal:member_home"))
    page.get_by_text("Our privacy notice has changed").wait_for()
    sweep.here("portal:member_home:banner")
    page.goto(reverse("privacy:erase"))
    page.wait_for_url("**/reauthenticate/**")
    sweep.here("account_reauthenticate")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**" + reverse("privacy:erase"))
    sweep.here("privacy:erase")
    page.goto(reverse("privacy:export"))
    page.get_by_role("heading", level=1).wait_for()
    assert page.url.endswith(reverse("privacy:export"))
    sweep.here("privacy:export")
    sweep.finish()


def test_coordinator_pages(page, demo):
    sign_in_as(page, Member.objects.get(email="coordinator@scottishcities.org.uk"))
    sweep = Sweep(page)
    event = Event.objects.filter(state="published").first()
    session = event.sessions.first()
    thread = Thread.objects.first()
    entries = [(name, reverse(name)) for name in COORDINATOR_PAGES] + [
        ("events:registrations", reverse("events:registrations", args=[event.pk])),
        ("events:edit", reverse("events:edit", args=[event.pk])),
        ("network:thread_retitle", reverse("network:thread_retitle", args=[thread.pk])),
        (
            "network:thread_moderate",
            reverse("network:thread_moderate", args=[thread.pk]),
        ),
        ("network:message_reports", reverse("network:message_reports")),
    ]
    if session:
        entries.append(
            (
                "events:session_edit",
                reverse("events:session_edit", args=[event.pk, session.pk]),
            )
        )
    for key, path in entries:
        sweep.visit(key, path)
    # A form sent empty: its error state.
    page.goto(reverse("casestudies:create"))
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    sweep.here("casestudies:create:errors")
    sweep.finish()
