from urllib.parse import parse_qs, urlparse

import pytest
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains

from network.models import Member
from network.services import approve_member
from tests.conftest import client_for
from tests.training.factories import make_cohort, make_elected, make_enrolment
from training.models import Enrolment, SignupIntent
from training.services import cancel_enrolment

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
