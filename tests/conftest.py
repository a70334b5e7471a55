import contextlib
import time

import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from django.conf import settings as django_settings
from django.core.cache import caches
from django.test import Client
from django.utils import translation

from network.models import Member
from network.roles import has_second_factor, must_use_second_factor
from tests.factories import give_second_factor, make_coordinator, make_member
from tests.queue import Queue


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Serve static files without a collectstatic step under the test runner.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    # allauth's rate limits count in the shared cache and rendered parts sit in
    # the per-process one; each test starts with neither used.
    _clear_caches()
    yield
    _clear_caches()


def _clear_caches():
    for cache in caches.all():
        # A test without the database counted nothing in the shared cache.
        with contextlib.suppress(RuntimeError):
            cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """LocaleMiddleware leaves the last request's language active in the thread,
    as each real request sets its own; each test starts and ends in English."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture(autouse=True)
def _empty_job_queue(request):
    """Procrastinate's tables are not Django's, so the flush after a transactional
    test leaves its jobs behind; a transactional test starts with an empty queue,
    so its worker runs only the jobs it made."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        from django.db import connection

        request.getfixturevalue("transactional_db")
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM procrastinate_jobs")


@pytest.fixture
def jobs(db):
    """The background job queue: ``jobs.run()``, or ``with jobs:`` around a change,
    runs what it queued (tests/queue.py)."""
    return Queue()


def client_for(member) -> Client:
    """A client signed in as the member. Staff and coordinators get an
    authenticator app first: their role opens nothing without a second factor
    (tests/trust/test_second_factor.py checks that)."""
    privileged = must_use_second_factor(member)
    if privileged and not has_second_factor(member):
        give_second_factor(member)
    client = Client()
    client.force_login(member)
    if privileged:
        confirm_identity(client, member)
    return client


def confirm_identity(client: Client, member, *, at: float | None = None) -> None:
    """Record in the client's session that the member just confirmed who they are
    (allauth's re-authentication), as staff do before deciding on members."""
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {
            "method": "password",
            "at": time.time() if at is None else at,
            "reauthenticated": True,
        }
    ]
    session["account_authentication_methods_user"] = str(member.pk)
    session.save()


@pytest.fixture
def member(db):
    return make_member(full_name="Olivia Officer", email="olivia@glasgow.gov.uk")


@pytest.fixture
def member_client(member):
    return client_for(member)


@pytest.fixture
def other_member(db):
    return make_member(full_name="Oscar Other", email="oscar@dundeecity.gov.uk")


@pytest.fixture
def other_client(other_member):
    return client_for(other_member)


@pytest.fixture
def pending_member(db):
    return make_member(approved=False, full_name="Penny Pending")


@pytest.fixture
def pending_client(pending_member):
    return client_for(pending_member)


@pytest.fixture
def coordinator(db):
    return make_coordinator(full_name="Cora Coordinator")


@pytest.fixture
def coordinator_client(coordinator):
    return client_for(coordinator)


@pytest.fixture
def admin_user(db):
    return Member.objects.create_superuser(
        "admin@improvementservice.org.uk", "admin-password-1", full_name="Ada Admin"
    )


@pytest.fixture
def admin_client(admin_user):
    return client_for(admin_user)


def pytest_collection_modifyitems(items):
    """Transactional tests (browser journeys, concurrency) empty every table when
    they end; serialized rollback puts back what the migrations loaded (councils,
    themes, the Coordinators group and its permissions) for the tests after them."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction"):
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)
