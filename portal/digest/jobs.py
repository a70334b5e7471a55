"""The weekly digest's schedule and sending (registered by PortalConfig.ready).

Every hour from 07:00 (Europe/London) the planner finds the members whose digest
day is today and who have had none today, and defers one job per 500 of them. A
batch job locks its members' settings rows (another worker skips them), builds
their digests in a fixed handful of queries, sends the non-empty ones over one
SMTP connection and stamps ``last_digest_at`` on every member it looked at: so a
second run, a second planner or two workers at once send nothing twice.
"""

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from procrastinate.contrib.django import app
from procrastinate.exceptions import AlreadyEnqueued

from kit.jobs import MAIL_RETRY, build_message
from kit.mail import batched, render_email, send_over_one_connection
from network.forums.notifications import unsubscribe_headers, unsubscribe_url
from network.models import Member, NotificationSettings

from . import queries

BATCH = 500
# Digests go out from this hour of the member's (the network's) morning.
FROM_HOUR = 7


def day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _add_missing_settings() -> None:
    """Every approved member gets a settings row (the defaults: digest on Monday),
    so that the batch job has a row to lock for each; one statement."""
    settings_table = NotificationSettings._meta.db_table
    member_table = Member._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {settings_table}
                (member_id, email_mention, email_reply, email_new_thread, digest_day)
            SELECT m.id, true, true, true, %s
              FROM {member_table} m
             WHERE m.approval_state = %s AND m.is_active
               AND NOT EXISTS (SELECT 1 FROM {settings_table} s WHERE s.member_id = m.id)
            ON CONFLICT (member_id) DO NOTHING
            """,  # noqa: S608 (table names from the models, values as parameters)
            [NotificationSettings.DigestDay.MONDAY, Member.Approval.APPROVED],
        )


def _due(day: datetime.date):
    """Settings rows of approved members whose digest is due on ``day``."""
    return NotificationSettings.objects.filter(
        Q(last_digest_at__isnull=True) | Q(last_digest_at__lt=day_start(day)),
        digest_day=day.weekday(),
        member__approval_state=Member.Approval.APPROVED,
        member__is_active=True,
    )


def plan_digests(now: datetime.datetime | None = None) -> int:
    """Defer a batch job for every 500 members due now; how many members were
    queued (not counting batches already waiting)."""
    local = timezone.localtime(now)
    if local.hour < FROM_HOUR:
        return 0
    day = local.date()
    _add_missing_settings()
    due = _due(day).order_by("member_id").values_list("member_id", flat=True)
    planned = 0
    for batch in batched(due.iterator(chunk_size=BATCH), BATCH):
        # While a batch waits (a backlog, or a planner running twice), the same
        # batch is not queued again. A duplicate that slips through sends nothing:
        # the batch job re-checks who is still due under the row locks.
        lock = f"digest:{day.isoformat()}:{batch[0]}"
        try:
            with transaction.atomic():  # a refused insert must not spoil the caller's
                send_digest_batch.configure(queueing_lock=lock).defer(
                    member_ids=batch, day=day.isoformat()
                )
        except AlreadyEnqueued:
            continue
        planned += len(batch)
    return planned


@app.periodic(cron="0 * * * *", periodic_id="weekly-digest")
@app.task(queue="schedules")
def plan_weekly_digest(timestamp: int) -> int:
    """Hourly; before 07:00 it does nothing, after it finds only who is still due."""
    return plan_digests(datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC))


def digest_message(digest: queries.Digest):
    member = digest.member
    subject, body, html = render_email(
        "portal/email/digest",
        {
            "digest": digest,
            "member": member,
            "unsubscribe_url": unsubscribe_url(member, NotificationSettings.DIGEST),
            "messages_url": settings.SITE_URL + reverse("network:conversations"),
        },
    )
    headers = unsubscribe_headers(member, NotificationSettings.DIGEST)
    return build_message(member.email, subject, body, html, headers)


@app.task(queue="email", retry=MAIL_RETRY)
def send_digest_batch(*, member_ids: list[int], day: str) -> int:
    """Send the digests of these members that are still due on ``day``, over one
    SMTP connection; how many were sent. On a mail error, the members whose
    digest went out (or was empty) are stamped and the retry sends the rest."""
    day = datetime.date.fromisoformat(day)
    now = timezone.now()
    error = None
    sent = []
    with transaction.atomic():
        claimed = dict(
            _due(day)
            .filter(member_id__in=member_ids)
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("member_id", "last_digest_at")
        )
        digests = queries.digests_for(claimed, now)
        empty = [d.member.pk for d in digests if d.is_empty()]
        to_send = [d for d in digests if not d.is_empty()]
        try:
            if to_send:  # an empty batch opens no connection
                for member_id in send_over_one_connection(
                    (d.member.pk, digest_message(d)) for d in to_send
                ):
                    sent.append(member_id)
        except Exception as exc:  # noqa: BLE001 - stamp what went out, then fail
            error = exc
        NotificationSettings.objects.filter(member_id__in=sent + empty).update(
            last_digest_at=now
        )
    if error:
        raise error
    return len(sent)
