"""The functions other areas compose (member home, profiles, council pages, forums)."""

import pytest
from django.urls import reverse

from casestudies.models import CaseStudy
from casestudies.queries import (
    case_studies_by,
    case_studies_for_organisation,
    members_for_topic,
    recent_case_studies_for,
)
from network.models import Theme
from tests.casestudies.factories import make_case_study
from tests.factories import make_member, organisation

pytestmark = pytest.mark.django_db


def test_recent_puts_the_members_city_first():
    stirling = make_member(organisation=organisation("Stirling Council"))
    make_case_study(
        title="Dundee one", organisation=organisation("Dundee City Council")
    )
    make_case_study(title="Stirling one", organisation=organisation("Stirling Council"))
    make_case_study(title="Draft", status=CaseStudy.Status.DRAFT)
    titles = [cs.title for cs in recent_case_studies_for(stirling)]
    assert titles == ["Stirling one", "Dundee one"]


def test_case_studies_by_and_for_organisation():
    author = make_member()
    contact = make_member()
    glasgow = organisation("Glasgow City Council")
    led = make_case_study(authors=[author], organisation=glasgow)
    partnered = make_case_study(contact=contact)
    partnered.partners.add(glasgow)
    make_case_study(authors=[author], status=CaseStudy.Status.DRAFT)
    assert list(case_studies_by(author)) == [led]
    assert list(case_studies_by(contact)) == [partnered]
    assert set(case_studies_for_organisation(glasgow)) == {led, partnered}


def test_members_for_topic():
    heat = Theme.objects.get(slug="low-carbon-heat")
    expert = make_member()
    drafter = make_member()
    make_case_study(authors=[expert], themes=[heat], tags=["heat pumps"])
    make_case_study(authors=[drafter], themes=[heat], status=CaseStudy.Status.DRAFT)
    assert list(members_for_topic(theme=heat)) == [expert]
    assert list(members_for_topic(theme="low-carbon-heat")) == [expert]
    assert list(members_for_topic(tag="heat-pumps")) == [expert]


def test_discuss_this_opens_one_thread(member_client, other_client):
    case_study = make_case_study(title="Heat network")
    url = reverse("casestudies:discuss", args=[case_study.pk])
    first = member_client.post(url)
    second = other_client.post(url)
    assert first.status_code == 302
    assert first["Location"] == second["Location"]
    detail = other_client.get(case_study.get_absolute_url())
    assert b"Join the discussion" in detail.content


def test_no_discussion_of_a_draft(member, member_client):
    case_study = make_case_study(status=CaseStudy.Status.DRAFT, authors=[member])
    url = reverse("casestudies:discuss", args=[case_study.pk])
    assert member_client.post(url).status_code == 404
