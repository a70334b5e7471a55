import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from tests.conftest import client_for
from tests.factories import make_member
from tests.training.factories import (
    make_cohort,
    make_elected,
    make_enrolment,
    make_evidence,
)
from training.models import Evidence, PledgeFollowup
from training.services import add_months

pytestmark = pytest.mark.django_db


# Attendance -----------------------------------------------------------------


def test_trainer_and_coordinator_may_record_hours_others_may_not(coordinator_client):
    trainer = make_member(full_name="Tess Trainer")
    cohort = make_cohort(trainer=trainer, session_hours=4)
    enrolment = make_enrolment(cohort)
    first, second = cohort.sessions.all()
    url = reverse("training:attendance", args=[first.pk])
    field = f"hours_{enrolment.pk}"

    assert client_for(make_member()).get(url).status_code == 404
    assert client_for(enrolment.member).post(url, {field: "4"}).status_code == 404

    assert client_for(trainer).post(url, {field: "4"}).status_code == 302
    second_url = reverse("training:attendance", args=[second.pk])
    assert coordinator_client.post(second_url, {field: "3.5"}).status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.hours_attended == Decimal("7.5")


def test_attendance_refuses_more_hours_than_the_session(coordinator_client):
    cohort = make_cohort(session_hours=4)
    enrolment = make_enrolment(cohort)
    url = reverse("training:attendance", args=[cohort.sessions.first().pk])
    response = coordinator_client.post(url, {f"hours_{enrolment.pk}": "9"})
    assert response.status_code == 200
    assertContains(response, "There is a problem")
    assertContains(response, 'value="9"')


# Evidence ----------------------------------------------------------------------


