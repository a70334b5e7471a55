"""Time the write paths against the running portal at --base-url, then one worker's
drain of the fan-out they queue. ``bin/benchmark --writes`` calls this after the
page benchmark. The writes change the database (replies stay; registrations are
cancelled and case studies taken back to draft after each, so a run repeats)."""

import os

from django.core.management.base import BaseCommand
from django.urls import reverse

from tools.benchmark import writes
from tools.benchmark.pages import benchmark_member
from tools.benchmark.smtp import smtp_sink


def load_average() -> str:
    return " ".join(f"{n:.2f}" for n in os.getloadavg()) + " (1, 5, 15 min)"


class Command(BaseCommand):
    help = (
        "Time replies, event registrations and case-study publications against the "
        "running portal at --base-url, then one worker's drain of the fan-out."
    )

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:8765")
        parser.add_argument("--writes", type=int, default=30, help="of each kind")
        parser.add_argument(
            "--watchers",
            type=int,
            default=writes.WATCHERS,
            help="members watching the thread replied to (topped up if fewer)",
        )
        parser.add_argument(
            "--drain-replies",
            type=int,
            default=1,
            help="replies whose fan-out the worker drains (the others' jobs are "
            "cancelled: each takes one worker minutes here)",
        )

        parser.add_argument(
            "--smtp",
            action="store_true",
            help="send the drain's emails to a local SMTP server (aiosmtpd's Sink, "
            "in a process of its own) instead of building and dropping them",
        )

    def handle(self, *args, **options):
        base_url, count = options["base_url"], options["writes"]
        self.results = {}
        self._replies(base_url, count, options)
        self._registrations(base_url, count)
        self._publications(base_url, count)
        self._drain(options["drain_replies"], smtp=options["smtp"])
        self._print_table()

    def say(self, text):
        self.stdout.write(text)
        self.stdout.flush()

    def _time(self, name, session, requests):
        """POST each (path, data, then) in turn; ``then()`` tidies up, untimed."""
        samples, errors = [], 0
        for index, (path, data, then) in enumerate(requests, start=1):
            status, ms = session.post(path, data)
            if status != 302:
                errors += 1
            samples.append(ms)
            if then:
                then()
            if index % 10 == 0 or index == 1:
                self.say(f"  {name}: {index} done, last {ms:.0f} ms, status {status}")
        self.results[name] = {**writes.percentiles(samples), "errors": errors}

    def _replies(self, base_url, count, options):
        thread = writes.busiest_thread()
        added = writes.top_up_watchers(thread, options["watchers"])
        watchers = writes.thread_watchers(thread)
        self.say(
            f"Reply: thread {thread.pk} ({thread.post_count:,} posts), {watchers:,} "
            "watching"
            + (
                f" ({added:,} subscriptions added for the benchmark: the data had "
                "fewer)"
                if added
                else ""
            )
            + f"; {count} replies ..."
        )
        from network.models import Post

        session = writes.Session.sign_in(benchmark_member(), base_url)
        newest = Post.objects.order_by("-pk").values_list("pk", flat=True).first()
        path = reverse("network:thread_reply", args=[thread.pk])
        self._time(
            "reply to the busiest thread",
            session,
            (
                (
                    path,
                    {"body": f"Benchmark reply {n}: how did the heat pump do?"},
                    None,
                )
                for n in range(count)
            ),
        )
        self.reply_ids = list(
            Post.objects.filter(thread=thread, pk__gt=newest or 0)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        self.watchers = watchers

    def _registrations(self, base_url, count):
        from events import services
        from events.models import Registration

        member = benchmark_member()
        event = writes.open_event_for(member)
        self.say(f"Register: event {event.pk}, {count} register-then-cancel ...")
        session = writes.Session.sign_in(member, base_url)

        def cancel():
            registration = Registration.objects.active().get(event=event, member=member)
            services.cancel_registration(registration)

        path = reverse("events:register", args=[event.pk])
        self._time(
            "register for an event",
            session,
            ((path, {}, cancel) for _ in range(count)),
        )

    def _publications(self, base_url, count):
        from casestudies import services

        member, made = writes.coordinator()
        drafts = writes.unpublished_case_studies(count, by=member)
        self.say(
            f"Publish: {len(drafts)} case studies as {member.email}"
            + (
                " (made a coordinator for the benchmark: the data has none)"
                if made
                else ""
            )
            + ", each taken back to draft after ..."
        )
        session = writes.Session.sign_in(member, base_url)

        def back_to_draft(case_study):
            case_study.refresh_from_db()
            services.unpublish_case_study(case_study, unpublished_by=member)

        self._time(
            "publish a case study",
            session,
            (
                (
                    reverse("casestudies:publish", args=[case_study.pk]),
                    {},
                    lambda case_study=case_study: back_to_draft(case_study),
                )
                for case_study in drafts
            ),
        )

    def _drain(self, keep, *, smtp=False):
        kept = self.reply_ids[-keep:] if keep else []
        dropped = writes.fan_out_jobs(set(self.reply_ids) - set(kept))
        writes.cancel_jobs(dropped)
        if dropped:
            self.say(
                f"Drain: cancelled the fan-out of {len(dropped)} replies (their "
                "watchers are not told) to keep the run short."
            )
        how = (
            "emails sent to a local SMTP server that discards them"
            if smtp
            else "emails built to bytes and discarded, no SMTP"
        )
        self.say(
            f"Drain: ONE worker (in this process, concurrency 1; {how}) over the "
            f"notify and email queues: the fan-out of {len(kept)} replies to "
            f"{self.watchers:,} watchers each, plus the registration and "
            "publication emails ..."
        )
        self.say(f"  load average at the start: {load_average()}")
        if smtp:
            with smtp_sink() as email_settings:
                self.drained = writes.drain(
                    kept, report=self.say, email_settings=email_settings
                )
        else:
            self.drained = writes.drain(kept, report=self.say)
        self.say(f"  load average at the end: {load_average()}")

    def _print_table(self):
        header = f"\n{'write':30} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}"
        self.say(header)
        self.say("-" * len(header.strip()))
        for name, row in self.results.items():
            self.say(
                f"{name:30} {row['n']:4d} {row['p50']:8.1f} {row['p95']:8.1f} "
                f"{row['p99']:8.1f} {row['errors']:6d}"
            )
        d = self.drained
        self.say(
            f"\nDrain: {d['jobs']:,} jobs in {d['seconds']:.1f} s; "
            f"{d['notifications']:,} notifications, {d['emails']:,} emails; "
            f"{d['left']:,} jobs left."
        )
        for task, total in sorted(d["by_task"].items()):
            self.say(
                f"  {task}: {total['jobs']:,} jobs, {total['seconds']:.1f} s running"
            )
        tasks = d["by_task"]
        for task, what in (
            ("notify_post", "notifications"),
            ("email_notifications", "emails"),
        ):
            total = tasks.get(f"network.forums.jobs.{task}")
            if total:
                at = (total["last_done"] - d["since"]).total_seconds()
                self.say(f"  all {what} done {at:.1f} s after the drain started")
        emails = tasks.get("network.forums.jobs.email_notifications")
        if d["emails"] and emails:
            self.say(
                f"  {d['emails'] / emails['seconds']:.0f} notification emails a second "
                "(while the email jobs ran)"
            )
        for count, task, what in (
            (
                d["notifications"],
                "notify_post",
                "notifications (their rows and unread counts)",
            ),
            (d["emails"], "email_notifications", "emails (rendered, built, stamped)"),
        ):
            total = tasks.get(f"network.forums.jobs.{task}")
            if count and total:
                self.say(
                    f"  {total['seconds'] / count * 10_000:.1f} s per 10,000 {what}"
                )
        if d["notifications"]:
            self.say(
                f"  {d['seconds'] / d['notifications'] * 10_000:.1f} s per 10,000 "
                "watchers told and emailed (the drain's wall clock)"
            )
        if d["notifications"] and len(self.reply_ids):
            per_reply = d["seconds"] / max(1, d["notifications"] / self.watchers)
            self.say(
                f"  one reply's watchers all told and emailed in about "
                f"{per_reply:.0f} s"
            )
