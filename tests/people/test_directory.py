import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from network.models import City, Member, Organisation
from tests.factories import organisation
from tests.people.factories import make_profile

pytestmark = pytest.mark.django_db

URL = "network:directory"


def test_directory_lists_only_approved_members(member_client):
    make_profile(full_name="Aileen Approved")
    make_profile(full_name="Penny Pending", approved=False)
    make_profile(full_name="Rory Rejected", state=Member.Approval.REJECTED)
    make_profile(full_name="Sandy Suspended", state=Member.Approval.SUSPENDED)
    make_profile(full_name="Ivor Inactive", is_active=False)
    response = member_client.get(reverse(URL))
    assertContains(response, "Aileen Approved")
    for name in ["Penny Pending", "Rory Rejected", "Sandy Suspended", "Ivor Inactive"]:
        assertNotContains(response, name)


def test_filters_by_name_and_job_title(member_client):
    make_profile(full_name="Aileen Murray", job_title="Low-carbon heat project manager")
    make_profile(full_name="Iain MacLeod", job_title="Energy officer")
    response = member_client.get(reverse(URL), {"q": "heat manager"})
    assertContains(response, "Aileen Murray")
    assertNotContains(response, "Iain MacLeod")
    response = member_client.get(reverse(URL), {"q": "macleod"})
    assertContains(response, "Iain MacLeod")
    assertNotContains(response, "Aileen Murray")


def test_filters_by_city_council_and_type(member_client):
    dundee = organisation("Dundee City Council")
    fife = organisation("Fife Council")
    make_profile(full_name="Aileen Dundee", organisation=dundee)
    make_profile(
        full_name="Jean Councillor",
        organisation=dundee,
        member_type=Member.MemberType.ELECTED,
    )
    make_profile(full_name="Ross Fife", organisation=fife)

    by_city = member_client.get(
        reverse(URL), {"city": City.objects.get(name="Dunfermline").pk}
    )
    assertContains(by_city, "Ross Fife")
    assertNotContains(by_city, "Aileen Dundee")

    by_council = member_client.get(reverse(URL), {"organisation": dundee.pk})
    assertContains(by_council, "Aileen Dundee")
    assertContains(by_council, "Jean Councillor")
    assertNotContains(by_council, "Ross Fife")

    by_type = member_client.get(
        reverse(URL), {"organisation": dundee.pk, "member_type": "elected"}
    )
    assertContains(by_type, "Jean Councillor")
    assertNotContains(by_type, "Aileen Dundee")


def test_filters_by_expertise_tag(member_client):
    make_profile(full_name="Hettie Heat", expertise=["Heat networks", "Procurement"])
    make_profile(full_name="Tam Transport", expertise=["Active travel"])
    response = member_client.get(reverse(URL), {"tag": "heat networks"})
    assertContains(response, "Hettie Heat")
    assertNotContains(response, "Tam Transport")
    # Tags show on the card.
    assertContains(response, "Procurement")


def test_stale_filter_shows_everyone_not_an_error(member_client):
    make_profile(full_name="Aileen Murray")
    response = member_client.get(reverse(URL), {"organisation": 999999, "q": "Aileen"})
    assert response.status_code == 200
    assertContains(response, "Aileen Murray")


def test_hidden_email_never_appears(member_client):
    make_profile(full_name="Harriet Hidden", email="harriet.hidden@glasgow.gov.uk")
    make_profile(
        full_name="Sam Shown", email="sam.shown@glasgow.gov.uk", show_email=True
    )
    response = member_client.get(reverse(URL))
    assertContains(response, "Harriet Hidden")
    assertNotContains(response, "harriet.hidden")
    assertContains(response, 'href="mailto:sam.shown@glasgow.gov.uk"')


def test_paginated_by_twenty(member_client):
    for n in range(25):
        make_profile(full_name=f"Zed Member {n:02}")
    first = member_client.get(reverse(URL), {"q": "Zed"})
    assert len(first.context["page"].object_list) == 20
    second = member_client.get(reverse(URL), {"q": "Zed", "page": 2})
    assert len(second.context["page"].object_list) == 5
    assertContains(first, "page=2")
    assertContains(first, "q=Zed")


def test_query_count_does_not_grow_with_members(
    member_client, django_assert_num_queries
):
    council = Organisation.objects.get(name="Glasgow City Council")
    for _ in range(5):
        make_profile(organisation=council, expertise=["Heat", "Retrofit"])
    member_client.get(reverse(URL))  # warm the content-type cache
    # Compare cold with cold: the list is kept rendered until the people change.
    caches["pages"].clear()
    with CaptureQueriesContext(connection) as five:
        member_client.get(reverse(URL))
    for _ in range(45):
        make_profile(organisation=council, expertise=["Heat", "Retrofit"])
    caches["pages"].clear()
    with django_assert_num_queries(len(five)):
        response = member_client.get(reverse(URL))
    assert response.context["page"].paginator.count == 51  # 50 and the viewer
    # 9 cold: the member's permission set is read once (whether their role needs
    # a second factor, kit.middleware), then kept per worker.
    assert len(five) <= 9
    with CaptureQueriesContext(connection) as warm:
        member_client.get(reverse(URL))
    assert len(warm) < len(five)


def test_pending_member_cannot_open_directory(pending_client):
    response = pending_client.get(reverse(URL))
    assert response["Location"] == reverse("network:pending")
