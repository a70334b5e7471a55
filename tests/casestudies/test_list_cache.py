"""The list's rendered body is cached per catalogue version and query string: every
change to a case study must show at once, and nothing personal may be cached."""

import pytest
from django.urls import reverse

from casestudies import services
from casestudies.models import CaseStudy
from tests.casestudies.factories import make_case_study

pytestmark = pytest.mark.django_db

LIST = reverse("casestudies:list")


def test_a_newly_published_case_study_shows_despite_the_cache(
    member_client, coordinator, jobs
):
    make_case_study(title="Perth solar canopies")
    assert b"Perth solar canopies" in member_client.get(LIST).content
    draft = make_case_study(
        title="Falkirk heat network", status=CaseStudy.Status.SUBMITTED
    )
    assert b"Falkirk heat network" not in member_client.get(LIST).content
    with jobs:
        services.publish_case_study(draft, published_by=coordinator)
    assert b"Falkirk heat network" in member_client.get(LIST).content


def test_an_edit_to_a_title_shows_despite_the_cache(member_client):
    case_study = make_case_study(title="Old title")
    assert b"Old title" in member_client.get(LIST).content
    case_study.title = "New title"
    case_study.save()
    content = member_client.get(LIST).content
    assert b"New title" in content
    assert b"Old title" not in content


def test_the_review_link_is_not_cached_across_members(
    member_client, coordinator_client
):
    make_case_study()
    assert b"Review queue" in coordinator_client.get(LIST).content
    assert b"Review queue" not in member_client.get(LIST).content
