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
    assert CaseStudy.objects.count() == 40
    assert CaseStudy.objects.published().count() == 37
    assert CaseStudy.objects.filter(status="submitted").count() == 2
    assert CaseStudy.objects.filter(status="draft").count() == 1
    dundee = CaseStudy.objects.get(title__startswith="Dundee: heat pumps")
    assert dundee.city.name == "Dundee"
    assert dundee.attachments.count() == 1
    stirling = CaseStudy.objects.get(title__startswith="Stirling: a district heat")
    assert stirling.themes.filter(slug="low-carbon-heat").exists()
