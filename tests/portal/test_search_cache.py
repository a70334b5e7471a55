"""The one search is kept rendered per query: whatever changes shows on the very
next search, and what one reader may see (their drafts, the back room, draft
events, submitted case studies) never reaches a reader who may not."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from casestudies.models import CaseStudy
from events.models import Event
from network.forums import services as forum_services
from tests.casestudies.factories import make_case_study
from tests.conftest import client_for
from tests.events.factories import make_event
from tests.factories import make_member
from tests.forums.factories import make_forum, make_reply, make_thread

pytestmark = pytest.mark.django_db

URL = reverse("portal:search")


def search(client, q="heat", **params):
    response = client.get(URL, {"q": q, **params})
    assert response.status_code == 200
    return response


def test_new_matches_of_every_kind_show_on_the_next_search(member_client, other_member):
    assertNotContains(search(member_client), "Dundee heat network")
    make_case_study(title="Dundee heat network")
    assertContains(search(member_client), "Dundee heat network")
    make_thread(author=other_member, title="Heat pump noise", body="Heat pumps hum.")
    assertContains(search(member_client), "Heat pump noise")
    make_event(title="Heat summit")
    assertContains(search(member_client), "Heat summit")
    make_member(full_name="Hettie Heatherington", job_title="Heat engineer")
    assertContains(search(member_client), "Hettie Heatherington")


def test_a_hidden_post_and_an_unpublished_case_study_leave_at_once(
    member_client, other_member, coordinator
):
    case_study = make_case_study(title="Dundee heat network")
    thread = make_thread(author=other_member, title="Open thread", body="Heat talk.")
    remark = make_reply(thread, author=other_member, body="A rude heat remark")
    response = search(member_client)
    assertContains(response, "Dundee heat network")
    assertContains(response, "A rude heat remark")

    forum_services.hide_post(remark, moderator=coordinator, reason="Rude")
    case_study.status = CaseStudy.Status.DRAFT
    case_study.save()
    response = search(member_client)
    assertNotContains(response, "A rude heat remark")
    assertNotContains(response, "Dundee heat network")


def test_an_edited_name_shows_in_results_that_show_it(member_client, other_member):
    make_thread(author=other_member, title="Heat plan", body="Our heat plan.")
    assertContains(search(member_client), ">Oscar Other</dd>")
    other_member.full_name = "Oscar Otherton"
    other_member.save()
    assertContains(search(member_client), ">Oscar Otherton</dd>")


def test_one_kind_shows_a_new_match_on_the_next_search(member_client, other_member):
    make_thread(author=other_member, title="First heat thread", body="Heat.")
    assertContains(search(member_client, kind="posts"), "First heat thread")
    make_thread(author=other_member, title="Second heat thread", body="Heat.")
    response = search(member_client, kind="posts")
    assertContains(response, "Second heat thread")
    assertContains(response, "First heat thread")


def test_an_authors_draft_is_never_shown_to_another_reader(
    member, member_client, other_client
):
    make_case_study(
        title="My secret heat draft", status=CaseStudy.Status.DRAFT, authors=[member]
    )
    make_case_study(title="Published heat study")
    for params in ({}, {"kind": "case_studies"}):
        assertContains(search(member_client, **params), "My secret heat draft")
        response = search(other_client, **params)
        assertContains(response, "Published heat study")
        assertNotContains(response, "My secret heat draft")
        assertContains(search(member_client, **params), "My secret heat draft")


def test_submitted_case_studies_reach_reviewers_only(other_member, member_client):
    make_case_study(
        title="Submitted heat study",
        status=CaseStudy.Status.SUBMITTED,
        authors=[other_member],
    )
    reviewer = client_for(make_member(perms=["casestudies.publish_casestudy"]))
    assertNotContains(search(member_client), "Submitted heat study")
    assertContains(search(reviewer), "Submitted heat study")
    assertNotContains(search(member_client), "Submitted heat study")


def test_the_back_room_reaches_moderators_only(other_member, member_client):
    back_room = make_forum(name="Back room", moderators_only=True)
    make_thread(
        forum=back_room,
        author=other_member,
        title="Moderators heat talk",
        body="Heat in the back room.",
    )
    moderator = client_for(make_member(perms=["network.moderate_forums"]))
    for params in ({}, {"kind": "posts"}):
        assertContains(search(moderator, **params), "Moderators heat talk")
        assertNotContains(search(member_client, **params), "Moderators heat talk")
        assertContains(search(moderator, **params), "Moderators heat talk")


def test_draft_events_reach_event_managers_only(member_client):
    make_event(title="Draft heat event", state=Event.State.DRAFT)
    manager = client_for(make_member(perms=["events.manage_events"]))
    for params in ({}, {"kind": "events"}):
        assertContains(search(manager, **params), "Draft heat event")
        assertNotContains(search(member_client, **params), "Draft heat event")
        assertContains(search(manager, **params), "Draft heat event")


def test_each_reader_sees_their_own_words(member_client, other_client):
    make_case_study(title="Dundee heat network")
    assertContains(search(member_client, q="heat"), "Results for “heat”")
    response = search(other_client, q="  heat ")
    assertContains(response, "Dundee heat network")
    assertContains(response, 'value="  heat "')  # what they typed, as typed


def test_a_warm_search_runs_no_search_query(member_client, other_member, other_client):
    def count(client, **params):
        with CaptureQueriesContext(connection) as queries:
            search(client, q="heat network", **params)
        return len(queries), queries.captured_queries

    for i in range(3):
        make_case_study(title=f"Heat network study {i}")
        make_thread(author=other_member, title=f"Thread {i}", body="Our heat network.")
        make_event(title=f"Heat network event {i}")
        make_member(full_name=f"Heat Network Person {i}")
    search(other_client, q="solar")  # each reader's permissions are cached
    search(member_client, q="solar")
    cold, _ = count(member_client)
    warm, queries = count(other_client)
    assert warm < cold <= 15
    assert not any("@@" in q["sql"] for q in queries)  # no full-text match
    for params in ({"kind": "posts"}, {"kind": "members", "page": "2"}):
        cold, _ = count(member_client, **params)
        warm, queries = count(other_client, **params)
        assert warm < cold <= 15
        assert not any("@@" in q["sql"] for q in queries)


def test_a_new_post_searches_discussions_again_and_nothing_else(
    member_client, other_member
):
    make_case_study(title="Dundee heat network")
    make_event(title="Heat summit")
    search(member_client)
    make_thread(author=other_member, title="Heat pumps", body="Our heat pumps hum.")
    with CaptureQueriesContext(connection) as queries:
        response = search(member_client)
    assertContains(response, "Heat pumps")
    assertContains(response, "Dundee heat network")
    # Only the discussions are matched against the words again.
    searches = [q["sql"] for q in queries.captured_queries if "@@" in q["sql"]]
    assert searches
    assert all('FROM "network_post"' in sql for sql in searches)
    assert not any("casestudies_casestudy" in sql for sql in searches)
    assert not any("events_event" in sql for sql in searches)
