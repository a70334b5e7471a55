"""The case-study page's body is cached as HTML for every reader while published:
a change must show on the next request, and nothing of one reader's may reach
another."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tests.casestudies.factories import make_attachment, make_case_study
from tests.factories import organisation

pytestmark = pytest.mark.django_db


def test_a_coordinators_edit_shows_on_the_next_view(coordinator, other_client):
    case_study = make_case_study(body="Pumps fitted in 2021.")
    url = case_study.get_absolute_url()
    assertContains(other_client.get(url), "Pumps fitted in 2021.")
    case_study.body = "Pumps fitted in 2022."
    case_study.save()
    response = other_client.get(url)
    assertContains(response, "Pumps fitted in 2022.")
    assertNotContains(response, "Pumps fitted in 2021.")


def test_a_contacts_new_job_title_shows_at_once(member, other_client):
    case_study = make_case_study(contact=member)
    url = case_study.get_absolute_url()
    other_client.get(url)
    member.job_title = "Head of heat networks"
    member.save()
    assertContains(other_client.get(url), "Head of heat networks")


def test_a_new_attachment_or_partner_shows_at_once(other_client):
    case_study = make_case_study()
    url = case_study.get_absolute_url()
    other_client.get(url)
    make_attachment(case_study, name="Final report.pdf")
    assertContains(other_client.get(url), "Final report.pdf")
    case_study.partners.add(organisation("Keep Scotland Beautiful"))
    assertContains(other_client.get(url), "Keep Scotland Beautiful")


def test_the_authors_buttons_never_reach_another_reader(
    member, member_client, other_client
):
    case_study = make_case_study(authors=[member])
    edit = reverse("casestudies:edit", args=[case_study.pk])
    assertContains(member_client.get(case_study.get_absolute_url()), edit)
    assertNotContains(other_client.get(case_study.get_absolute_url()), edit)
    assertContains(member_client.get(case_study.get_absolute_url()), edit)


def test_a_discussion_started_shows_its_link_at_once(member_client, other_client):
    case_study = make_case_study()
    url = case_study.get_absolute_url()
    assertNotContains(other_client.get(url), "Join the discussion")
    member_client.post(reverse("casestudies:discuss", args=[case_study.pk]))
    assertContains(other_client.get(url), "Join the discussion")


def test_an_unpublished_one_is_gone_for_other_members_at_once(
    member, other_client, coordinator
):
    from casestudies.services import unpublish_case_study

    case_study = make_case_study(authors=[member])
    assert other_client.get(case_study.get_absolute_url()).status_code == 200
    unpublish_case_study(case_study, unpublished_by=coordinator)
    assert other_client.get(case_study.get_absolute_url()).status_code == 404


def test_a_warm_page_runs_three_queries_whatever_the_case_study(
    member_client, django_assert_num_queries
):
    small = make_case_study(tags=["heat"])
    big = make_case_study(tags=[f"t{i}" for i in range(12)])
    for case_study in (small, big):
        member_client.get(case_study.get_absolute_url())
        # session, member, the tokens: the heading and body come from the cache
        with django_assert_num_queries(3):
            member_client.get(case_study.get_absolute_url())
