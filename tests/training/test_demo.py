import io

import pytest

from network import demo as network_demo
from training import demo
from training.models import Cohort, Enrolment, Evidence
from training.queries import progress_figures

pytestmark = pytest.mark.django_db


def test_demo_has_learners_at_every_stage_and_runs_twice():
    members = {}
    network_demo.create_demo(members, io.StringIO())
    demo.create_demo(members, io.StringIO())
    demo.create_demo(members, io.StringIO())
    assert Cohort.objects.count() == 6
    assert Enrolment.objects.filter(status="waiting").exists()
    statuses = set(Evidence.objects.values_list("status", flat=True))
    assert statuses == {"draft", "submitted", "sent", "certified"}
    assert progress_figures()["totals"]["certified"] == 2
    assert members["cllr_glasgow"].is_approved
