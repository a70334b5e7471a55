"""An email that keeps failing is kept: retried with a growing wait, then left as
failed, where /healthz/ counts it and Django admin lists it. Never dropped."""

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from kit.jobs import MAIL_RETRY
from kit.mail import send_templated_email
from tests.conftest import client_for
from tests.factories import make_member
from tests.mailbackends import RefusingBackend
from tests.queue import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def _email_job():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, status, attempts, scheduled_at > now() FROM procrastinate_jobs "
            "WHERE task_name = 'portal.jobs.send_email'"
        )
        return cursor.fetchone()


def test_a_refused_email_is_retried_later_then_kept_as_failed(settings):
    settings.EMAIL_BACKEND = "tests.mailbackends.RefusingBackend"
    RefusingBackend.accept = 0
    member = make_member()
    send_templated_email(
        "network/email/account_locked",
        [member.email],
        {"member": member, "address": "192.0.2.1"},
    )

    run_worker()
    job_id, status, attempts, later = _email_job()
    assert (status, attempts, later) == ("todo", 1, True)  # kept, for later

    # The last allowed try, due now: it fails too, and the job stays as failed.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE procrastinate_jobs SET attempts = %s, scheduled_at = now() "
            "WHERE id = %s",
            [MAIL_RETRY.max_attempts, job_id],
        )
    run_worker()
    assert _email_job()[1] == "failed"
    assert not mail.outbox

    health = client_for(make_member()).get(reverse("healthz")).json()
    assert health["queue"]["failed"] == 1

    admin = make_member(is_staff=True, is_superuser=True)
    page = client_for(admin).get(
        reverse("admin:procrastinate_procrastinatejob_changelist") + "?status=failed"
    )
    assert page.status_code == 200
    assert f">{job_id}<".encode() in page.content
    assert b"portal.jobs.send_email" in page.content
