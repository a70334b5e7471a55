import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import organisation
from tests.training.factories import (
    make_cohort,
    make_elected,
    make_enrolment,
    make_evidence,
)
from training.models import Enrolment, Evidence
from training.queries import council_figures, progress_figures, progress_for

pytestmark = pytest.mark.django_db


def _learners(council, cohort):
    """Five learners of one council, one at each stage, and one on the waiting list."""

    def learner(hours=0):
        return make_enrolment(
            cohort, make_elected(organisation=council), hours_attended=Decimal(hours)
        )

    learner()  # enrolled only
    learner(8)  # trained
    make_evidence(learner(8), status=Evidence.Status.SUBMITTED)
    make_evidence(learner(8), status=Evidence.Status.SENT)
    certified = make_evidence(learner(8), status=Evidence.Status.CERTIFIED)
    make_enrolment(cohort, make_elected(organisation=council), status="waiting")
    return certified


def test_council_figures_from_a_known_set_of_learners():
    dundee = organisation("Dundee City Council")
    certified = _learners(dundee, make_cohort())
    done = certified.pledges.get(kind="individual")
    done.progress = "done"
    done.save()
    # Someone in two cohorts counts once.
    make_enrolment(make_cohort(), certified.enrolment.member)

    figures = council_figures(dundee)
    assert {
        k: figures[k] for k in ["enrolled", "trained", "evidence_sent", "certified"]
    } == {
        "enrolled": 5,
        "trained": 4,
        "evidence_sent": 2,
        "certified": 1,
    }
    assert figures["certified_percent"] == round(100 / dundee.councillors, 1)
    assert (figures["pledges"], figures["pledges_done"]) == (6, 1)
    assert council_figures(organisation("Stirling Council"))["enrolled"] == 0


def test_progress_page_per_council_per_city_and_pledges(member_client):
    dundee = organisation("Dundee City Council")
    _learners(dundee, make_cohort())
    figures = progress_figures()
    row = next(r for r in figures["councils"] if r["name"] == "Dundee City Council")
    assert (row["enrolled"], row["certified"]) == (5, 1)
    city = next(r for r in figures["cities"] if r["name"] == "Dundee")
    assert (city["enrolled"], city["certified"], city["councillors"]) == (
        5,
        1,
        dundee.councillors,
    )
    assert figures["totals"]["certified"] == 1
    pledges = {r["category"]: r["total"] for r in figures["pledges"]}
    assert pledges["Transport"] == 3 and pledges["Procurement"] == 3

    response = member_client.get(reverse("training:progress"))
    assertContains(response, "Dundee City Council")
    assertContains(response, "Pledges by category")
    # Totals only: no learner's name.
    learner = Enrolment.objects.first().member
    assertNotContains(response, learner.full_name)


def test_progress_page_query_count_is_constant(
    member_client, django_assert_num_queries
):
    def measure():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert member_client.get(reverse("training:progress")).status_code == 200
        return len(queries)

    cohort = make_cohort()
    _learners(organisation("Dundee City Council"), cohort)
    # A session's first request also records it (allauth.usersessions): made
    # on another page, so the figures are still cold below.
    member_client.get(reverse("network:settings"))
    few = measure()
    for name in ["Glasgow City Council", "Stirling Council", "Fife Council"]:
        for _ in range(3):
            _learners(organisation(name), cohort)
    assert Enrolment.objects.count() > 50
    with django_assert_num_queries(few):
        member_client.get(reverse("training:progress"))


def test_csv_download_has_the_same_figures(member_client):
    _learners(organisation("Dundee City Council"), make_cohort())
    response = member_client.get(reverse("training:progress_csv"))
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:7] == [
        "level",
        "name",
        "councillors",
        "enrolled",
        "trained",
        "evidence_sent",
        "certified",
    ]
    dundee = next(r for r in rows if r[:2] == ["council", "Dundee City Council"])
    assert dundee[3:7] == ["5", "4", "2", "1"]


def test_progress_for_a_learner_and_none_for_others(member):
    certified = make_evidence(status=Evidence.Status.CERTIFIED)
    path = progress_for(certified.enrolment.member)
    assert path["evidence"] == certified
    assert [s["done"] for s in path["steps"]][-1] is True
    assert progress_for(member) is None
