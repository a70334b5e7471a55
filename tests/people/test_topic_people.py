"""Ask the officer who did it, by theme or policy driver: the people who wrote,
lead or spoke on it, in a bounded number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from casestudies.models import CaseStudy
from network.models import PolicyDriver, Theme
from tests.casestudies.factories import make_case_study
from tests.events.factories import make_event, make_session
from tests.factories import make_member
from tests.forums.factories import make_forum, make_thread

pytestmark = pytest.mark.django_db


def heat():
    return Theme.objects.get(slug="low-carbon-heat")


def people_on(theme, n=1):
    """n of each: an author, a contact officer, a speaker and a thread starter."""
    forum = make_forum(theme=theme)
    for i in range(n):
        author = make_member(full_name=f"Aileen Author {i}")
        contact = make_member(full_name=f"Connor Contact {i}")
        make_case_study(authors=[author], contact=contact, themes=[theme])
        event = make_event(themes=[theme])
        make_session(event, speakers=[make_member(full_name=f"Sandy Speaker {i}")])
        make_thread(forum=forum, author=make_member(full_name=f"Tess Thread {i}"))


def test_by_theme_lists_authors_contacts_speakers_and_thread_starters(member_client):
    people_on(heat())
    make_case_study(
        authors=[make_member(full_name="Dora Draft")],
        themes=[heat()],
        status=CaseStudy.Status.DRAFT,
    )
    make_case_study(
        authors=[make_member(full_name="Pending Pat", approved=False)],
        themes=[heat()],
    )
    other = Theme.objects.exclude(pk=heat().pk).first()
    make_case_study(authors=[make_member(full_name="Otto Other")], themes=[other])
    response = member_client.get(reverse("portal:topic", args=["low-carbon-heat"]))
    for name in ["Aileen Author 0", "Connor Contact 0", "Sandy Speaker 0"]:
        assertContains(response, name)
    assertContains(response, "Tess Thread 0")
    for name in ["Dora Draft", "Pending Pat", "Otto Other"]:
        assertNotContains(response, name)


def test_by_driver_lists_who_did_it(member, member_client):
    pbccd = PolicyDriver.objects.get(slug="pbccd")
    author = make_member(full_name="Priya Pbccd")
    make_case_study(authors=[author]).drivers.add(pbccd)
    event = make_event(title="Reporting clinic")
    event.drivers.add(pbccd)
    make_session(event, speakers=[make_member(full_name="Sam Speaks")])
    make_thread(author=make_member(full_name="Theo Threads")).drivers.add(pbccd)
    make_case_study(authors=[make_member(full_name="Lena Lhees")])
    response = member_client.get(reverse("portal:topic"), {"driver": "pbccd"})
    assertContains(response, "Public Bodies Climate Change Duties")
    for name in ["Priya Pbccd", "Sam Speaks", "Theo Threads"]:
        assertContains(response, name)
    assertNotContains(response, "Lena Lhees")


def _count(client, path, params=None):
    client.get(path, params)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, params).status_code == 200
    return len(captured)


def test_topic_queries_do_not_grow_with_the_people(member_client):
    path = reverse("portal:topic", args=["low-carbon-heat"])
    people_on(heat(), n=1)
    few = _count(member_client, path)
    people_on(heat(), n=8)
    assert _count(member_client, path) == few
    assert few <= 12


def test_the_kept_page_shows_a_new_author_at_once(member_client):
    path = reverse("portal:topic", args=["low-carbon-heat"])
    assertNotContains(member_client.get(path), "Nina New")
    make_case_study(authors=[make_member(full_name="Nina New")], themes=[heat()])
    assertContains(member_client.get(path), "Nina New")


def test_the_kept_expertise_list_shows_a_new_expertise_at_once(member_client):
    """The page with no topic lists the expertise members list most, kept until
    people change: a member's new expertise shows on the next request."""
    path = reverse("portal:topic")
    make_member().expertise.add("district heating")
    assertContains(member_client.get(path), "district heating")
    assertNotContains(member_client.get(path), "solar canopies")
    make_member().expertise.add("solar canopies")
    assertContains(member_client.get(path), "solar canopies")
    with CaptureQueriesContext(connection) as kept:
        member_client.get(path)
    assert not any("taggit_taggeditem" in q["sql"] for q in kept.captured_queries)
