"""The visitors' home: what the network achieves per city, its public events, the
training programme and how to join; figures only, never a member; kept rendered."""

import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from casestudies.models import CaseStudy
from tests.casestudies.factories import make_case_study
from tests.events.factories import make_event, make_registration, make_session
from tests.factories import make_member, organisation
from tests.training.factories import make_cohort, make_enrolment

pytestmark = pytest.mark.django_db

HOME = "portal:home"


def _city_row(content: str, city: str) -> list[str]:
    import re

    row = re.search(rf'<th scope="row">{city}</th>(.*?)</tr>', content, re.S)
    return re.findall(r'<td class="portal-number">([^<]*)</td>', row[1])


def test_visitors_see_case_studies_and_savings_per_city(client):
    dundee = organisation("Dundee City Council")
    glasgow = organisation("Glasgow City Council")
    make_case_study(organisation=dundee, emissions_saved=Decimal("120.4"))
    make_case_study(organisation=dundee, emissions_saved=Decimal("1000"))
    make_case_study(organisation=glasgow, emissions_saved=None)
    make_case_study(
        organisation=glasgow,
        emissions_saved=Decimal("5000"),
        status=CaseStudy.Status.DRAFT,
    )
    make_case_study(
        organisation=organisation("Angus Council"), emissions_saved=Decimal("10")
    )

    content = client.get(reverse(HOME)).content.decode()

    assert _city_row(content, "Dundee") == ["2", "1,120"]
    assert _city_row(content, "Glasgow") == ["1", "0"]
    assert _city_row(content, "Stirling") == ["0", "0"]
    assert _city_row(content, "Other councils") == ["1", "10"]
    assert _city_row(content, "All") == ["4", "1,130"]
    assert "<strong>4 case studies</strong>" in content


def test_an_outside_case_study_never_changes_the_figures(client):
    make_case_study(
        organisation=organisation("Dundee City Council"),
        emissions_saved=Decimal("100"),
    )
    before = client.get(reverse(HOME)).content.decode()
    make_case_study(
        organisation=None,
        place=CaseStudy.Place.ABROAD,
        country="Denmark",
        place_name="Copenhagen",
        source_organisation="City of Copenhagen",
        emissions_saved=Decimal("9000"),
    )
    after = client.get(reverse(HOME)).content.decode()
    for row in ("Dundee", "Other councils", "All"):
        assert _city_row(after, row) == _city_row(before, row)
    assert _city_row(after, "All") == ["1", "100"]


def test_visitors_see_public_events_the_training_and_how_to_join(client):
    make_event(title="Heat networks open day", is_public=True)
    make_event(title="Members-only workshop", is_public=False)
    make_event(
        title="Last year's open day",
        is_public=True,
        starts_at=timezone.now() - timedelta(days=300),
    )
    make_cohort(name="Spring councillors cohort")
    make_cohort(name="Autumn councillors cohort", days_ago=30)

    response = client.get(reverse(HOME))

    assertContains(response, "Heat networks open day")
    assertNotContains(response, "Members-only workshop")
    assertNotContains(response, "Last year")
    assertContains(response, "Spring councillors cohort")
    assertNotContains(response, "Autumn councillors cohort")
    assertContains(response, reverse("training:signup"))
    assertContains(response, "How to join")
    assertContains(response, reverse("account_signup"))


def test_no_member_name_or_email_appears(client):
    person = make_member(
        full_name="Zebedee Quillfeather",
        email="zebedee.quillfeather@dundeecity.gov.uk",
        organisation=organisation("Dundee City Council"),
        show_email=True,
    )
    make_case_study(authors=[person], contact=person, emissions_saved=Decimal("7"))
    event = make_event(title="Open retrofit day", is_public=True)
    make_session(event, speakers=[person])
    make_registration(event, person)
    cohort = make_cohort(name="Public cohort", trainer=person)
    make_enrolment(cohort, make_member(full_name="Cllr Ottoline Brackenridge"))

    content = client.get(reverse(HOME)).content.decode()

    assert "Open retrofit day" in content and "Public cohort" in content
    for private in (
        "Zebedee",
        "Quillfeather",
        "zebedee.quillfeather",
        "Ottoline",
        "Brackenridge",
    ):
        assert private not in content


def _visit(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(HOME))
    assert response.status_code == 200
    return len(captured), response.content.decode()


def _fill(n):
    for i in range(n):
        make_case_study(emissions_saved=Decimal(i + 1))
        make_event(title=f"Public event {i}", is_public=True)
        make_cohort(name=f"Cohort {i}")


def test_query_count_is_small_and_does_not_grow(client):
    _fill(2)
    cold_small, _ = _visit(client)
    warm_small, _ = _visit(client)
    _fill(12)
    cold_large, content = _visit(client)
    warm_large, _ = _visit(client)
    assert content.count('href="/events/public/') >= 5
    assert (cold_large, warm_large) == (cold_small, warm_small)
    assert warm_small == 1  # the data versions; the body is kept rendered
    assert cold_small <= 6


def test_a_change_shows_on_the_next_visit(client):
    make_case_study(emissions_saved=Decimal("5"))
    assert "<strong>1 case study</strong>" in _visit(client)[1]
    make_case_study(emissions_saved=Decimal("5"))
    assert "<strong>2 case studies</strong>" in _visit(client)[1]
    make_event(title="Just announced", is_public=True)
    assert "Just announced" in _visit(client)[1]
    make_cohort(name="Just opened cohort")
    assert "Just opened cohort" in _visit(client)[1]


def test_an_event_leaves_the_list_when_it_ends_without_any_change(client):
    make_event(
        title="Ending soon",
        is_public=True,
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(seconds=1),
    )
    assert "Ending soon" in _visit(client)[1]
    # Once it has ended, the kept copy is out of date by the clock alone.
    time.sleep(1.1)
    assert "Ending soon" not in _visit(client)[1]
