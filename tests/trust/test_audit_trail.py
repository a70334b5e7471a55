"""The audit trail: one row per decision, in order, that PostgreSQL refuses to
change or delete, written by the real services, admin and privacy paths."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from casestudies.models import CaseStudy
from casestudies.services import (
    publish_case_study,
    return_case_study,
    unpublish_case_study,
)
from network.audit.models import AuditEvent
from network.audit.services import record
from network.forums.services import (
    flag_post,
    hide_post,
    moderate_thread,
    resolve_flags,
)
from network.models import Member
from network.roles import COORDINATORS
from network.services import approve_member, reject_member, suspend_member
from portal.privacy import services as privacy
from portal.privacy.erasure import erase_member
from tests.admin_forms import admin_form_data
from tests.casestudies.factories import make_case_study
from tests.conftest import client_for
from tests.factories import make_member, organisation
from tests.forums.factories import make_reply, make_thread
from tests.training.factories import make_evidence
from training.models import Evidence
from training.services import certify, return_for_more

pytestmark = pytest.mark.django_db

A = AuditEvent.Action


def events(action=None):
    found = AuditEvent.objects.order_by("created_at", "pk")
    return list(found.filter(action=action) if action else found)


# --- Append-only ---------------------------------------------------------------


def test_the_database_refuses_to_change_or_delete_an_event(member):
    event = record(member, A.MEMBER_APPROVED, member, after={"approval_state": "x"})
    statements = [
        "UPDATE network_auditevent SET target_label = 'forged' WHERE id = %s",
        "UPDATE network_auditevent SET actor_id = NULL WHERE id = %s",
        "DELETE FROM network_auditevent WHERE id = %s",
    ]
    for sql in statements:
        # As the portal's own database user, the one every request uses.
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(target_label="forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.target_label == f"Member {member.pk}"
    assert AuditEvent.objects.count() == 1


def test_only_known_actions_are_recorded(member):
    with pytest.raises(ValueError):
        record(member, "member.promoted_to_king", member)


# --- Membership decisions --------------------------------------------------------


def test_every_decision_on_a_member_stays_in_order(jobs):
    admin = make_member(full_name="Decider")
    waiting = _applicant()
    with jobs:
        approve_member(waiting, decided_by=admin)
        suspend_member(waiting, decided_by=admin, note="Shared their password.")
        reject_member(waiting, decided_by=admin, note="Left the council.")
    assert [(e.action, e.before, e.after) for e in events()] == [
        (
            A.MEMBER_APPROVED,
            {"approval_state": "pending"},
            {"approval_state": "approved"},
        ),
        (
            A.MEMBER_SUSPENDED,
            {"approval_state": "approved"},
            {"approval_state": "suspended", "note": "Shared their password."},
        ),
        (
            A.MEMBER_REJECTED,
            {"approval_state": "suspended"},
            {"approval_state": "rejected", "note": "Left the council."},
        ),
    ]
    assert {e.actor for e in events()} == {admin}
    assert {e.target for e in events()} == {waiting}
    # The member's row holds the last decision; the trail holds all three.
    waiting.refresh_from_db()
    assert waiting.decision_note == "Left the council."


def test_a_repeated_decision_records_nothing_more(jobs):
    admin, waiting = make_member(), _applicant()
    approve_member(waiting, decided_by=admin)
    approve_member(waiting, decided_by=admin)
    assert len(events()) == 1


def test_a_rolled_back_decision_leaves_no_event():
    admin, waiting = make_member(), _applicant()
    with pytest.raises(RuntimeError), transaction.atomic():
        approve_member(waiting, decided_by=admin)
        raise RuntimeError
    assert events() == []


def test_admin_bulk_actions_record_each_decision(admin_client, admin_user, jobs):
    first, second = _applicant(), _applicant()
    url = reverse("admin:network_member_changelist")
    with jobs:
        admin_client.post(
            url, {"action": "approve_selected", "_selected_action": [first.pk]}
        )
        admin_client.post(
            url,
            {"action": "reject_selected", "_selected_action": [first.pk, second.pk]},
        )
    approved, *rejected = events()
    assert (approved.action, approved.target) == (A.MEMBER_APPROVED, first)
    assert {(e.action, e.target) for e in rejected} == {
        (A.MEMBER_REJECTED, first),
        (A.MEMBER_REJECTED, second),
    }
    assert all(e.actor == admin_user for e in events())


def test_admin_role_change_is_recorded_with_group_names(admin_client, admin_user):
    member = make_member(full_name="Rowan Roles")
    url = reverse("admin:network_member_change", args=[member.pk])
    data = admin_form_data(admin_client.get(url))
    data["groups"] = [Group.objects.get(name=COORDINATORS).pk]
    data["is_staff"] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    [event] = events(A.MEMBER_ROLES_CHANGED)
    assert event.actor == admin_user
    assert event.before == {"groups": [], "is_staff": False}
    assert event.after == {"groups": [COORDINATORS], "is_staff": True}
    assert events(A.MEMBER_CHANGED) == []


def test_admin_change_of_a_member_keeps_no_personal_values(admin_client):
    member = make_member(full_name="Rowan Roles", job_title="Energy officer")
    url = reverse("admin:network_member_change", args=[member.pk])
    data = admin_form_data(admin_client.get(url))
    data.update(full_name="Rowan Renamed", member_type="partner")
    admin_client.post(url, data)
    [event] = events(A.MEMBER_CHANGED)
    assert event.before == {"full_name": "(changed)", "member_type": "officer"}
    assert event.after == {"full_name": "(changed)", "member_type": "partner"}
    assert "Rowan" not in str(event.before) + str(event.after) + event.target_label


def test_admin_decision_in_the_form_is_one_event_with_its_note(admin_client, jobs):
    member = make_member()
    url = reverse("admin:network_member_change", args=[member.pk])
    data = admin_form_data(admin_client.get(url))
    data.update(approval_state="suspended", decision_note="Posting spam.")
    with jobs:
        admin_client.post(url, data)
    assert [(e.action, e.after) for e in events()] == [
        (A.MEMBER_SUSPENDED, {"approval_state": "suspended", "note": "Posting spam."})
    ]
    member.refresh_from_db()
    assert member.decision_note == "Posting spam."


def test_admin_member_page_shows_every_decision_in_order(admin_client, jobs):
    admin, member = make_member(full_name="Decider Dee"), _applicant()
    with jobs:
        approve_member(member, decided_by=admin)
        suspend_member(member, decided_by=admin, note="first")
        approve_member(member, decided_by=admin)
    page = admin_client.get(reverse("admin:network_member_change", args=[member.pk]))
    html = page.content.decode()
    assertContains(page, "History (audit trail)")
    approved, suspended = html.index("Member approved"), html.index("Member suspended")
    assert approved < suspended < html.rindex("Member approved")
    assert html.count("Decider Dee") >= 3


def test_admin_change_of_an_organisation_is_recorded(admin_client, admin_user):
    council = organisation("Dundee City Council")
    url = reverse("admin:network_organisation_change", args=[council.pk])
    data = admin_form_data(admin_client.get(url))
    old_domains = list(council.email_domains)
    data["email_domains"] = ",".join([*old_domains, "dundee.example"])
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    [event] = events(A.ORGANISATION_CHANGED)
    assert event.target == council and event.target_label == "Dundee City Council"
    assert event.before == {"email_domains": old_domains}
    assert event.after == {"email_domains": [*old_domains, "dundee.example"]}


# --- Moderation, publication, certification -------------------------------------


def test_moderation_actions_are_recorded(coordinator):
    thread = make_thread(author=make_member(), title="Heat pumps")
    post = make_reply(thread, author=make_member())
    moderate_thread(thread, moderator=coordinator, action="lock", reason="Done")
    hide_post(post, moderator=coordinator, reason="Off topic")
    hide_post(post, moderator=coordinator, reason="", hidden=False)
    flag_post(post, member=make_member(), reason="Rude")
    resolve_flags(post, moderator=coordinator, hide=True, reason="Rude indeed")
    assert [(e.action, e.before, e.after) for e in events()] == [
        (
            A.THREAD_MODERATED,
            {"is_locked": False},
            {"is_locked": True, "action": "lock", "reason": "Done"},
        ),
        (
            A.POST_HIDDEN,
            {"is_hidden": False},
            {"is_hidden": True, "action": "hide post", "reason": "Off topic"},
        ),
        (
            A.POST_SHOWN,
            {"is_hidden": True},
            {"is_hidden": False, "action": "unhide post", "reason": ""},
        ),
        (
            A.POST_HIDDEN,
            {"is_hidden": False},
            {"is_hidden": True, "action": "hide post", "reason": "Rude indeed"},
        ),
        (
            A.FLAGS_RESOLVED,
            {},
            {"hidden": True, "reports": 1, "reason": "Rude indeed"},
        ),
    ]
    assert {e.actor for e in events()} == {coordinator}
    assert events()[0].target == thread and events()[1].target == post


def test_publication_decisions_are_recorded(coordinator, jobs):
    case_study = make_case_study(status=CaseStudy.Status.SUBMITTED, title="Govan heat")
    with jobs:
        return_case_study(case_study, returned_by=coordinator, comments="Add figures")
        publish_case_study(case_study, published_by=coordinator)
        unpublish_case_study(case_study, unpublished_by=coordinator)
    assert [(e.action, e.before, e.after) for e in events()] == [
        (
            A.CASE_STUDY_RETURNED,
            {"status": "submitted"},
            {"status": "draft", "comments": "Add figures"},
        ),
        (A.CASE_STUDY_PUBLISHED, {"status": "draft"}, {"status": "published"}),
        (A.CASE_STUDY_UNPUBLISHED, {"status": "published"}, {"status": "draft"}),
    ]
    assert {e.target_label for e in events()} == {"Govan heat"}


def test_certification_decisions_are_recorded(coordinator, jobs):
    evidence = make_evidence(status=Evidence.Status.SENT)
    learner = evidence.enrolment.member
    with jobs:
        return_for_more(evidence, by=coordinator, note="Bigger group pledge")
    evidence.status = Evidence.Status.SENT
    evidence.save()
    with jobs:
        certify(
            evidence,
            by=coordinator,
            certificate_number="CL-7",
            certified_on=date(2026, 5, 1),
        )
    returned, certified = events()
    assert returned.action == A.EVIDENCE_RETURNED
    assert returned.after == {"status": "returned", "note": "Bigger group pledge"}
    assert certified.action == A.EVIDENCE_CERTIFIED
    assert certified.after == {
        "status": "certified",
        "certificate_number": "CL-7",
        "certified_on": "2026-05-01",
    }
    assert certified.target == evidence and certified.actor == coordinator
    assert learner.full_name not in certified.target_label
    assert f"member {learner.pk}" in certified.target_label


def test_a_certification_through_the_review_page_is_recorded(coordinator_client, jobs):
    evidence = make_evidence(status=Evidence.Status.SENT)
    url = reverse("training:review", args=[evidence.enrolment.pk])
    data = {
        "certify": "1",
        "certificate_number": "CL-0042",
        "certified_on": timezone.localdate().isoformat(),
    }
    with jobs:
        coordinator_client.post(url, data)
    assert [e.action for e in events()] == [A.EVIDENCE_CERTIFIED]


# --- Exports and erasures --------------------------------------------------------


def test_an_export_and_an_erasure_are_recorded(member, admin_user, jobs):
    with jobs:
        privacy.request_export(member)
    [exported] = events(A.MEMBER_EXPORTED)
    assert exported.actor == member and exported.target == member
    erase_member(member, by=admin_user, reason="asked by email")
    [erased] = events(A.MEMBER_ERASED)
    assert erased.actor == admin_user
    assert erased.after == {"reason": "asked by email"}
    assert erased.target_label == f"Member {member.pk}"


def test_the_trail_survives_an_erasure_without_the_name(admin_user, jobs):
    erin = _applicant(full_name="Erin Erasable")
    with jobs:
        approve_member(erin, decided_by=admin_user)
    erase_member(erin, by=admin_user, reason="test")
    rows = AuditEvent.objects.values_list("target_label", "before", "after")
    assert len(rows) == 2
    assert "Erin" not in str(list(rows))
    assert Member.objects.filter(pk=erin.pk).exists()  # the tombstone


# --- Who reads it ------------------------------------------------------------------


def test_admins_read_the_trail_in_admin_and_change_nothing(admin_client, member):
    event = record(member, A.MEMBER_EXPORTED, member)
    listing = admin_client.get(reverse("admin:network_auditevent_changelist"))
    assertContains(listing, "Member&#x27;s data exported")
    assert admin_client.get(reverse("admin:network_auditevent_add")).status_code == 403
    change = reverse("admin:network_auditevent_change", args=[event.pk])
    page = admin_client.get(change)
    assert page.status_code == 200
    assertNotContains(page, 'name="_save"')
    admin_client.post(change, {"target_label": "forged"})
    delete = reverse("admin:network_auditevent_delete", args=[event.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.target_label == f"Member {member.pk}"


def test_network_admins_may_read_the_trail(member):
    staff = make_member(is_staff=True)
    staff.groups.add(Group.objects.get(name="Network admins"))
    record(member, A.MEMBER_EXPORTED, member)
    page = client_for(staff).get(reverse("admin:network_auditevent_changelist"))
    assert page.status_code == 200
    coordinator = make_member(is_staff=True, coordinator=True)
    page = client_for(coordinator).get(reverse("admin:network_auditevent_changelist"))
    assert page.status_code == 403


def test_coordinators_read_the_decisions_they_take_and_no_others(
    coordinator_client, coordinator, admin_user, jobs
):
    thread = make_thread(author=make_member(), title="Heat pumps in tenements")
    moderate_thread(thread, moderator=coordinator, action="pin")
    case_study = make_case_study(status=CaseStudy.Status.SUBMITTED, title="Govan heat")
    with jobs:
        publish_case_study(case_study, published_by=make_coordinator_colleague())
        approve_member(_applicant(), decided_by=admin_user)
    page = coordinator_client.get(reverse("network:audit_trail"))
    assertContains(page, "Heat pumps in tenements")
    assertContains(page, "Govan heat")
    assertContains(page, "Case study published")
    assertNotContains(page, "Member approved")


def make_coordinator_colleague():
    return make_member(coordinator=True, full_name="Colin Colleague")


def test_members_without_a_coordinators_permission_are_refused(member_client):
    assert member_client.get(reverse("network:audit_trail")).status_code == 403


def test_the_coordinators_log_is_paginated_in_few_queries(
    coordinator_client, coordinator, django_assert_max_num_queries
):
    thread = make_thread(author=make_member())
    for n in range(60):
        moderate_thread(
            thread, moderator=coordinator, action="pin" if n % 2 else "unpin"
        )
    url = reverse("network:audit_trail")
    coordinator_client.get(url)  # permissions cached, as on any later page
    with django_assert_max_num_queries(8):
        first = coordinator_client.get(url)
    assert first.content.decode().count("Thread moderated") == 50
    second = coordinator_client.get(url, {"page": 2})
    assert second.content.decode().count("Thread moderated") == 10


_applicants = iter(range(1, 10_000))


def _applicant(**fields):
    """A sign-up nobody need look twice at: a council address of the council it
    names, so approving it needs no confirmation (network.services.check_approval)."""
    n = next(_applicants)
    fields.setdefault("email", f"applicant{n}@dundeecity.gov.uk")
    return make_member(
        approved=False, organisation=organisation("Dundee City Council"), **fields
    )
