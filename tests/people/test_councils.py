import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from network.people.queries import similar_councils, similarity
from tests.casestudies.factories import make_case_study
from tests.factories import make_organisation, organisation
from tests.people.factories import make_profile

pytestmark = pytest.mark.django_db


def test_similarity_from_known_facts():
    dundee = organisation("Dundee City Council")  # city, 148k, city
    aberdeen = organisation("Aberdeen City Council")  # city, 224k, city
    falkirk = organisation("Falkirk Council")  # no city, 159k, urban
    score, reasons = similarity(dundee, aberdeen)
    # 0.3 (both cities) + 0.4 * 148/224 + 0.3 (same character)
    assert score == pytest.approx(0.3 + 0.4 * 148 / 224 + 0.3, abs=1e-4)
    assert "a city council" in reasons
    # 0 (city vs none) + 0.4 * 148/159 + 0.3 * (1 - 1/4) (one step apart)
    assert similarity(dundee, falkirk)[0] == pytest.approx(
        0.4 * 148 / 159 + 0.3 * 0.75, abs=1e-4
    )


def test_similar_councils_for_a_city_and_for_islands():
    dundee = [
        s.organisation.name
        for s in similar_councils(organisation("Dundee City Council"), limit=3)
    ]
    # Aberdeen: city, city character, 148/224 people (86%); Perth and Kinross has
    # Perth and nearly Dundee's population but is mixed (84%); Edinburgh is a city
    # but three times the size (72%).
    assert dundee == [
        "Aberdeen City Council",
        "Perth and Kinross Council",
        "City of Edinburgh Council",
    ]
    orkney = similar_councils(organisation("Orkney Islands Council"), limit=2)
    assert [s.organisation.name for s in orkney] == [
        "Shetland Islands Council",
        "Comhairle nan Eilean Siar",
    ]
    assert orkney[0].percent == 98


def test_missing_facts_score_zero_not_an_error():
    bare = make_organisation()
    # Only "neither has a city" is known: 0.3 of 1.
    assert similarity(bare, organisation("Falkirk Council"))[0] == pytest.approx(0.3)
    assert similar_councils(organisation("Improvement Service")) == []


def test_council_page_lists_approved_members_and_similar_councils(member_client):
    dundee = organisation("Dundee City Council")
    make_profile(full_name="Aileen Murray", organisation=dundee)
    make_profile(full_name="Penny Pending", organisation=dundee, approved=False)
    make_profile(
        full_name="Fiona Gordon", organisation=organisation("Aberdeen City Council")
    )
    response = member_client.get(reverse("portal:council", args=[dundee.slug]))
    assertContains(
        response,
        '<h1 class="ds_page-header__title">Dundee City Council</h1>',
        html=True,
    )
    assertContains(response, "Aileen Murray")
    assertNotContains(response, "Penny Pending")
    assertNotContains(response, "Fiona Gordon")  # a member of another council
    assertContains(response, "Councils like this one")
    assertContains(response, reverse("portal:council", args=["aberdeen-city-council"]))
    # Aberdeen's one approved member is counted beside it.
    aberdeen = next(
        s
        for s in response.context["similar"]
        if s.organisation.name.startswith("Aberdeen")
    )
    assert aberdeen.organisation.member_count == 1


def test_unknown_council_is_404(member_client):
    response = member_client.get(reverse("portal:council", args=["atlantis"]))
    assert response.status_code == 404


def test_councils_like_this_count_approved_active_members_only():
    """Every council's count of approved, active members. (That the count is read
    from the member_listed_by_org index is a matter of the planner and the table's
    statistics: it is shown at scale in docs/performance.md, not here, where a
    handful of rows lets PostgreSQL rightly pick another plan.)"""
    aberdeen = organisation("Aberdeen City Council")
    make_profile(organisation=aberdeen)
    make_profile(organisation=aberdeen)
    make_profile(organisation=aberdeen, approved=False)
    make_profile(organisation=aberdeen, is_active=False)
    similar = similar_councils(organisation("Dundee City Council"), limit=40)
    counts = {s.organisation.name: s.organisation.member_count for s in similar}
    assert counts["Aberdeen City Council"] == 2
    assert counts["Stirling Council"] == 0


def test_council_page_shows_a_new_member_and_case_study_on_the_next_request(
    member_client,
):
    """The page below its header is a cached part: a change to its data shows at
    once, to the same reader, with no wait for the cache to expire."""
    dundee = organisation("Dundee City Council")
    make_profile(full_name="Aileen Murray", organisation=dundee)
    url = reverse("portal:council", args=[dundee.slug])
    first = member_client.get(url)
    assertContains(first, "Aileen Murray")
    assertContains(first, "Case studies (0)")
    assertContains(member_client.get(url), "Aileen Murray")  # now from the cache

    make_profile(full_name="Hamish Newcomer", organisation=dundee)
    make_case_study(title="Dundee heat network", organisation=dundee)
    fresh = member_client.get(url)
    assertContains(fresh, "Hamish Newcomer")
    assertContains(fresh, "Dundee heat network")
    assertContains(fresh, "Case studies (1)")


def test_council_page_link_to_its_pbccd_table_stays_the_readers_own(
    member_client, client
):
    """The cached part is shared; the PBCCD link outside it is for the council's
    own members only, whoever filled the cache first."""
    dundee = organisation("Dundee City Council")
    url = reverse("portal:council", args=[dundee.slug])
    pbccd = reverse("casestudies:pbccd", args=[dundee.slug])
    own = make_profile(full_name="Dundee Officer", organisation=dundee)
    client.force_login(own)
    assertContains(client.get(url), pbccd)
    assertNotContains(member_client.get(url), pbccd)


def test_council_page_counts_case_studies_it_led_or_partnered_once_each(
    member_client,
):
    dundee = organisation("Dundee City Council")
    fife = organisation("Fife Council")
    make_case_study(title="Led by Dundee", organisation=dundee)
    both = make_case_study(title="Led and partnered", organisation=dundee)
    both.partners.add(dundee)
    partnered = make_case_study(title="Fife with Dundee", organisation=fife)
    partnered.partners.add(dundee)
    make_case_study(title="Fife alone", organisation=fife)
    make_case_study(title="Dundee draft", organisation=dundee, status="draft")
    response = member_client.get(reverse("portal:council", args=[dundee.slug]))
    assertContains(response, "Case studies (3)")
    assertContains(response, "Fife with Dundee")
    assertNotContains(response, "Fife alone")
    assertNotContains(response, "Dundee draft")


def test_a_slug_longer_than_any_organisation_is_404_not_a_near_match(member_client):
    dundee = organisation("Dundee City Council")
    long_slug = dundee.slug + "-x" * 120
    response = member_client.get(reverse("portal:council", args=[long_slug]))
    assert response.status_code == 404
