"""The portal's own background jobs: sending one email. Each app's jobs live in its
own ``jobs.py``, found by Procrastinate's autodiscovery (settings)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from procrastinate import BaseRetryStrategy, RetryDecision, sql
from procrastinate.contrib.django import app

from kit import sessions


class DoublingRetry(BaseRetryStrategy):
    """Try again after first_wait, then twice as long each time. (Procrastinate's
    own exponential_wait=10 waits 10 s, 100 s, 1,000 s ...: 10 ** attempt.)"""

    def __init__(self, *, max_attempts: int, first_wait: int, retry_exceptions):
        self.max_attempts = max_attempts
        self.first_wait = first_wait
        self.retry_exceptions = tuple(retry_exceptions)

    def get_retry_decision(self, *, exception, job) -> RetryDecision | None:
        if job.attempts >= self.max_attempts or not isinstance(
            exception, self.retry_exceptions
        ):
            return None
        return RetryDecision(retry_in={"seconds": self.first_wait * 2**job.attempts})


# A refused connection, a timeout or a temporary SMTP error (smtplib's errors are
# OSErrors) is tried again with a growing wait: 10 s, 20 s, 40 s ... about 3 hours in
# all. A job that still fails stays in the queue as failed, counted by /healthz/ and
# listed in Django admin, never dropped.
MAIL_RETRY = DoublingRetry(max_attempts=10, first_wait=10, retry_exceptions={OSError})


def build_message(
    to: str, subject: str, body: str, html: str = "", headers: dict | None = None
) -> EmailMultiAlternatives:
    """One message to one address, with its HTML part when there is one."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers or {},
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message


# Tasks keep the names they were queued under before the kit had its own package,
# so jobs waiting in the queue during an upgrade still find their code.
@app.task(name="portal.jobs.send_email", queue="email", retry=MAIL_RETRY)
def send_email(
    *, to: str, subject: str, body: str, html: str = "", headers: dict | None = None
) -> None:
    """Send one rendered message to one address."""
    build_message(to, subject, body, html, headers).send()


# A worker that died in the middle of a job (killed, out of memory, its host gone)
# stops updating its heartbeat; after this long its jobs are given to the others.
STALLED_AFTER_S = 30


@app.periodic(cron="* * * * *", periodic_id="retry-stalled-jobs")
@app.task(name="portal.jobs.retry_stalled_jobs", queue="schedules")
def retry_stalled_jobs(timestamp: int) -> int:
    """Every minute: jobs still marked running by a worker whose heartbeat stopped
    go back to the queue, now, for another worker. Email is sent once: a job dies
    before the mail server accepted the message, or after it was marked done."""
    connector = app.connector.get_sync_connector()
    stalled = connector.execute_query_all(
        sql.queries["select_stalled_jobs_by_heartbeat"],
        queue=None,
        task_name=None,
        seconds_since_heartbeat=STALLED_AFTER_S,
    )
    for job in stalled:
        app.job_manager.retry_job_by_id(job["id"], retry_at=timezone.now())
    return len(stalled)


@app.periodic(cron="41 * * * *", periodic_id="clear-expired-sessions")
@app.task(queue="schedules", queueing_lock="clear_expired_sessions")
def clear_expired_sessions(timestamp: int) -> dict:
    """Every hour: expired sessions, and the members' lists of where they are
    signed in, lose the rows that are over (kit.sessions)."""
    return sessions.clear_expired_sessions()
