import pytest

from tests.training.factories import make_cohort, make_enrolment
from training.models import Enrolment
from training.services import cancel_enrolment

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
