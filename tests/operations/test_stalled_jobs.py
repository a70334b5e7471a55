"""A worker killed in the middle of a job: its heartbeat stops, and the job goes back
to the queue for another worker, which runs it."""

import pytest
from django.core import mail
from django.utils import timezone
from procrastinate import sql
from procrastinate.contrib.django import app

from kit import jobs as portal_jobs
from tests.queue import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def connector():
    return app.connector.get_sync_connector()


def a_job_taken_by_a_worker_that_died():
    portal_jobs.send_email.defer(to="olivia@glasgow.gov.uk", subject="Hello", body="Hi")
    worker = connector().execute_query_one(sql.queries["register_worker"])["worker_id"]
    job = connector().execute_query_one(
        sql.queries["fetch_job"], queues=None, worker_id=worker
    )
    # Its last heartbeat was a minute ago: the worker is gone.
    connector().execute_query(
        "UPDATE procrastinate_workers SET last_heartbeat = now() - interval '1 minute'"
        " WHERE id = %(id)s",
        id=worker,
    )
    return job["id"]


def status(job_id):
    return connector().execute_query_one(
        "SELECT status FROM procrastinate_jobs WHERE id = %(id)s", id=job_id
    )["status"]


def test_the_job_of_a_dead_worker_is_run_by_another_and_emails_once():
    job_id = a_job_taken_by_a_worker_that_died()
    assert status(job_id) == "doing"

    assert portal_jobs.retry_stalled_jobs(timestamp=0) == 1
    assert status(job_id) == "todo"
    run_worker()

    assert status(job_id) == "succeeded"
    assert [m.subject for m in mail.outbox] == ["Hello"]


def test_a_job_of_a_live_worker_is_left_alone():
    portal_jobs.send_email.defer(to="olivia@glasgow.gov.uk", subject="Hello", body="Hi")
    worker = connector().execute_query_one(sql.queries["register_worker"])["worker_id"]
    job = connector().execute_query_one(
        sql.queries["fetch_job"], queues=None, worker_id=worker
    )
    assert portal_jobs.retry_stalled_jobs(timestamp=0) == 0
    assert status(job["id"]) == "doing"


def test_it_runs_every_minute():
    crons = {p.task.name: p.cron for p in app.periodic_registry.periodic_tasks.values()}
    assert crons["portal.jobs.retry_stalled_jobs"] == "* * * * *"


def test_email_is_tried_again_after_10_s_then_twice_as_long_each_time():
    class Job:
        def __init__(self, attempts):
            self.attempts = attempts

    def wait_after(attempts, exception=None):
        decision = portal_jobs.MAIL_RETRY.get_retry_decision(
            exception=exception or ConnectionRefusedError(), job=Job(attempts)
        )
        if decision is None:
            return None
        return round((decision.retry_at - timezone.now()).total_seconds())

    waits = [wait_after(n) for n in range(10)]
    assert waits[:4] == [10, 20, 40, 80]
    assert 2.5 * 3600 < sum(waits) < 3 * 3600  # "about 3 hours in all"
    assert wait_after(10) is None  # then it stays failed, counted by /healthz/
    assert wait_after(0, exception=ValueError()) is None  # a bug is not retried
