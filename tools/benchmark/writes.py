"""The write paths the benchmark times against a running server, and the worker's
drain of the fan-out they queue: reply to the busiest thread, register for an event,
publish a case study. ``manage.py benchmark_writes`` drives these; ``CatalogueWrites``
is ``benchmark_pages --write-mix``'s catalogue write every few seconds.

Every write is a real POST over HTTP with the member's session and a CSRF token,
timed to its response (a redirect); the jobs it defers wait in the queue until the
drain runs one worker over them.
"""

import http.client
import statistics
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connections
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.crypto import get_random_string

from network.models import Member, Notification, Subscription
from network.models.forums import Thread

# Watchers the reply benchmark needs on its thread (issue 12: "a thread watched by
# 15,000 members").
WATCHERS = 15_000


class DiscardingEmailBackend(BaseEmailBackend):
    """Builds each message's bytes, as the SMTP backend does before it sends them,
    and drops them: the drain measures the worker, not a mail server."""

    def send_messages(self, email_messages):
        for message in email_messages:
            message.message().as_bytes()
        return len(email_messages)


def percentiles(samples_ms: list[float]) -> dict:
    cuts = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98], "n": len(samples_ms)}


@dataclass
class Session:
    """A signed-in member on the running server: their session and CSRF cookies."""

    member: Member
    base_url: str
    cookies: dict = field(default_factory=dict)
    csrf: str = ""

    @classmethod
    def sign_in(cls, member: Member, base_url: str) -> "Session":
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(member)
        csrf = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)
        cookies = {
            settings.SESSION_COOKIE_NAME: client.cookies[
                settings.SESSION_COOKIE_NAME
            ].value,
            settings.CSRF_COOKIE_NAME: csrf,
        }
        return cls(member=member, base_url=base_url, cookies=cookies, csrf=csrf)

    def post(self, path: str, data: dict | None = None) -> tuple[int, float]:
        """POST the form; (status, milliseconds to the whole response)."""
        url = urlsplit(self.base_url)
        body = urlencode({"csrfmiddlewaretoken": self.csrf, **(data or {})})
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "X-CSRFToken": self.csrf,
            "Host": url.netloc,
        }
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        try:
            started = time.perf_counter()
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            elapsed = (time.perf_counter() - started) * 1000
        finally:
            connection.close()
        return response.status, elapsed


def busiest_thread() -> Thread:
    """The thread with the most posts that members can see and reply to."""
    thread = (
        Thread.objects.filter(
            is_hidden=False, is_locked=False, forum__moderators_only=False
        )
        .order_by("-post_count", "pk")
        .first()
    )
    if thread is None:
        raise LookupError("No open thread to reply to: load data first.")
    return thread


def thread_watchers(thread: Thread) -> int:
    return Subscription.objects.filter(
        thread=thread, level=Subscription.Level.WATCHING
    ).count()


def top_up_watchers(thread: Thread, target: int = WATCHERS) -> int:
    """Make approved members watch the thread until ``target`` do; return how many
    subscriptions were added (none when it already has that many). Members who
    muted it are left alone."""
    missing = target - thread_watchers(thread)
    if missing <= 0:
        return 0
    candidates = (
        Member.objects.approved()
        .exclude(forum_subscriptions__thread=thread)
        .order_by("pk")
        .values_list("pk", flat=True)[:missing]
    )
    created = Subscription.objects.bulk_create(
        [
            Subscription(member_id=pk, thread=thread, level=Subscription.Level.WATCHING)
            for pk in candidates
        ],
        batch_size=2000,
    )
    return len(created)


def coordinator() -> tuple[Member, bool]:
    """An approved coordinator, and whether one had to be made: the scale data has
    none, so the first approved member joins the coordinators (the benchmark
    database only)."""
    from django.contrib.auth.models import Group

    from network.roles import COORDINATORS

    approved = Member.objects.approved().order_by("pk")
    member = approved.filter(groups__name=COORDINATORS).first()
    if member:
        return member, False
    member = approved.first()
    if member is None:
        raise LookupError("No approved member to publish case studies as.")
    member.groups.add(Group.objects.get(name=COORDINATORS))
    return member, True


def open_event_for(member: Member):
    """An upcoming published event the member may register for, with a free place
    and no registration of theirs, so each register-then-cancel is the same write."""
    from events.models import Event, Registration

    now = timezone.now()
    events = (
        Event.objects.filter(state="published", starts_at__gt=now)
        .exclude(
            pk__in=Registration.objects.active()
            .filter(member=member)
            .values("event_id")
        )
        .order_by("starts_at", "pk")
    )
    for event in events[:200]:
        if (
            event.registration_is_open(now)
            and event.is_for(member)
            and event.registrations.confirmed().count() < event.capacity
        ):
            return event
    raise LookupError("No upcoming event open for registration.")


def unpublished_case_studies(count: int, *, by: Member) -> list:
    """``count`` case studies a coordinator may publish (drafts or submitted); when
    the data has fewer, published ones are taken back to draft first."""
    from casestudies import services
    from casestudies.models import CaseStudy

    waiting = list(
        CaseStudy.objects.filter(
            status__in=[CaseStudy.Status.DRAFT, CaseStudy.Status.SUBMITTED]
        ).order_by("pk")[:count]
    )
    if len(waiting) < count:
        for case_study in CaseStudy.objects.filter(
            status=CaseStudy.Status.PUBLISHED
        ).order_by("pk")[: count - len(waiting)]:
            services.unpublish_case_study(case_study, unpublished_by=by)
            waiting.append(case_study)
    return waiting


