import io

import pytest

from network.demo import create_demo
from network.models import Notification, Thread

pytestmark = pytest.mark.django_db


def test_demo_is_safe_to_run_twice_and_mentions_officers_in_other_cities(jobs):
    members = {}
    create_demo(members, io.StringIO())
    jobs.run()
    create_demo(members, io.StringIO())
    jobs.run()
    assert Thread.objects.count() == 20
    mentioned = Notification.objects.filter(kind="mention")
    assert {n.recipient.full_name for n in mentioned} >= {
        "Aileen Murray",
        "Priya Sharma",
        "Ross Henderson",
    }
