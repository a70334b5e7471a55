"""Bad or missing input never gives a 500: every URL, with the demo data loaded,
fetched and posted (empty, and with junk) by a member and by a coordinator."""

import pytest
from django.core.management import call_command

from network.models import Member
from tests.conftest import client_for
from tests.test_access import VIEWS

pytestmark = pytest.mark.django_db

# Never posted to: signing out would end the session the loop relies on.
NOT_POSTED = {"account_logout"}


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.DEBUG = False


def _paths_with_real_objects():
    """Each URL with sample arguments, and again with ids of demo objects."""
    paths = []
    for name, path, _ in VIEWS:
        paths.append((name, path))
        for real in ("/1/", "/2/", "/3/"):
            if "/1/" in path:
                paths.append((name, path.replace("/1/", real)))
    return paths


@pytest.mark.parametrize(
    "email",
    ["aileen.murray@dundeecity.gov.uk", "coordinator@scottishcities.org.uk"],
)
def test_no_page_gives_a_server_error(demo, email):
    client = client_for(Member.objects.get(email=email))
    client.raise_request_exception = True
    failures = []
    for name, path in _paths_with_real_objects():
        for method, data in [
            ("get", {}),
            ("get", {"page": "x", "q": "<script>", "month": "99-99", "tag": "??"}),
            ("post", {}),
            ("post", {"title": "x" * 5000, "body": "<script>alert(1)</script>"}),
        ]:
            if method == "post" and name in NOT_POSTED:
                continue
            try:
                response = getattr(client, method)(path, data)
            except Exception as error:  # noqa: BLE001 - collected and reported
                failures.append(f"{method.upper()} {path} ({name}): {error!r}")
                continue
            if response.status_code >= 500:
                failures.append(
                    f"{method.upper()} {path} ({name}): {response.status_code}"
                )
    assert not failures, "\n".join(failures)
