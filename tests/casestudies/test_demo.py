import io

import pytest

from casestudies import demo
from casestudies.models import CaseStudy
from network import demo as network_demo

pytestmark = pytest.mark.django_db


def test_demo_case_studies_load_twice_without_duplicates():
    for _ in range(2):
        members = {}
        network_demo.create_demo(members, io.StringIO())
        demo.create_demo(members, io.StringIO())
    assert CaseStudy.objects.published().count() == len(demo.CASE_STUDIES)
    assert CaseStudy.objects.filter(status="submitted").count() == 1
    dundee = CaseStudy.objects.get(title__startswith="Dundee")
    assert dundee.city.name == "Dundee"
    assert dundee.attachments.count() == 1
    stirling = CaseStudy.objects.get(title__startswith="Stirling")
    assert stirling.themes.filter(slug="low-carbon-heat").exists()
