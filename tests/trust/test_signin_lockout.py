"""Failed sign-ins count per account in the shared `default` cache: whichever worker
answers, the 6th try within 15 minutes is refused, the owner is emailed once, and
nobody else signing in from the same address is refused."""

import json
import logging

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client
from django.urls import reverse

from kit.security import JsonFormatter
from tests.factories import PASSWORD, make_member, verify_email

pytestmark = pytest.mark.django_db

LOCKED = "too many failed sign-in attempts"
OFFICE = "203.0.113.7"  # one council proxy: everyone below signs in from it


def worker(address=OFFICE) -> Client:
    return Client(REMOTE_ADDR=address)


def as_another_worker():
    """What a second worker process would have: none of this process's memory.
    Every in-memory cache is emptied; only a shared cache keeps its counts."""
    for cache in caches.all():
        if isinstance(cache, LocMemCache):
            cache.clear()


def sign_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


@pytest.fixture
def target():
    return verify_email(
        make_member(full_name="Tara Target", email="tara@stirling.gov.uk")
    )


def test_the_shared_cache_is_not_process_memory():
    # If the default cache were a LocMemCache, each worker would count alone.
    assert not isinstance(caches["default"], LocMemCache)
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"] == "5/900s/key"


def test_brute_force_across_two_workers_is_refused_at_the_sixth_try(target):
    workers = [worker(), worker("198.51.100.9")]
    for attempt in range(5):
        as_another_worker()
        response = sign_in(workers[attempt % 2], target.email, f"guess-{attempt}")
        assert response.status_code == 200
        assert LOCKED not in response.content.decode(), attempt
    as_another_worker()
    # The 6th try, even with the right password, is refused: the count is shared.
    response = sign_in(workers[1], target.email, PASSWORD)
    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in workers[1].session
    # The same email typed in another case is the same account.
    response = sign_in(workers[0], target.email.upper(), PASSWORD)
    assert LOCKED in response.content.decode()


def test_five_failures_then_the_right_password_still_gets_in(target):
    for attempt in range(4):
        sign_in(worker(), target.email, f"guess-{attempt}")
    response = sign_in(worker(), target.email, PASSWORD)
    assert response["Location"] == reverse("portal:member_home")


def test_another_account_from_the_same_address_still_signs_in(target):
    colleague = verify_email(make_member(email="colin@stirling.gov.uk"))
    attacker = worker()
    for attempt in range(8):
        sign_in(attacker, target.email, f"guess-{attempt}")
    assert LOCKED in sign_in(attacker, target.email, PASSWORD).content.decode()
    response = sign_in(worker(), colleague.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:member_home")


def test_the_owner_is_emailed_once_per_lockout(target, jobs):
    attacker = worker()
    for attempt in range(9):
        sign_in(attacker, target.email, f"guess-{attempt}")
    jobs.run()
    assert [m.to for m in mail.outbox] == [[target.email]]
    message = mail.outbox[0]
    assert "Failed sign-ins" in message.subject
    assert OFFICE in message.body
    assert "locked for 15 minutes" in message.body
    assert "guess-" not in message.body  # never the password tried


def test_an_unknown_address_gets_the_same_message_and_no_email(jobs):
    attacker = worker()
    for attempt in range(5):
        sign_in(attacker, "nobody@stirling.gov.uk", f"guess-{attempt}")
    response = sign_in(attacker, "nobody@stirling.gov.uk", "guess")
    assert LOCKED in response.content.decode()
    jobs.run()
    assert mail.outbox == []


def test_the_message_says_what_happened_and_what_to_do(target):
    for attempt in range(5):
        sign_in(worker(), target.email, f"guess-{attempt}")
    content = sign_in(worker(), target.email, PASSWORD).content.decode()
    assert "Try again in 15 minutes, or reset your password" in content
    assert "told the account&#x27;s owner by email" in content
    # What was typed stays in the form.
    assert f'value="{target.email}"' in content


class Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))


def test_the_lockout_is_in_the_security_log(target):
    # The security logger does not propagate, so listen to it directly.
    collect = Collect()
    collect.setFormatter(JsonFormatter())
    logger = logging.getLogger("portal.security")
    logger.addHandler(collect)
    try:
        for attempt in range(6):
            sign_in(worker(), target.email, f"guess-{attempt}")
    finally:
        logger.removeHandler(collect)
    events = [json.loads(line) for line in collect.lines]
    names = [event["event"] for event in events]
    assert names.count("signin_failed") == 5
    assert names.count("account_locked") == 1
    assert names[-1] == "signin_refused_locked"
    assert {event["address"] for event in events} == {OFFICE}
    assert "guess-" not in "".join(collect.lines)
