"""@mentions name one member: by their stored, unique handle, or by a full name in
quotes that only one approved member has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains

from network.forums.mentions import mentioned_members
from network.models import Member, Notification
from tests.factories import make_member
from tests.forums.factories import make_thread

pytestmark = pytest.mark.django_db


def mentions_notified():
    return set(
        Notification.objects.filter(kind="mention").values_list(
            "recipient__handle", flat=True
        )
    )


def test_namesakes_get_their_own_handles_and_a_mention_reaches_only_one(member, jobs):
    first = make_member(full_name="Gillian Murray")
    second = make_member(full_name="Gillian Murray")
    assert (first.handle, second.handle) == ("gillian.murray", "gillian.murray.2")

    thread = make_thread(author=member, body="Over to you, @Gillian.Murray.2.")
    jobs.run()

    assert mentions_notified() == {"gillian.murray.2"}
    html = thread.posts.get().body_html
    assert f'href="{second.get_absolute_url()}"' in html
    assert f'href="{first.get_absolute_url()}"' not in html


def test_a_quoted_name_two_members_share_names_nobody(member, jobs):
    make_member(full_name="Gillian Murray")
    make_member(full_name="Gillian Murray")

    thread = make_thread(author=member, body='Ask @"Gillian Murray" about tariffs')
    jobs.run()

    assert mentions_notified() == set()
    assert "<a" not in thread.posts.get().body_html


def test_a_quoted_name_one_approved_member_has_names_them(member, jobs):
    priya = make_member(full_name="Priya Sharma")
    # Not approved: neither mentionable nor a namesake that makes the name ambiguous.
    make_member(full_name="Priya Sharma", approved=False)

    thread = make_thread(author=member, body='Ask @"priya  SHARMA" about tariffs')
    jobs.run()

    assert mentions_notified() == {priya.handle}
    assert f'href="{priya.get_absolute_url()}"' in thread.posts.get().body_html


def test_a_handle_and_an_ambiguous_name_in_one_post_link_only_the_handle(member, jobs):
    first = make_member(full_name="Gillian Murray")
    second = make_member(full_name="Gillian Murray")

    thread = make_thread(
        author=member, body='Thanks @gillian.murray and @"Gillian Murray"'
    )
    jobs.run()

    assert mentions_notified() == {"gillian.murray"}
    html = thread.posts.get().body_html
    assert html.count(f'href="{first.get_absolute_url()}"') == 1
    assert f'href="{second.get_absolute_url()}"' not in html


def test_mention_lookup_is_one_query_through_indexes_whatever_the_membership():
    text = 'Thanks @gillian.murray.2 and @"Iain MacLeod"'
    make_member(full_name="Iain MacLeod")
    for _ in range(2):
        make_member(full_name="Gillian Murray")
    with CaptureQueriesContext(connection) as few:
        assert len(mentioned_members(text)) == 2
    Member.objects.bulk_create(
        Member(
            email=f"gm{n}@example.org",
            full_name=f"Gillian Murray {n}",
            handle=f"gillian.murray.{n}.1",
            approval_state=Member.Approval.APPROVED,
        )
        for n in range(2000)
    )
    with CaptureQueriesContext(connection) as many:
        assert len(mentioned_members(text)) == 2

    assert len(few) == len(many) == 1
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE network_member")
        cursor.execute("EXPLAIN " + many[0]["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # Each way of naming a member is looked up in an index, not tested on every
    # member's row (as when handles were computed per row with a regexp).
    assert "Index Cond: ((handle)::text = " in plan, plan
    assert "Index Cond: (lower((full_name)::text) = " in plan, plan


def test_profile_and_posting_help_show_the_handle(member_client):
    make_member(full_name="Iain MacLeod")
    namesake = make_member(full_name="Iain MacLeod")

    profile = member_client.get(namesake.get_absolute_url())
    form = member_client.get(reverse("network:thread_create"))

    assertContains(
        profile, "Mention them in discussions as <code>@iain.macleod.2</code>"
    )
    assertContains(form, "with their @handle, shown on their profile")
