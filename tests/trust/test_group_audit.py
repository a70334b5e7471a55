"""Roles are groups: a change made through Django admin's group pages (the
group's permissions, its name, who is in it, a deletion) or through a member's
page leaves audit events, and the members' permissions follow at once."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from network.audit.models import AuditEvent
from network.models import Member
from network.roles import COORDINATORS
from tests.admin_forms import admin_form_data
from tests.factories import make_member

pytestmark = pytest.mark.django_db

A = AuditEvent.Action


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("created_at", "pk"))


def moderate_forums():
    return Permission.objects.get(
        codename="moderate_forums", content_type__app_label="network"
    )


def group_form(client, group):
    url = reverse("admin:auth_group_change", args=[group.pk])
    return url, admin_form_data(client.get(url))


def has_perm(member, perm="network.moderate_forums") -> bool:
    return Member.objects.get(pk=member.pk).has_perm(perm)


def test_a_change_of_a_groups_permissions_is_recorded(admin_client, admin_user):
    group = Group.objects.create(name="Moderators")
    member = make_member()
    group.user_set.add(member)
    assert not has_perm(member)
    url, data = group_form(admin_client, group)
    data["permissions"] = [moderate_forums().pk]
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    [event] = events(A.GROUP_CHANGED)
    assert (event.actor, event.target, event.target_label) == (
        admin_user,
        group,
        "Moderators",
    )
    assert event.before == {"permissions": []}
    assert event.after == {"permissions": [str(moderate_forums())]}
    assert events(A.MEMBER_ROLES_CHANGED) == []  # nobody joined or left
    assert has_perm(member)


def test_members_added_and_removed_on_the_group_page_are_each_recorded(
    admin_client, admin_user
):
    group = Group.objects.create(name="Moderators")
    group.permissions.add(moderate_forums())
    staying, leaving, joining = make_member(), make_member(), make_member()
    group.user_set.add(staying, leaving)
    url, data = group_form(admin_client, group)
    assert sorted(data["members"]) == sorted([staying.pk, leaving.pk])
    data["members"] = [staying.pk, joining.pk]
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    assert set(group.user_set.all()) == {staying, joining}
    by_member = {e.target: e for e in events(A.MEMBER_ROLES_CHANGED)}
    assert set(by_member) == {leaving, joining}
    assert (by_member[joining].before, by_member[joining].after) == (
        {"groups": []},
        {"groups": ["Moderators"]},
    )
    assert (by_member[leaving].before, by_member[leaving].after) == (
        {"groups": ["Moderators"]},
        {"groups": []},
    )
    assert all(e.actor == admin_user for e in by_member.values())
    assert events(A.GROUP_CHANGED) == []  # its name and permissions stayed
    # The cached permission sets follow at once.
    assert has_perm(joining) and not has_perm(leaving) and has_perm(staying)


def test_a_group_added_and_deleted_in_admin_is_recorded_with_its_members(
    admin_client, admin_user
):
    member = make_member()
    response = admin_client.post(
        reverse("admin:auth_group_add"),
        {
            "name": "Forum moderators",
            "permissions": [moderate_forums().pk],
            "members": [member.pk],
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    group = Group.objects.get(name="Forum moderators")
    [added] = events(A.GROUP_ADDED)
    assert added.after == {
        "name": "Forum moderators",
        "permissions": [str(moderate_forums())],
    }
    assert has_perm(member)

    response = admin_client.post(
        reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    [deleted] = events(A.GROUP_DELETED)
    assert deleted.actor == admin_user and deleted.target_label == "Forum moderators"
    assert deleted.before == {
        "name": "Forum moderators",
        "permissions": [str(moderate_forums())],
        "members": [f"Member {member.pk}"],
    }
    joined, left = events(A.MEMBER_ROLES_CHANGED)
    assert (joined.after, left.before, left.after) == (
        {"groups": ["Forum moderators"]},
        {"groups": ["Forum moderators"]},
        {"groups": []},
    )
    assert not has_perm(member)


def test_a_member_taken_out_of_a_group_on_their_own_page_is_recorded(admin_client):
    member = make_member()
    member.groups.add(Group.objects.get(name=COORDINATORS))
    url = reverse("admin:network_member_change", args=[member.pk])
    data = admin_form_data(admin_client.get(url))
    data["groups"] = []
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    [event] = events(A.MEMBER_ROLES_CHANGED)
    assert (event.before, event.after) == ({"groups": [COORDINATORS]}, {"groups": []})


def test_the_group_page_lists_only_its_members_and_finds_others_by_search(
    admin_client,
):
    group = Group.objects.create(name="Moderators")
    group.user_set.add(make_member(full_name="Gail Group"))
    for _ in range(5):
        make_member(full_name="Oscar Outsider")
    page = admin_client.get(reverse("admin:auth_group_change", args=[group.pk]))
    html = page.content.decode()
    members_select = re.search(r'<select name="members".*?</select>', html, re.S)
    assert members_select.group(0).count("<option") == 1
    assert 'data-model-name="member_groups"' in members_select.group(0)
    found = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "network",
            "model_name": "member_groups",
            "field_name": "member",
            "term": "Oscar",
        },
    ).json()
    assert len(found["results"]) == 5
