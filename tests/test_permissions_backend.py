"""Permission sets are cached per member (network.backends): a change of role must
still show on the member's very next request, in any worker."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from network.models import Member
from network.roles import COORDINATORS
from tests.factories import give_second_factor

pytestmark = pytest.mark.django_db

REVIEW_QUEUE = reverse("casestudies:review_queue")


def test_joining_and_leaving_the_coordinators_shows_at_once(member, member_client):
    assert member_client.get(REVIEW_QUEUE).status_code == 403
    coordinators = Group.objects.get(name=COORDINATORS)
    member.groups.add(coordinators)
    give_second_factor(member)  # the role needs one (tests/trust)
    assert member_client.get(REVIEW_QUEUE).status_code == 200
    coordinators.user_set.remove(member)
    assert member_client.get(REVIEW_QUEUE).status_code == 403


def test_a_group_losing_a_permission_takes_it_from_its_members(
    coordinator, coordinator_client
):
    assert coordinator_client.get(REVIEW_QUEUE).status_code == 200
    publish = Permission.objects.get(codename="publish_casestudy")
    Group.objects.get(name=COORDINATORS).permissions.remove(publish)
    assert coordinator_client.get(REVIEW_QUEUE).status_code == 403
    publish.group_set.add(Group.objects.get(name=COORDINATORS))
    assert coordinator_client.get(REVIEW_QUEUE).status_code == 200


def test_a_direct_permission_and_clearing_it(member, member_client):
    publish = Permission.objects.get(codename="publish_casestudy")
    member.user_permissions.add(publish)
    give_second_factor(member)
    assert member_client.get(REVIEW_QUEUE).status_code == 200
    member.user_permissions.clear()
    assert member_client.get(REVIEW_QUEUE).status_code == 403


def test_a_cached_set_costs_no_query(coordinator, django_assert_num_queries):
    fresh = Member.objects.get(pk=coordinator.pk)
    assert fresh.has_perm("casestudies.publish_casestudy")  # fills the cache
    again = Member.objects.get(pk=coordinator.pk)
    with django_assert_num_queries(0):
        assert again.has_perm("casestudies.publish_casestudy")
        assert not again.has_perm("network.approve_member")


def test_another_workers_stale_entry_is_never_read(coordinator):
    """A worker's cache keeps the old set under the old token; the new token,
    read from the member's row, never finds it."""
    Member.objects.get(pk=coordinator.pk).has_perm("casestudies.publish_casestudy")
    coordinator.groups.clear()
    assert not Member.objects.get(pk=coordinator.pk).has_perm(
        "casestudies.publish_casestudy"
    )


def test_the_set_is_djangos_own_for_direct_and_group_permissions(coordinator):
    from django.contrib.auth.backends import ModelBackend

    coordinator.user_permissions.add(Permission.objects.get(codename="approve_member"))
    fresh = Member.objects.get(pk=coordinator.pk)
    expected = ModelBackend().get_all_permissions(Member.objects.get(pk=fresh.pk))
    assert fresh.get_all_permissions() == expected
    assert "network.approve_member" in expected
    assert "casestudies.publish_casestudy" in expected
