"""A profile is kept rendered: a change to the member, their case studies, talks
or posts shows on the very next request, and what is the reader's own (the edit
link, a moderator's view of the back room) never reaches another reader."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from network.forums import services as forums_services
from network.models import Member
from tests.casestudies import factories as casestudies_factories
from tests.conftest import client_for
from tests.events import factories as events_factories
from tests.factories import organisation
from tests.forums import factories as forums_factories
from tests.people.factories import make_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def aileen():
    return make_profile(
        full_name="Aileen Murray",
        job_title="Energy officer",
        organisation=organisation("Dundee City Council"),
    )


def test_an_edited_profile_shows_on_the_next_request(member_client, aileen):
    assertContains(member_client.get(aileen.get_absolute_url()), "Energy officer")
    aileen.job_title = "Heat network lead"
    aileen.bio = "I run the **district heating** pilot."
    aileen.save()
    aileen.expertise.add("District heating")
    response = member_client.get(aileen.get_absolute_url())
    assertContains(response, "Heat network lead")
    assertNotContains(response, "Energy officer")
    assertContains(response, "<strong>district heating</strong>", html=True)
    assertContains(response, "District heating</a>")


def test_a_renamed_council_shows_on_the_profile(member_client, aileen):
    member_client.get(aileen.get_absolute_url())
    council = aileen.organisation
    council.name = "Dundee City Council (Tayside)"
    council.save()
    assertContains(
        member_client.get(aileen.get_absolute_url()), "Dundee City Council (Tayside)"
    )


def test_a_new_case_study_talk_and_post_show_on_the_next_request(member_client, aileen):
    member_client.get(aileen.get_absolute_url())
    casestudies_factories.make_case_study(title="Dundee heat network", authors=[aileen])
    response = member_client.get(aileen.get_absolute_url())
    assertContains(response, "Dundee heat network")

    event = events_factories.make_event(title="Heat summit")
    events_factories.make_session(event, title="Our heat network", speakers=[aileen])
    assertContains(member_client.get(aileen.get_absolute_url()), "Our heat network")

    forums_factories.make_thread(author=aileen, title="Who has tried heat pumps?")
    assertContains(
        member_client.get(aileen.get_absolute_url()), "Who has tried heat pumps?"
    )


def test_a_hidden_post_leaves_the_profile_at_once(member_client, aileen, coordinator):
    thread = forums_factories.make_thread(author=aileen, title="Rude thread")
    assertContains(member_client.get(aileen.get_absolute_url()), "Rude thread")
    forums_services.hide_post(thread.posts.get(), moderator=coordinator, reason="Rude")
    assertNotContains(member_client.get(aileen.get_absolute_url()), "Rude thread")


def test_a_suspended_member_has_no_profile_on_the_next_request(member_client, aileen):
    assert member_client.get(aileen.get_absolute_url()).status_code == 200
    aileen.approval_state = Member.Approval.SUSPENDED
    aileen.save()
    assert member_client.get(aileen.get_absolute_url()).status_code == 404
    aileen.approval_state = Member.Approval.APPROVED
    aileen.save()
    assert member_client.get(aileen.get_absolute_url()).status_code == 200


def test_the_edit_link_is_only_ever_the_owners(aileen, other_client):
    owner = client_for(aileen)
    url = aileen.get_absolute_url()
    assertContains(owner.get(url), "Edit your profile")
    assertNotContains(other_client.get(url), "Edit your profile")
    assertContains(owner.get(url), "Edit your profile")
    assertContains(owner.get(url), "Your email address is hidden")


def test_a_moderators_view_of_the_back_room_never_reaches_a_member(
    aileen, coordinator_client, other_client
):
    back_room = forums_factories.make_forum(name="Back room", moderators_only=True)
    forums_factories.make_thread(
        forum=back_room, author=aileen, title="Moderators only talk"
    )
    url = aileen.get_absolute_url()
    assertContains(coordinator_client.get(url), "Moderators only talk")
    assertNotContains(other_client.get(url), "Moderators only talk")
    assertContains(coordinator_client.get(url), "Moderators only talk")


def test_query_count_is_constant_and_lower_when_warm(member_client, aileen):
    def count(client):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(aileen.get_absolute_url()).status_code == 200
        return len(queries)

    member_client.get(aileen.get_absolute_url())  # warm the content-type cache
    aileen.save()  # a new people version: the next request is cold
    few_cold, few_warm = count(member_client), count(member_client)
    event = events_factories.make_event()
    for _ in range(12):
        casestudies_factories.make_case_study(authors=[aileen])
        events_factories.make_session(event, speakers=[aileen])
        forums_factories.make_thread(author=aileen)
    aileen.expertise.add("Heat", "Retrofit", "Transport")
    many_cold, many_warm = count(member_client), count(member_client)
    assert many_cold == few_cold <= 15
    assert many_warm == few_warm < few_cold