def _evidence_post(**changes):
    target = (timezone.localdate() + timedelta(days=100)).isoformat()
    data = {
        "learning": "Surprised by the carbon budget.",
        "role": "Planning decisions.",
        "sharing": "Briefing my group.",
        "pledge1-kind": "individual",
        "pledge1-category": "transport",
        "pledge1-action": "Take the train to COSLA.",
        "pledge1-target_date": target,
        "pledge2-kind": "group",
        "pledge2-category": "procurement",
        "pledge2-action": "Whole-life carbon in procurement.",
        "pledge2-target_date": target,
        "submit": "Submit",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_learner_submits_two_pledges():
    enrolment = make_enrolment()
    client = client_for(enrolment.member)
    url = reverse("training:evidence", args=[enrolment.pk])
    response = client.post(url, _evidence_post())
    assert response.status_code == 302
    evidence = Evidence.objects.get(enrolment=enrolment)
    assert evidence.status == "submitted"
    assert sorted(evidence.pledges.values_list("kind", flat=True)) == [
        "group",
        "individual",
    ]


def test_submission_without_both_pledge_kinds_is_refused_and_keeps_the_text():
    enrolment = make_enrolment()
    client = client_for(enrolment.member)
    url = reverse("training:evidence", args=[enrolment.pk])
    response = client.post(url, _evidence_post(**{"pledge2-kind": "individual"}))
    assert response.status_code == 200
    assertContains(response, "influences a group")
    assertContains(response, "Whole-life carbon in procurement.")
    assert Evidence.objects.get(enrolment=enrolment).status == "draft"


def test_draft_saves_half_finished_pledges():
    enrolment = make_enrolment()
    client = client_for(enrolment.member)
    url = reverse("training:evidence", args=[enrolment.pk])
    data = _evidence_post(
        **{"pledge2-kind": "", "pledge2-target_date": "", "submit": None}
    )
    data["draft"] = "Save draft"
    assert client.post(url, data).status_code == 302
    evidence = Evidence.objects.get(enrolment=enrolment)
    assert evidence.status == "draft"
    assertContains(client.get(url), "Whole-life carbon in procurement.")


def test_the_service_refuses_what_the_form_refuses():
    """One check for the form and the service: a pledge due today, or two of
    one kind, cannot be submitted even without the form."""
    from django.core.exceptions import ValidationError

    from training.services import save_evidence

    evidence = make_evidence(status=Evidence.Status.DRAFT)
    answers = {"learning": "A", "role": "B", "sharing": "C"}
    today = timezone.localdate()
    pledge = {"category": "transport", "action": "Train", "target_date": today}
    pledges = [{**pledge, "kind": "individual"}, {**pledge, "kind": "individual"}]
    with pytest.raises(ValidationError) as refused:
        save_evidence(evidence, answers=answers, pledges=pledges, submit=True)
    assert refused.value.messages == [
        "Choose a date in the future.",
        "One pledge must be an action as an individual and the other one that "
        "influences a group.",
    ]
    with pytest.raises(ValidationError) as refused:
        save_evidence(evidence, answers=answers, pledges=[], submit=True)
    assert refused.value.messages == ["Fill this in before submitting."]
    evidence.refresh_from_db()
    assert evidence.status == "draft"


def test_a_pledge_due_today_is_refused_on_its_field():
    enrolment = make_enrolment()
    client = client_for(enrolment.member)
    url = reverse("training:evidence", args=[enrolment.pk])
    today = timezone.localdate().isoformat()
    response = client.post(url, _evidence_post(**{"pledge1-target_date": today}))
    assert response.status_code == 200
    assertContains(response, "Choose a date in the future.")
    assert Evidence.objects.get(enrolment=enrolment).status == "draft"


def test_a_learner_sees_only_their_own_evidence():
    evidence = make_evidence()
    other = make_elected()
    make_enrolment(evidence.enrolment.cohort, other)
    url = reverse("training:evidence", args=[evidence.enrolment.pk])
    assert client_for(other).get(url).status_code == 404
    review = reverse("training:review", args=[evidence.enrolment.pk])
    assert client_for(other).get(review).status_code == 404
    assertContains(client_for(evidence.enrolment.member).get(url), "Cycle to the")


# Sending and certifying -----------------------------------------------------------


def test_who_may_certify(coordinator_client, jobs):
    trainer = make_member()
    cohort = make_cohort(trainer=trainer)
    evidence = make_evidence(make_enrolment(cohort), status=Evidence.Status.SENT)
    url = reverse("training:review", args=[evidence.enrolment.pk])
    data = {
        "certify": "1",
        "certificate_number": "CL-0042",
        "certified_on": timezone.localdate().isoformat(),
    }
    assert client_for(make_member()).post(url, data).status_code == 404
    assert client_for(evidence.enrolment.member).post(url, data).status_code == 404
    other_trainer = make_member()
    make_cohort(trainer=other_trainer)
    assert client_for(other_trainer).post(url, data).status_code == 404

    with jobs:
        response = client_for(trainer).post(url, data)
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert (evidence.status, evidence.certificate_number) == ("certified", "CL-0042")
    assert "CL-0042" in mail.outbox[-1].subject


def test_coordinator_sends_then_returns_for_more_evidence(coordinator_client):
    evidence = make_evidence()
    url = reverse("training:review", args=[evidence.enrolment.pk])
    coordinator_client.post(url, {"send": "1"})
    evidence.refresh_from_db()
    assert evidence.status == "sent" and evidence.sent_at
    coordinator_client.post(
        url, {"return": "1", "note": "Make the group pledge bigger."}
    )
    evidence.refresh_from_db()
    assert evidence.status == "returned"
    learner = client_for(evidence.enrolment.member)
    page = learner.get(reverse("training:evidence", args=[evidence.enrolment.pk]))
    assertContains(page, "Make the group pledge bigger.")


def test_certifying_before_sending_is_refused(coordinator_client):
    evidence = make_evidence()
    url = reverse("training:review", args=[evidence.enrolment.pk])
    response = coordinator_client.post(
        url, {"certify": "1", "certificate_number": "X", "certified_on": "2026-01-01"}
    )
    assert response.status_code == 200
    evidence.refresh_from_db()
    assert evidence.status == "submitted"


def test_page_warns_when_more_than_14_days_after_the_last_session(coordinator_client):
    late = make_evidence(make_enrolment(make_cohort(days_ago=15)))
    on_time = make_evidence(make_enrolment(make_cohort(days_ago=14)))
    late_page = coordinator_client.get(
        reverse("training:review", args=[late.enrolment.pk])
    )
    assertContains(late_page, "within 14 days")
    on_time_page = coordinator_client.get(
        reverse("training:review", args=[on_time.enrolment.pk])
    )
    assertNotContains(on_time_page, "within 14 days")


# Follow-ups -------------------------------------------------------------------


def test_followups_go_once_at_each_milestone(jobs):
    certified_on = add_months(timezone.localdate(), -3) - timedelta(days=1)
    evidence = make_evidence(
        status=Evidence.Status.CERTIFIED, certified_on=certified_on
    )
    make_evidence(status=Evidence.Status.CERTIFIED)  # certified today: not due

    def run():
        with jobs:
            call_command("send_pledge_followups", stdout=io.StringIO())

    run()
    run()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [evidence.enrolment.member.email]
    assert "3 months" in mail.outbox[0].subject

    evidence.certified_on = add_months(timezone.localdate(), -6)
    evidence.save()
    run()
    run()
    assert list(evidence.followups.values_list("months", flat=True)) == [3, 6]
    evidence.certified_on = add_months(timezone.localdate(), -12)
    evidence.save()
    run()
    run()
    assert list(evidence.followups.values_list("months", flat=True)) == [3, 6, 12]
    assert len(mail.outbox) == 3
    assert PledgeFollowup.objects.count() == 3


def test_learner_updates_pledge_progress():
    evidence = make_evidence(status=Evidence.Status.CERTIFIED)
    client = client_for(evidence.enrolment.member)
    url = reverse("training:pledges", args=[evidence.enrolment.pk])
    individual, group = (
        evidence.pledges.order_by("kind")[1],
        evidence.pledges.order_by("kind")[0],
    )
    response = client.post(
        url,
        {
            f"p{individual.pk}-progress": "done",
            f"p{individual.pk}-progress_note": "Cycling every week.",
            f"p{group.pk}-progress": "under_way",
            f"p{group.pk}-progress_note": "Paper to committee in May.",
        },
    )
    assert response.status_code == 302
    individual.refresh_from_db()
    assert (individual.progress, individual.progress_note) == (
        "done",
        "Cycling every week.",
    )
    assert client_for(make_elected()).get(url).status_code == 404


# Courses and cohorts --------------------------------------------------------------


def test_coordinator_defines_a_course_and_a_cohort_with_sessions(coordinator_client):
    response = coordinator_client.post(
        reverse("training:course_create"),
        {
            "name": "Carbon Literacy for councillors",
            "toolkit_version": "Scotland v2",
            "training_partner": "Keep Scotland Beautiful",
            "hours_required": "8",
            "description": "",
        },
    )
    assert response.status_code == 302
    from training.models import Cohort, Course

    course = Course.objects.get()
    data = {
        "course": course.pk,
        "name": "Aberdeen spring",
        "organisation": "",
        "mode": "online",
        "location": "",
        "trainer": "",
        "capacity": "12",
        "signup_deadline": "",
        "sessions-TOTAL_FORMS": "2",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
        "sessions-0-title": "Morning",
        "sessions-0-starts_at": "2030-03-01T09:30",
        "sessions-0-hours": "4",
        "sessions-1-title": "",
        "sessions-1-starts_at": "",
        "sessions-1-hours": "4",
    }
    response = coordinator_client.post(reverse("training:cohort_create"), data)
    cohort = Cohort.objects.get()
    assert response["Location"] == cohort.get_absolute_url()
    assert cohort.audience == "Cross-city"
    assert cohort.sessions.count() == 1


def test_editing_a_cohort_changes_and_removes_its_sessions(coordinator_client):
    from tests.training.factories import cohort_form_data

    cohort = make_cohort(sessions=2)
    first, second = cohort.sessions.all()
    data = cohort_form_data(cohort)
    data.update({"sessions-TOTAL_FORMS": "2", "sessions-INITIAL_FORMS": "2"})
    for n, session in enumerate([first, second]):
        starts = timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M")
        data.update(
            {
                f"sessions-{n}-id": session.pk,
                f"sessions-{n}-title": session.title,
                f"sessions-{n}-starts_at": starts,
                f"sessions-{n}-hours": session.hours,
            }
        )
    data["sessions-0-title"] = "Opening morning"
    data["sessions-1-DELETE"] = "on"
    response = coordinator_client.post(
        reverse("training:cohort_edit", args=[cohort.pk]), data
    )
    assert response.status_code == 302
    assert list(cohort.sessions.values_list("title", flat=True)) == ["Opening morning"]


def test_members_cannot_define_cohorts(member_client):
    assert member_client.get(reverse("training:cohort_create")).status_code == 403
    assert member_client.get(reverse("training:course_create")).status_code == 403
    cohort = make_cohort()
    assert member_client.get(cohort.get_absolute_url()).status_code == 404
