"""The one visibility rule, seen the same way by every place that applies it:
the library's own queryset, its search, the site search and the page."""

import pytest
from django.urls import reverse

from casestudies.models import CaseStudy
from casestudies.queries import search_case_studies
from tests.casestudies.factories import make_case_study
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

DRAFT = CaseStudy.Status.DRAFT
SUBMITTED = CaseStudy.Status.SUBMITTED
PUBLISHED = CaseStudy.Status.PUBLISHED

# Who sees a case study of each status: its author, a coordinator, another member.
EXPECTED = {
    DRAFT: {"author": True, "coordinator": True, "other": False},
    SUBMITTED: {"author": True, "coordinator": True, "other": False},
    PUBLISHED: {"author": True, "coordinator": True, "other": True},
}


@pytest.mark.parametrize("status", [DRAFT, SUBMITTED, PUBLISHED])
@pytest.mark.parametrize("reader", ["author", "coordinator", "other"])
def test_list_search_site_search_and_page_agree(
    status, reader, member, coordinator, other_member
):
    case_study = make_case_study(
        status=status, authors=[member], title="Peatland restoration plan"
    )
    viewer = {"author": member, "coordinator": coordinator, "other": other_member}[
        reader
    ]
    client = client_for(viewer)
    page = client.get(reverse("portal:search"), {"q": "peatland"})
    one_kind = client.get(
        reverse("portal:search"), {"q": "peatland", "kind": "case_studies"}
    )

    seen = {
        "list": CaseStudy.objects.visible_to(viewer).filter(pk=case_study.pk).exists(),
        "search": search_case_studies("peatland", viewer=viewer)
        .filter(pk=case_study.pk)
        .exists(),
        "site search": "Peatland restoration plan" in page.content.decode(),
        "site search, case studies": "Peatland restoration plan"
        in one_kind.content.decode(),
        "page": client.get(case_study.get_absolute_url()).status_code == 200,
    }
    assert seen == dict.fromkeys(seen, EXPECTED[status][reader])
