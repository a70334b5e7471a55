"""Running the job queue in tests, for real: jobs deferred by the code under test
are rows in Procrastinate's table, and these run them with the tasks' own code."""

import json
import threading

from procrastinate import jobs as procrastinate_jobs
from procrastinate import sql
from procrastinate.contrib.django import app

# A job that defers itself again would loop for ever; no test needs this many.
MOST_JOBS = 10_000


class Queue:
    """The queue inside a plain ``db`` test: its open transaction hides the jobs
    from a worker on another connection, so this takes each waiting job with
    Procrastinate's own fetch query on the test's connection, runs its task in this
    thread and marks it done, as a worker would. A task's error fails the test."""

    def run(self) -> int:
        """Run every waiting job (and any they defer); return how many ran."""
        connector = app.connector
        worker_id = connector.execute_query_one(sql.queries["register_worker"])[
            "worker_id"
        ]
        ran = 0
        try:
            while ran < MOST_JOBS:
                row = connector.execute_query_one(
                    sql.queries["fetch_job"], queues=None, worker_id=worker_id
                )
                if row["id"] is None:
                    return ran
                # Django's connection hands jsonb back as text.
                if isinstance(row["args"], str):
                    row["args"] = json.loads(row["args"])
                job = procrastinate_jobs.Job.from_row(row)
                app.tasks[job.task_name](**job.task_kwargs)
                connector.execute_query(
                    sql.queries["finish_job"],
                    job_id=job.id,
                    status="succeeded",
                    delete_job=False,
                )
                ran += 1
            raise AssertionError(f"more than {MOST_JOBS} jobs: a job defers itself?")
        finally:
            connector.execute_query(
                sql.queries["unregister_worker"], worker_id=worker_id
            )

    def waiting(self, task_name: str | None = None) -> list[dict]:
        """The jobs waiting to run, oldest first, as {"task": ..., "args": ...}."""
        from procrastinate.contrib.django.models import ProcrastinateJob

        jobs = ProcrastinateJob.objects.filter(status="todo").order_by("id")
        if task_name:
            jobs = jobs.filter(task_name=task_name)
        return [{"task": job.task_name, "args": job.args} for job in jobs]

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *_):
        # `with jobs:` around a change: the worker runs once the change is done.
        if exc_type is None:
            self.run()


def run_worker() -> None:
    """A real Procrastinate worker on its own connection, until the queue is empty:
    for ``django_db(transaction=True)`` tests, whose changes are committed. It runs
    in a thread of its own, so a test that already has an event loop (Playwright's)
    can use it too."""
    from tools.benchmark.writes import run_one_worker  # after Django is set up

    run_one_worker()


def run_workers(count: int = 2) -> None:
    """``count`` real workers at once, each in its own thread with its own database
    connections, until the queue is empty: two workers taking the same due work.
    A worker's error fails the test."""
    errors = []

    def work():
        worker_app = app.with_connector(app.connector.get_worker_connector())
        try:
            worker_app.run_worker(
                wait=False, install_signal_handlers=False, listen_notify=False
            )
        except Exception as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
