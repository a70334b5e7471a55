from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from network.models import Member
from network.services import approve_member
from tests.conftest import client_for
from tests.training.factories import (
    cohort_form_data,
    make_cohort,
    make_elected,
    make_enrolment,
)
from training.models import Enrolment, SignupIntent
from training.services import cancel_enrolment, promote_waiting

pytestmark = pytest.mark.django_db


def test_public_page_explains_and_links_to_register_as_elected(client):
    cohort = make_cohort(name="Dundee councillors, spring")
    response = client.get(reverse("training:signup"))
    assertContains(response, "Dundee councillors, spring")
    assertContains(response, "two new and significant actions")
    register = next(
        url
        for url in _links(response)
        if url.startswith(reverse("account_signup") + "?")
    )
    query = parse_qs(urlparse(register).query)
    assert query["member_type"] == ["elected"]
    assert query["next"] == [reverse("training:join", args=[cohort.pk])]


def _links(response):
    import re

    return [
        u.replace("&amp;", "&") for u in re.findall(r'href="([^"]+)"', response.text)
    ]


def test_signup_form_presets_elected_member_type(client):
    response = client.get(reverse("account_signup"), {"member_type": "elected"})
    assertContains(response, '<option value="elected" selected>', html=False)


def test_register_from_cohort_link_then_approval_returns_to_the_sign_up(
    client, admin_user, jobs
):
    cohort = make_cohort(name="Glasgow cohort")
    join = reverse("training:join", args=[cohort.pk])
    with jobs:
        response = client.post(
            reverse("account_signup") + f"?next={join}",
            {
                "email": "cllr.new@glasgow.gov.uk",
                "password1": "heat-pumps-for-all-2026",
                "password2": "heat-pumps-for-all-2026",
                "full_name": "Cllr New",
                "member_type": "elected",
                "next": join,
            },
        )
    assert response.status_code == 302
    member = Member.objects.get(email="cllr.new@glasgow.gov.uk")
    assert member.is_elected_member
    assert SignupIntent.objects.filter(member=member, cohort=cohort).exists()

    approve_member(member, decided_by=admin_user)
    member_client = client_for(member)
    response = member_client.get(reverse("portal:member_home"))
    assert response["Location"] == join
    response = member_client.post(join)
    assert Enrolment.objects.get(member=member).status == "confirmed"
    # Once back, the home page is the home page again.
    assert member_client.get(reverse("portal:member_home")).status_code == 200


def test_an_officer_registering_from_a_cohort_link_is_not_sent_back_to_it(client):
    cohort = make_cohort(name="Glasgow cohort")
    join = reverse("training:join", args=[cohort.pk])
    response = client.post(
        reverse("account_signup") + f"?next={join}",
        {
            "email": "officer.new@glasgow.gov.uk",
            "password1": "heat-pumps-for-all-2026",
            "password2": "heat-pumps-for-all-2026",
            "full_name": "Olga Officer",
            "member_type": "officer",
            "next": join,
        },
    )
    assert response.status_code == 302
    assert not SignupIntent.objects.exists()


def test_capacity_then_waiting_list_then_promotion(
    jobs,
):
    cohort = make_cohort(capacity=1)
    first, second = make_elected(), make_elected()
    client_for(first).post(reverse("training:join", args=[cohort.pk]))
    client_for(second).post(reverse("training:join", args=[cohort.pk]))
    statuses = dict(cohort.enrolments.values_list("member_id", "status"))
    assert statuses == {first.pk: "confirmed", second.pk: "waiting"}
    with jobs:
        cancel_enrolment(cohort.enrolments.get(member=first))
    assert cohort.enrolments.get(member=second).status == "confirmed"
    assert mail.outbox[-1].to == [second.email]


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


# A raised capacity fills the new places from the waiting list.


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


def test_officers_cannot_enrol(member_client):
    cohort = make_cohort()
    response = member_client.get(reverse("training:join", args=[cohort.pk]))
    assertContains(response, "This training is for elected members")
    assert (
        member_client.post(reverse("training:join", args=[cohort.pk])).status_code
        == 403
    )
    assert not Enrolment.objects.exists()


def test_cohort_past_its_sign_up_deadline_refuses_sign_up():
    from datetime import date

    cohort = make_cohort(signup_deadline=date(2020, 1, 1))
    url = reverse("training:join", args=[cohort.pk])
    response = client_for(make_elected()).post(url, follow=True)
    assertContains(response, "closed on 1 January 2020")
    assert not Enrolment.objects.exists()


def test_home_shows_own_path(client):
    enrolment = make_enrolment()
    response = client_for(enrolment.member).get(reverse("training:home"))
    assertContains(response, enrolment.cohort.name)
    assertContains(response, "0.0 of 8.0 hours")
