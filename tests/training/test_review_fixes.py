from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.training.factories import cohort_form_data, make_cohort, make_enrolment
from training.models import Enrolment
from training.services import cancel_enrolment, promote_waiting

pytestmark = pytest.mark.django_db


def test_cancelling_the_same_place_twice_promotes_only_one_waiting_learner():
    """Two cancels of one place (a double click, two tabs) each held the row as
    loaded before the lock: both promoted someone, overfilling the cohort."""
    cohort = make_cohort(capacity=1)
    place = make_enrolment(cohort)
    make_enrolment(cohort, status="waiting")
    make_enrolment(cohort, status="waiting")
    first_tab = Enrolment.objects.get(pk=place.pk)
    second_tab = Enrolment.objects.get(pk=place.pk)
    cancel_enrolment(first_tab)
    cancel_enrolment(second_tab)
    assert cohort.enrolments.filter(status="confirmed").count() == 1
    assert cohort.enrolments.filter(status="waiting").count() == 1


def test_a_place_freed_in_an_overfull_cohort_is_not_offered_on():
    """Capacity lowered below the confirmed places: a cancel must not promote."""
    cohort = make_cohort(capacity=2)
    places = [make_enrolment(cohort) for _ in range(3)]
    make_enrolment(cohort, status="waiting")
    cohort.capacity = 1
    cohort.save()
    cancel_enrolment(places[0])
    assert cohort.enrolments.filter(status="confirmed").count() == 2
    assert cohort.enrolments.filter(status="waiting").count() == 1


# --- A raised capacity fills the new places from the waiting list --------------


def _cohort_with_a_waiting_list():
    """Capacity 2, both places taken, three waiting. The first in line was
    created last, so the order checked is the waiting list's, not the ids'."""
    cohort = make_cohort(capacity=2, sessions=0, name="Perth councillors")
    for _ in range(2):
        make_enrolment(cohort)
    now = timezone.now()
    third = make_enrolment(cohort, status="waiting", created_at=now)
    first = make_enrolment(
        cohort, status="waiting", created_at=now - timedelta(minutes=2)
    )
    second = make_enrolment(
        cohort, status="waiting", created_at=now - timedelta(minutes=1)
    )
    return cohort, [first, second, third]


def _assert_first_two_promoted_and_emailed(waiting):
    first, second, third = (Enrolment.objects.get(pk=e.pk) for e in waiting)
    assert [first.status, second.status, third.status] == [
        "confirmed",
        "confirmed",
        "waiting",
    ]
    assert [m.to for m in mail.outbox] == [[first.member.email], [second.member.email]]
    assert all("Your place on Perth councillors" in m.subject for m in mail.outbox)


def test_raising_capacity_in_the_service_promotes_waiting_in_order(
    jobs,
):
    cohort, waiting = _cohort_with_a_waiting_list()
    cohort.capacity = 4
    cohort.save()
    with jobs:
        promoted = promote_waiting(cohort)
    assert promoted == waiting[:2]
    _assert_first_two_promoted_and_emailed(waiting)


def test_raising_capacity_on_the_cohort_form_promotes_waiting_in_order(
    coordinator_client, jobs
):
    cohort, waiting = _cohort_with_a_waiting_list()
    data = cohort_form_data(cohort, capacity="4")
    with jobs:
        response = coordinator_client.post(
            reverse("training:cohort_edit", args=[cohort.pk]), data
        )
    assert response.status_code == 302
    _assert_first_two_promoted_and_emailed(waiting)


def test_raising_capacity_in_admin_promotes_waiting_in_order(admin_client, jobs):
    cohort, waiting = _cohort_with_a_waiting_list()
    data = cohort_form_data(cohort, capacity="4")
    with jobs:
        response = admin_client.post(
            reverse("admin:training_cohort_change", args=[cohort.pk]), data
        )
    assert response.status_code == 302
    _assert_first_two_promoted_and_emailed(waiting)
