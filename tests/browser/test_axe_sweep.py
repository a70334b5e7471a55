"""Every main page, filled with the demo data, passes axe-core with one h1 and no
Content-Security-Policy violation, for a visitor, an officer and a coordinator."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from casestudies.models import CaseStudy
from events.models import Event
from network.models import Member, Organisation, Thread
from tests.browser.conftest import assert_accessible, sign_in_as

pytestmark = pytest.mark.django_db(transaction=True)

VISITOR_PAGES = [
    "portal:home",
    "portal:about",
    "portal:privacy",
    "portal:accessibility",
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
