"""The people pages compose the feature apps' own query functions."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from network.models import Theme
from tests.casestudies import factories as casestudies_factories
from tests.events import factories as events_factories
from tests.factories import organisation
from tests.forums import factories as forums_factories
from tests.people.factories import make_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def heat():
    return Theme.objects.get(slug="low-carbon-heat")


@pytest.fixture
def aileen():
    return make_profile(
        full_name="Aileen Murray", organisation=organisation("Dundee City Council")
    )


def test_profile_lists_case_studies_talks_and_posts(member_client, aileen, heat):
    make_case = casestudies_factories.make_case_study
    make_case(title="Dundee heat network", authors=[aileen])
    make_case(title="Dundee EV hubs", authors=[], contact=aileen)
    draft = make_case(title="Secret draft plan", authors=[aileen], status="draft")
    event = events_factories.make_event(title="Heat summit")
    events_factories.make_session(
        event, title="What we learned from our heat network", speakers=[aileen]
    )
    forums_factories.make_thread(author=aileen, title="Who has tried heat pumps?")

    response = member_client.get(aileen.get_absolute_url())
    assertContains(response, "Dundee heat network")
    assertContains(response, "Dundee EV hubs")
    assertNotContains(response, draft.title)
    assertContains(response, "What we learned from our heat network")
    assertContains(response, event.get_absolute_url())
    assertContains(response, "Who has tried heat pumps?")


def test_topic_lists_who_wrote_and_who_spoke(member_client, aileen, heat):
    speaker = make_profile(full_name="Iain Speaker")
    pending = make_profile(full_name="Penny Pending", approved=False)
    casestudies_factories.make_case_study(
        title="Dundee heat network", authors=[aileen, pending], themes=[heat]
    )
    casestudies_factories.make_case_study(
        title="Draft heat",
        authors=[make_profile(full_name="Dora Draft")],
        themes=[heat],
        status="draft",
    )
    event = events_factories.make_event(themes=[heat])
    events_factories.make_session(event, speakers=[speaker])

    response = member_client.get(reverse("portal:topic", args=[heat.slug]))
    authors = [m.full_name for m in response.context["authors"]]
    speakers = [m.full_name for m in response.context["speakers"]]
    assert authors == ["Aileen Murray"]
    assert speakers == ["Iain Speaker"]
    assertNotContains(response, "Penny Pending")
    assertNotContains(response, "Dora Draft")


def test_topic_by_tag_finds_case_study_authors(member_client, aileen):
    casestudies_factories.make_case_study(authors=[aileen], tags=["heat pumps"])
    response = member_client.get(reverse("portal:topic"), {"tag": "Heat pumps"})
    assert [m.full_name for m in response.context["authors"]] == ["Aileen Murray"]


def test_council_page_lists_case_studies_talks_and_training(member_client, aileen):
    dundee = organisation("Dundee City Council")
    casestudies_factories.make_case_study(
        title="Dundee heat network", organisation=dundee, authors=[aileen]
    )
    casestudies_factories.make_case_study(
        title="Aberdeen hydrogen buses",
        organisation=organisation("Aberdeen City Council"),
    )
    event = events_factories.make_event()
    events_factories.make_session(event, title="Dundee's story", speakers=[aileen])

    response = member_client.get(reverse("portal:council", args=[dundee.slug]))
    assertContains(response, "Dundee heat network")
    assertContains(response, "Dundee&#x27;s story")
    assertContains(response, "Councillors (seats)")
    # Aberdeen, the council most like Dundee, shows what it has shared.
    assertContains(response, "Aberdeen hydrogen buses")


def test_council_page_leaves_out_talks_by_members_not_approved(member_client):
    from tests.factories import make_member

    dundee = organisation("Dundee City Council")
    pending = make_member(organisation=dundee, approved=False)
    event = events_factories.make_event()
    events_factories.make_session(event, title="A pending talk", speakers=[pending])
    response = member_client.get(reverse("portal:council", args=[dundee.slug]))
    assertNotContains(response, "A pending talk")


def test_council_page_query_count_does_not_grow(
    member_client, django_assert_num_queries
):
    dundee = organisation("Dundee City Council")
    members = [make_profile(organisation=dundee, expertise=["heat"]) for _ in range(5)]
    event = events_factories.make_event()
    url = reverse("portal:council", args=[dundee.slug])
    member_client.get(url)  # warm the content-type cache
    # Each measured request renders the page's part afresh ("people-council").
    caches["pages"].clear()
    with CaptureQueriesContext(connection) as five:
        member_client.get(url)
    for _ in range(45):
        member = make_profile(organisation=dundee, expertise=["heat"])
        events_factories.make_session(event, speakers=[member])
        casestudies_factories.make_case_study(organisation=dundee, authors=[member])
    caches["pages"].clear()
    with django_assert_num_queries(len(five)):
        response = member_client.get(url)
    assert response.context["page"].paginator.count == len(members) + 45
    assert len(response.context["talks"]) == 10
