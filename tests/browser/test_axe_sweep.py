"""Every main page, filled with the demo data, passes axe-core with one h1 and no
Content-Security-Policy violation, for a visitor, an officer and a coordinator."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from casestudies.models import CaseStudy
from events.models import Event
from network.demo import DEMO_PASSWORD
from network.models import Member, Organisation, Thread
from tests.browser.conftest import assert_accessible, sign_in_as

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
    "account_email",
    "account_change_password",
]

COORDINATOR_PAGES = [
    "casestudies:review_queue",
    "network:review_queue",
    "events:create",
    "training:course_create",
    "training:cohort_create",
]


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.DEBUG = False


def page_member():
    return Member.objects.get(email="aileen.murray@dundeecity.gov.uk")


def conversations_of(member):
    from network.conversations.queries import conversations_for

    return list(conversations_for(member)[:1])


def test_visitor_pages(page, demo):
    for name in VISITOR_PAGES:
        page.goto(reverse(name))
        assert_accessible(page)


def test_member_pages(page, demo):
    sign_in_as(page, Member.objects.get(email="aileen.murray@dundeecity.gov.uk"))
    case_study = CaseStudy.objects.filter(status="published").first()
    event = Event.objects.filter(state="published").first()
    thread = Thread.objects.first()
    dundee = Organisation.objects.get(name="Dundee City Council")
    paths = [reverse(name) for name in MEMBER_PAGES] + [
        reverse("casestudies:detail", args=[case_study.pk]),
        reverse("events:detail", args=[event.pk]),
        reverse("network:thread_detail", args=[thread.pk]),
        reverse("portal:profile", args=[case_study.authors.first().pk]),
        reverse("portal:council", args=[dundee.slug]),
        reverse("portal:topic", args=["low-carbon-heat"]),
        reverse("portal:search") + "?q=heat",
        reverse("portal:search") + "?q=heat&kind=case_studies",
        reverse("casestudies:list") + "?q=heating",
        *[c.get_absolute_url() for c in conversations_of(page_member())],
    ]
    for path in paths:
        page.goto(path)
        assert_accessible(page)


def test_data_protection_pages_and_the_changed_notice_banner(page, demo):
    """The erase and export pages sit behind the password asked again; a member
    who has not read the current privacy notice sees its banner on every page."""
    member = page_member()
    Member.objects.filter(pk=member.pk).update(privacy_notice_version="2000-01-01")
    sign_in_as(page, member)
    page.goto(reverse("portal:member_home"))
    page.get_by_text("Our privacy notice has changed").wait_for()
    assert_accessible(page)
    page.goto(reverse("privacy:erase"))
    page.wait_for_url("**/reauthenticate/**")
    assert_accessible(page)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**" + reverse("privacy:erase"))
    assert_accessible(page)
    page.goto(reverse("privacy:export"))
    page.get_by_role("heading", level=1).wait_for()
    assert page.url.endswith(reverse("privacy:export"))
    assert_accessible(page)


def test_coordinator_pages(page, demo):
    sign_in_as(page, Member.objects.get(email="coordinator@scottishcities.org.uk"))
    event = Event.objects.filter(state="published").first()
    session = event.sessions.first()
    thread = Thread.objects.first()
    for path in (
        [reverse(name) for name in COORDINATOR_PAGES]
        + [
            reverse("events:registrations", args=[event.pk]),
            reverse("events:edit", args=[event.pk]),
            reverse("network:thread_retitle", args=[thread.pk]),
            reverse("network:thread_moderate", args=[thread.pk]),
            reverse("network:message_reports"),
        ]
        + (
            [reverse("events:session_edit", args=[event.pk, session.pk])]
            if session
            else []
        )
    ):
        page.goto(path)
        assert_accessible(page)
