"""An officer asks who did it: from a theme to the officer who led a case study on
it, then to that officer's council and the councils like it."""

import pytest

from network.models import Theme
from tests.browser.conftest import assert_accessible, sign_in_as
from tests.casestudies.factories import make_case_study
from tests.factories import organisation
from tests.people.factories import make_profile

pytestmark = pytest.mark.django_db(transaction=True)


def test_theme_to_officer_to_council(page):
    heat = Theme.objects.get(slug="low-carbon-heat")
    dundee = organisation("Dundee City Council")
    aileen = make_profile(
        full_name="Aileen Murray",
        job_title="Low-carbon heat project manager",
        organisation=dundee,
        bio="I led the Dundee heat network feasibility study.",
        expertise=["Heat networks"],
    )
    make_case_study(
        title="Dundee district heat network",
        authors=[aileen],
        organisation=dundee,
        themes=[heat],
    )
    viewer = make_profile(
        full_name="Iain MacLeod", organisation=organisation("Stirling Council")
    )
    sign_in_as(page, viewer)

    page.goto("/network/people/ask/")
    assert_accessible(page)
    page.get_by_role("link", name="Low-carbon heat").click()
    page.wait_for_url("**/network/people/ask/low-carbon-heat/")
    assert_accessible(page)

    authors = page.get_by_role("region", name="Wrote or lead case studies on it")
    authors.get_by_role("link", name="Aileen Murray", exact=True).click()
    page.wait_for_url(f"**/network/people/{aileen.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Aileen Murray"
    assert page.get_by_role("link", name="Dundee district heat network").is_visible()
    # Her email address is hidden: she did not choose to show it.
    assert aileen.email not in page.content()
    assert_accessible(page)

    page.get_by_role("link", name="Dundee City Council").click()
    page.wait_for_url("**/network/councils/dundee-city-council/")
    assert page.get_by_role("heading", level=1).inner_text() == "Dundee City Council"
    similar = page.get_by_role("region", name="Councils like this one")
    assert similar.get_by_role("link", name="Aberdeen City Council").is_visible()
    assert_accessible(page)

    # The directory and the settings hub pass too.
    page.goto("/network/people/?tag=heat+networks")
    assert page.get_by_role("link", name="Aileen Murray", exact=True).is_visible()
    assert_accessible(page)
    page.goto("/network/settings/")
    assert_accessible(page)
    page.goto("/network/people/profile/")
    assert_accessible(page)
