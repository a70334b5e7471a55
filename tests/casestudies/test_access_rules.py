"""Who sees a draft, a submitted and a published case study, and its files."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from casestudies.models import CaseStudy
from casestudies.queries import search_case_studies
from tests.casestudies.factories import make_attachment, make_case_study

pytestmark = pytest.mark.django_db

DRAFT = CaseStudy.Status.DRAFT
SUBMITTED = CaseStudy.Status.SUBMITTED
PUBLISHED = CaseStudy.Status.PUBLISHED


@pytest.mark.parametrize("status", [DRAFT, SUBMITTED])
def test_unpublished_seen_by_authors_and_coordinators_only(
    status, member, member_client, other_client, coordinator_client
):
    case_study = make_case_study(
        status=status, authors=[member], title="Secret heat plan"
    )
    url = case_study.get_absolute_url()
    assertContains(member_client.get(url), "Secret heat plan")
    assertContains(coordinator_client.get(url), "Secret heat plan")
    assert other_client.get(url).status_code == 404
    assertNotContains(other_client.get(reverse("casestudies:list")), "Secret heat plan")


def test_published_seen_by_every_approved_member(other_client):
    case_study = make_case_study(title="Open heat network")
    assertContains(other_client.get(case_study.get_absolute_url()), "Open heat network")
    assertContains(other_client.get(reverse("casestudies:list")), "Open heat network")


def test_visitors_and_pending_members_see_none(client, pending_client):
    case_study = make_case_study(title="Open heat network")
    for url in (case_study.get_absolute_url(), reverse("casestudies:list")):
        assert client.get(url)["Location"].startswith(reverse("account_login"))
        assert pending_client.get(url)["Location"] == reverse("network:pending")


def test_search_never_returns_others_drafts(member, other_member, coordinator):
    make_case_study(status=DRAFT, authors=[member], title="Heat pump draft")
    make_case_study(title="Heat pump library")
    assert search_case_studies("heat pump", viewer=other_member).count() == 1
    assert search_case_studies("heat pump", viewer=member).count() == 2
    assert search_case_studies("heat pump", viewer=coordinator).count() == 2


def test_attachment_of_unpublished_case_study_refused_to_others(
    member, member_client, other_client, coordinator_client
):
    case_study = make_case_study(status=SUBMITTED, authors=[member])
    url = make_attachment(case_study).get_absolute_url()
    assert other_client.get(url).status_code == 404
    response = member_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "attachment" in response["Content-Disposition"]
    assert coordinator_client.get(url).status_code == 200


def test_attachment_of_published_case_study_for_members_only(client, other_client):
    url = make_attachment(make_case_study()).get_absolute_url()
    assert other_client.get(url).status_code == 200
    assert client.get(url).status_code == 302


def test_attachment_must_belong_to_the_case_study_in_the_url(member, other_client):
    hidden = make_attachment(make_case_study(status=DRAFT, authors=[member]))
    public = make_case_study()
    url = reverse("casestudies:attachment", args=[public.pk, hidden.pk])
    assert other_client.get(url).status_code == 404


# --- Workflow ---------------------------------------------------------------


def test_author_submits_and_coordinator_is_emailed(
    member, member_client, coordinator, jobs
):
    case_study = make_case_study(status=DRAFT, authors=[member])
    with jobs:
        member_client.post(reverse("casestudies:submit", args=[case_study.pk]))
    case_study.refresh_from_db()
    assert case_study.status == SUBMITTED
    assert coordinator.email in [m.to[0] for m in mail.outbox]


def test_others_cannot_submit_or_edit(member, other_client):
    case_study = make_case_study(status=DRAFT, authors=[member])
    assert (
        other_client.post(
            reverse("casestudies:submit", args=[case_study.pk])
        ).status_code
        == 404
    )
    assert (
        other_client.get(reverse("casestudies:edit", args=[case_study.pk])).status_code
        == 404
    )


def test_coordinator_publishes_and_authors_are_emailed(
    member, coordinator_client, jobs
):
    case_study = make_case_study(status=SUBMITTED, authors=[member], title="Heat")
    with jobs:
        coordinator_client.post(reverse("casestudies:publish", args=[case_study.pk]))
    case_study.refresh_from_db()
    assert case_study.status == PUBLISHED
    assert case_study.published_at is not None
    assert mail.outbox[-1].to == [member.email]
    assert "published" in mail.outbox[-1].subject


def test_coordinator_returns_with_comments(
    member, member_client, coordinator_client, jobs
):
    case_study = make_case_study(status=SUBMITTED, authors=[member])
    url = reverse("casestudies:return", args=[case_study.pk])
    response = coordinator_client.post(url, {"comments": ""})
    assertContains(response, "This field is required")
    with jobs:
        coordinator_client.post(url, {"comments": "Please add the costs."})
    case_study.refresh_from_db()
    assert case_study.status == DRAFT
    assert "Please add the costs." in mail.outbox[-1].body
    assert mail.outbox[-1].to == [member.email]
    assertContains(
        member_client.get(case_study.get_absolute_url()), "Please add the costs."
    )


def test_members_cannot_publish_or_see_the_queue(member, member_client):
    case_study = make_case_study(status=SUBMITTED, authors=[member])
    response = member_client.post(reverse("casestudies:publish", args=[case_study.pk]))
    assert response.status_code == 403
    assert member_client.get(reverse("casestudies:review_queue")).status_code == 403
    case_study.refresh_from_db()
    assert case_study.status == SUBMITTED


def test_coordinator_unpublishes(other_client, coordinator_client):
    case_study = make_case_study(title="Withdrawn project")
    coordinator_client.post(reverse("casestudies:unpublish", args=[case_study.pk]))
    assert other_client.get(case_study.get_absolute_url()).status_code == 404


def test_review_queue_and_my_case_studies(member, member_client, coordinator_client):
    make_case_study(status=SUBMITTED, authors=[member], title="Waiting one")
    make_case_study(status=DRAFT, authors=[member], title="Still drafting")
    queue = coordinator_client.get(reverse("casestudies:review_queue"))
    assertContains(queue, "Waiting one")
    assertNotContains(queue, "Still drafting")
    mine = member_client.get(reverse("casestudies:mine"))
    assertContains(mine, "Waiting one")
    assertContains(mine, "Still drafting")


def test_admin_actions_publish_through_the_service(admin_client, member, jobs):
    case_study = make_case_study(status=SUBMITTED, authors=[member])
    with jobs:
        admin_client.post(
            reverse("admin:casestudies_casestudy_changelist"),
            {"action": "publish_selected", "_selected_action": [case_study.pk]},
        )
    case_study.refresh_from_db()
    assert case_study.status == PUBLISHED
    assert mail.outbox[-1].to == [member.email]
    response = admin_client.get(
        reverse("admin:casestudies_casestudy_changelist"), {"q": case_study.title}
    )
    assertContains(response, case_study.title)


def test_coordinators_group_may_publish():
    perms = Group.objects.get(name="Coordinators").permissions.values_list(
        "codename", flat=True
    )
    assert "publish_casestudy" in perms