class CatalogueWrites:
    """While a page is loaded, a real catalogue write every ``every`` seconds in
    a thread: one case study published, then unpublished, through the services
    (as a reviewer's clicks would), each a new catalogue version, so every
    worker's next request of the list is its first after a change."""

    def __init__(self, every: float = 5.0):
        self.every = every
        self.made = 0
        self._stop = threading.Event()
        self._thread = None

    def __enter__(self):
        member, _made = coordinator()
        (case_study,) = unpublished_case_studies(1, by=member)
        self._thread = threading.Thread(
            target=self._run, args=(member, case_study.pk), daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self, member, pk) -> None:
        from casestudies import services
        from casestudies.models import CaseStudy

        try:
            while not self._stop.wait(self.every):
                case_study = CaseStudy.objects.get(pk=pk)
                if case_study.is_published:
                    services.unpublish_case_study(case_study, unpublished_by=member)
                else:
                    services.publish_case_study(case_study, published_by=member)
                self.made += 1
        finally:
            connections.close_all()


def fan_out_jobs(post_ids) -> list[int]:
    from procrastinate.contrib.django.models import ProcrastinateJob

    return [
        job.id
        for job in ProcrastinateJob.objects.filter(
            task_name="network.forums.jobs.notify_post", status="todo"
        )
        if job.args.get("post_id") in set(post_ids)
    ]


def cancel_jobs(job_ids) -> None:
    from procrastinate.contrib.django import app

    for job_id in job_ids:
        app.job_manager.cancel_job_by_id(job_id)


def waiting_jobs(queues) -> int:
    from procrastinate.contrib.django.models import ProcrastinateJob

    return ProcrastinateJob.objects.filter(
        queue_name__in=queues, status__in=["todo", "doing"]
    ).count()


def seconds_by_task(since) -> dict[str, dict]:
    """{task name: {"jobs": n, "seconds": time from start to success, "last_done":
    when the last succeeded}} of the jobs that started since then (the queue's own
    event log)."""
    from procrastinate.contrib.django.models import ProcrastinateEvent

    spans: dict[int, dict] = {}
    for job_id, task, kind, at in ProcrastinateEvent.objects.filter(
        at__gte=since, type__in=["started", "succeeded"]
    ).values_list("job_id", "job__task_name", "type", "at"):
        spans.setdefault(job_id, {"task": task})[kind] = at
    totals: dict[str, dict] = {}
    for span in spans.values():
        if "started" in span and "succeeded" in span:
            total = totals.setdefault(
                span["task"], {"jobs": 0, "seconds": 0.0, "last_done": since}
            )
            total["jobs"] += 1
            total["seconds"] += (span["succeeded"] - span["started"]).total_seconds()
            total["last_done"] = max(total["last_done"], span["succeeded"])
    return totals


def run_one_worker(queues=None) -> None:
    """One Procrastinate worker, one job at a time, until the queues (None: all)
    are empty, in a thread of its own whose database connections are closed after;
    its error is raised here (tests/queue.py runs the tests' worker with it)."""
    from procrastinate.contrib.django import app

    errors = []

    def work():
        try:
            with app.replace_connector(app.connector.get_worker_connector()) as worker:
                worker.run_worker(
                    queues=None if queues is None else list(queues),
                    wait=False,
                    concurrency=1,
                    install_signal_handlers=False,
                    listen_notify=False,
                )
        except BaseException as exc:  # re-raised in the caller's thread
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


def drain(
    post_ids,
    *,
    queues=("notify", "email"),
    report=None,
    every=10.0,
    email_settings=None,
) -> dict:
    """Run ONE worker (in this process, one job at a time) over the queues until
    they are empty; the seconds it took, and the notifications and emails the
    posts' fan-out produced meanwhile. ``report(text)`` hears progress. Emails go
    by ``email_settings`` (say a local SMTP server's), else are built and dropped."""
    posts = Notification.objects.filter(post_id__in=post_ids)
    jobs_before = waiting_jobs(queues)
    done = threading.Event()

    def progress():
        try:
            while not done.wait(every):
                report(
                    f"  {time.perf_counter() - started:5.0f} s: "
                    f"{posts.count():,} notifications, "
                    f"{posts.filter(emailed_at__isnull=False).count():,} emailed, "
                    f"{waiting_jobs(queues):,} jobs waiting"
                )
        finally:
            connections.close_all()

    email_settings = email_settings or {
        "EMAIL_BACKEND": f"{__name__}.DiscardingEmailBackend"
    }
    since = timezone.now()
    started = time.perf_counter()
    watcher = threading.Thread(target=progress, daemon=True) if report else None
    if watcher:
        watcher.start()
    with override_settings(**email_settings):
        run_one_worker(queues)
    seconds = time.perf_counter() - started
    done.set()
    if watcher:
        watcher.join()
    return {
        "seconds": seconds,
        "jobs": jobs_before,
        "notifications": posts.count(),
        "emails": posts.filter(emailed_at__isnull=False).count(),
        "left": waiting_jobs(queues),
        "by_task": seconds_by_task(since),
        "since": since,
    }
