"""How fast the weekly digest goes out: N digests, made and sent by the batch job
itself (portal.digest.jobs.send_digest_batch, 500 a batch, one SMTP connection
each) to a local aiosmtpd server, on throw-away members that are rolled back at
the end. Prints messages a second; the figure is in docs/performance.md.

Needs the test extra (aiosmtpd): .venv/bin/python manage.py digest_throughput
"""

import importlib.util
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from casestudies.models import CaseStudy
from events.models import Event
from network.models import (
    Forum,
    Member,
    NotificationSettings,
    Organisation,
    Subscription,
    Thread,
)
from portal.digest import jobs as digest_jobs
from tools.benchmark.smtp import smtp_sink


class Rollback(Exception):
    """Raised to undo the throw-away members and content."""


class Command(BaseCommand):
    help = "Send N weekly digests to a local SMTP server and print messages a second."

    def add_arguments(self, parser):
        parser.add_argument("--messages", type=int, default=2000)

    def handle(self, *args, messages, **options):
        if importlib.util.find_spec("aiosmtpd") is None:
            raise CommandError("needs aiosmtpd (the test extra)")
        with smtp_sink() as smtp:
            try:
                with override_settings(**smtp), transaction.atomic():
                    ids = self.make_members(messages)
                    day = timezone.localdate().isoformat()
                    started = time.perf_counter()
                    sent = 0
                    for start in range(0, len(ids), digest_jobs.BATCH):
                        batch = ids[start : start + digest_jobs.BATCH]
                        sent += digest_jobs.send_digest_batch(member_ids=batch, day=day)
                    elapsed = time.perf_counter() - started
                    raise Rollback
            except Rollback:
                pass
        batches = -(-len(ids) // digest_jobs.BATCH)
        self.stdout.write(
            f"{sent} digests sent (each accepted by the server) in "
            f"{elapsed:.1f} s, {batches} batches of up to {digest_jobs.BATCH}: "
            f"{sent / elapsed:.0f} messages a second"
        )

    def make_members(self, count: int) -> list[int]:
        """``count`` approved Dundee officers watching one forum, due today, with a
        few case studies, threads and an event new for all of them."""
        dundee = Organisation.objects.filter(city__name="Dundee").first()
        stamp = int(time.time())
        members = Member.objects.bulk_create(
            Member(
                email=f"digest-{stamp}-{i}@example.org",
                handle=f"digest-{stamp}-{i}",
                full_name=f"Digest Reader {i}",
                organisation=dundee,
                approval_state=Member.Approval.APPROVED,
                password="!",
            )
            for i in range(count)
        )
        today = timezone.localdate().weekday()
        NotificationSettings.objects.filter(member__in=members).delete()
        NotificationSettings.objects.bulk_create(
            NotificationSettings(member=member, digest_day=today) for member in members
        )
        forum = Forum.objects.create(
            name=f"Digest forum {stamp}", slug=f"digest-{stamp}"
        )
        Subscription.objects.bulk_create(
            Subscription(member=member, forum=forum, level="watching")
            for member in members
        )
        author = members[0]
        for n in range(3):
            Thread.objects.create(forum=forum, author=author, title=f"Thread {n}")
            case_study = CaseStudy.objects.create(
                title=f"Dundee case study {n}",
                summary="A summary.",
                body="What happened.",
                organisation=dundee,
                city=dundee.city if dundee else None,
                status=CaseStudy.Status.PUBLISHED,
                published_at=timezone.now(),
            )
            case_study.authors.set([author])
        Event.objects.create(
            title="Digest event",
            format=Event.Format.ONLINE,
            starts_at=timezone.now() + timedelta(days=20),
            ends_at=timezone.now() + timedelta(days=20, hours=2),
            capacity=30,
            state=Event.State.PUBLISHED,
            published_at=timezone.now(),
        )
        return [member.pk for member in members]
