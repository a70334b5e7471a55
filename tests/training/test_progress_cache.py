"""The progress page is kept rendered: every change to the figures still shows on
the very next request, and a warm page costs no more queries than a cold one."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains

from tests.factories import organisation
from tests.training.factories import make_cohort, make_elected, make_enrolment
from training.models import Enrolment

pytestmark = pytest.mark.django_db


def _council_row(response, name):
    """The council's cells (councillors, enrolled, trained, ...) as the page shows them."""
    html = response.content.decode()
    row = re.search(rf"<th scope=\"row\">{re.escape(name)}</th>(.*?)</tr>", html)
    assert row, f"no row for {name}"
    return re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))


def _get(client):
    response = client.get(reverse("training:progress"))
    assert response.status_code == 200
    return response


def test_a_new_enrolment_shows_on_the_next_request(member_client):
    dundee = organisation("Dundee City Council")
    cohort = make_cohort()
    make_enrolment(cohort, make_elected(organisation=dundee))
    assert _council_row(_get(member_client), "Dundee City Council")[1] == "1"

    make_enrolment(cohort, make_elected(organisation=dundee))
    assert _council_row(_get(member_client), "Dundee City Council")[1] == "2"


def test_a_cancelled_enrolment_leaves_the_figures_at_once(member_client):
    dundee = organisation("Dundee City Council")
    enrolment = make_enrolment(make_cohort(), make_elected(organisation=dundee))
    assert _council_row(_get(member_client), "Dundee City Council")[1] == "1"

    enrolment.status = Enrolment.Status.CANCELLED
    enrolment.save()
    assert _council_row(_get(member_client), "Dundee City Council")[1] == "0"


def test_a_councillor_moving_council_moves_their_figures(member_client):
    """The figures group learners by their council, which is people data."""
    councillor = make_elected(organisation=organisation("Dundee City Council"))
    make_enrolment(make_cohort(), councillor)
    page = _get(member_client)
    assert _council_row(page, "Dundee City Council")[1] == "1"
    assert _council_row(page, "Stirling Council")[1] == "0"

    councillor.organisation = organisation("Stirling Council")
    councillor.save()
    page = _get(member_client)
    assert _council_row(page, "Dundee City Council")[1] == "0"
    assert _council_row(page, "Stirling Council")[1] == "1"


def test_a_changed_number_of_councillors_shows_on_the_next_request(member_client):
    dundee = organisation("Dundee City Council")
    _get(member_client)
    dundee.councillors = 41
    dundee.save()
    assert _council_row(_get(member_client), "Dundee City Council")[0] == "41"


def test_a_warm_page_needs_fewer_queries_than_a_cold_one(member_client, other_client):
    make_enrolment(
        make_cohort(), make_elected(organisation=organisation("Fife Council"))
    )
    with CaptureQueriesContext(connection) as cold:
        _get(member_client)
    # Another member's first visit is served from the same rendering.
    with CaptureQueriesContext(connection) as warm:
        page = _get(other_client)
    assert len(warm) < len(cold)
    assert not any("training_enrolment" in q["sql"] for q in warm.captured_queries)
    assert _council_row(page, "Fife Council")[1] == "1"


def test_a_partners_learner_counts_in_no_council(member_client):
    make_enrolment(
        make_cohort(), make_elected(organisation=organisation("Fife Council"))
    )
    make_enrolment(
        make_cohort(), make_elected(organisation=organisation("Improvement Service"))
    )
    make_enrolment(make_cohort(), make_elected(organisation=None))
    page = _get(member_client)
    assert _council_row(page, "Fife Council")[1] == "1"
    assertContains(page, "; 1 enrolled,")
