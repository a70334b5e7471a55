"""Forms name members by email address (network/fields.py), never with a select of
every member: at scale that select alone would be tens of megabytes."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from casestudies.models import CaseStudy
from tests.casestudies.factories import make_case_study
from tests.casestudies.test_writing import form_data
from tests.factories import make_member
from tests.training.factories import cohort_form_data, make_cohort

pytestmark = pytest.mark.django_db


def test_the_case_study_form_has_no_select_of_members(member_client):
    response = member_client.get(reverse("casestudies:create"))
    assertNotContains(response, '<select name="co_authors"')
    assertNotContains(response, '<select name="contact"')
    assertContains(response, "olivia@glasgow.gov.uk")  # the author is the contact


def test_co_authors_and_contact_by_address_any_case(member, member_client):
    colleague = make_member(email="colin@dundeecity.gov.uk")
    contact = make_member(email="carla@dundeecity.gov.uk")
    response = member_client.post(
        reverse("casestudies:create"),
        form_data(
            co_authors="Colin@DundeeCity.gov.uk", contact=" carla@dundeecity.gov.uk "
        ),
    )
    assert response.status_code == 302
    case_study = CaseStudy.objects.get(title="Dundee heat pumps in schools")
    assert set(case_study.authors.all()) == {member, colleague}
    assert case_study.contact == contact


def test_an_unknown_or_pending_address_is_a_field_error_keeping_the_text(
    member_client,
):
    make_member(email="pending@dundeecity.gov.uk", approved=False)
    response = member_client.post(
        reverse("casestudies:create"),
        form_data(co_authors="nobody@example.org\npending@dundeecity.gov.uk"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "nobody@example.org" in errors["co_authors"][0]
    assert "pending@dundeecity.gov.uk" in errors["co_authors"][0]
    assertContains(response, "Dundee heat pumps in schools")
    assert not CaseStudy.objects.exists()


def test_one_contact_only(member_client, other_member):
    response = member_client.post(
        reverse("casestudies:create"),
        form_data(contact=f"olivia@glasgow.gov.uk, {other_member.email}"),
    )
    assert response.context["form"].errors["contact"] == ["Give one email address."]


def test_the_edit_form_shows_addresses_and_an_unchanged_save_changes_nothing(
    member, member_client, other_member
):
    case_study = make_case_study(
        status=CaseStudy.Status.DRAFT, authors=[member, other_member], contact=member
    )
    response = member_client.get(reverse("casestudies:edit", args=[case_study.pk]))
    form = response.context["form"]
    assertContains(response, other_member.email)
    posted = {name: form[name].value() for name in form.fields}
    posted = {k: v for k, v in posted.items() if v is not None}
    bound = type(form)(data=posted, instance=case_study, author=member)
    assert "co_authors" not in bound.changed_data
    assert "contact" not in bound.changed_data


def test_a_cohorts_trainer_by_address(coordinator, coordinator_client):
    cohort = make_cohort()
    trainer = make_member(email="trainer@keepscotlandbeautiful.org")
    page = coordinator_client.get(reverse("training:cohort_edit", args=[cohort.pk]))
    assertNotContains(page, '<select name="trainer"')
    data = cohort_form_data(cohort, trainer="TRAINER@keepscotlandbeautiful.org")
    response = coordinator_client.post(
        reverse("training:cohort_edit", args=[cohort.pk]), data
    )
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert cohort.trainer == trainer
