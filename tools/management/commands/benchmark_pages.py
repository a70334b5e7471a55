"""Load each main page with wrk against a running server and print a table:
requests a second, p50/p95/p99 latency, the ratio to the reference page, and the
SQL queries the page runs. ``bin/benchmark`` starts the server and calls this."""

import contextlib
import json
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tools.benchmark.pages import benchmark_member, benchmark_pages
from tools.benchmark.writes import CatalogueWrites

LUA = Path(__file__).resolve().parents[2] / "benchmark" / "wrk_report.lua"


class Command(BaseCommand):
    help = "Measure every main page against the running portal at --base-url."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:8765")
        parser.add_argument("--duration", type=int, default=10, help="seconds a page")
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--threads", type=int, default=2)
        parser.add_argument(
            "--warmup",
            type=int,
            default=2,
            help="seconds of load before each measured run, not counted: every "
            "worker fills its caches (the first-request cost is the SQL cold count "
            "and profile_pages)",
        )
        parser.add_argument(
            "--reference-duration",
            type=int,
            default=5,
            help="seconds of the reference page measured again after each page",
        )
        parser.add_argument("--only", default="", help="comma-separated page names")
        parser.add_argument(
            "--also-connections",
            type=int,
            default=0,
            help="also run each page at this many connections (say 50) and print "
            "its p99",
        )
        parser.add_argument(
            "--write-mix",
            action="store_true",
            help="then load the case-study list while a case study is published "
            "or unpublished every --write-every seconds, and print its p50/p95/p99 "
            "with and without the writes",
        )
        parser.add_argument("--write-every", type=float, default=5.0)
        parser.add_argument(
            "--write-mix-duration",
            type=int,
            default=30,
            help="seconds of each write-mix run (several writes)",
        )
        parser.add_argument("--json", default="", help="also write results here")

    def handle(self, *args, **options):
        if not shutil.which("wrk"):
            raise CommandError(
                "wrk is missing: apt-get install wrk (bin/benchmark does)."
            )
        member = benchmark_member()
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(member)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        pages = benchmark_pages(member)
        if options["only"]:
            wanted = set(options["only"].split(","))
            pages = [p for p in pages if p[0] in wanted or p[0] == "reference"]
        self.stdout.write(
            f"Signed in as {member.email}; {len(pages)} pages, "
            f"{options['connections']} connections, {options['duration']} s each "
            f"after {options['warmup']} s of warm-up.\n"
        )
        results = []
        # The machine's speed drifts during a run (these machines drift up to 3x),
        # so the reference page is measured again after every page, and each page
        # is compared with the mean of the reference runs just before and after it.
        reference_path = dict(pages).get("reference")
        last_reference = None
        for index, (name, path) in enumerate(pages, start=1):
            self.stdout.write(f"[{index}/{len(pages)}] {name} {path} ...", ending="")
            self.stdout.flush()
            queries, cold_ms, status = self._first_requests(client, path)
            if status != 200:
                self.stdout.write(f" status {status}, skipped")
                results.append({"page": name, "path": path, "status": status})
                continue
            run = self._measure(options, path, session)
            if run["requests"] == 0:
                self.stdout.write(" no response within the run")
                results.append(
                    {
                        "page": name,
                        "path": path,
                        "status": "timeout",
                        "queries": queries,
                    }
                )
                continue
            rps = run["requests"] / (run["duration_us"] / 1e6)
            if name == "reference":
                reference_rps = last_reference = rps
            elif reference_path and last_reference:
                after = self._measure(
                    {**options, "duration": options["reference_duration"]},
                    reference_path,
                    session,
                    warmup=False,
                )
                after_rps = after["requests"] / (after["duration_us"] / 1e6)
                reference_rps = (last_reference + after_rps) / 2
                last_reference = after_rps
            else:
                reference_rps = None
            row = {
                "page": name,
                "path": path,
                "status": status,
                "queries": queries,
                "cold_ms": cold_ms,
                "rps": rps,
                "reference_rps": reference_rps,
                "p50_ms": run["p50"] / 1000,
                "p95_ms": run["p95"] / 1000,
                "p99_ms": run["p99"] / 1000,
                "errors": run["errors"] + run["bad_status"],
                "ratio": rps / reference_rps if reference_rps else None,
            }
            if options["also_connections"]:
                more = self._measure(
                    {**options, "connections": options["also_connections"]},
                    path,
                    session,
                )
                row["p99_more_ms"] = more["p99"] / 1000
                row["errors_more"] = more["errors"] + more["bad_status"]
            results.append(row)
            self.stdout.write(
                f" {rps:.0f} req/s, p99 {row['p99_ms']:.1f} ms"
                + (f", reference {reference_rps:.0f}" if reference_rps else "")
            )
        self._print_table(results, options["also_connections"])
        if options["write_mix"]:
            results.append(self._write_mix(options, dict(pages), session))
        if options["json"]:
            Path(options["json"]).write_text(json.dumps(results, indent=2))

    def _write_mix(self, options, paths, session) -> dict:
        """The case-study list loaded steady, then with a catalogue write every
        few seconds (every write makes each worker's next list request cold)."""
        path = paths["case studies"]
        run = {**options, "duration": options["write_mix_duration"]}
        steady = self._measure(run, path, session)
        self._drain(options["base_url"])
        with CatalogueWrites(every=options["write_every"]) as writes:
            mixed = self._wrk(run, path, session)
        self.stdout.write(
            f"\nWrite mix: {path} at {options['connections']} connections for "
            f"{options['write_mix_duration']} s, a case study published or "
            f"unpublished every {options['write_every']:g} s ({writes.made} writes)"
        )
        self.stdout.write(
            f"{'':16} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>8}"
        )
        for label, r in (("steady", steady), ("with writes", mixed)):
            rps = r["requests"] / (r["duration_us"] / 1e6)
            self.stdout.write(
                f"{label:16} {r['p50'] / 1000:8.1f} {r['p95'] / 1000:8.1f} "
                f"{r['p99'] / 1000:8.1f} {rps:8.0f}"
            )
        return {
            "page": "write mix",
            "path": path,
            "writes": writes.made,
            "steady": steady,
            "with_writes": mixed,
        }

    def _measure(self, options, path, session, *, warmup=True):
        """One wrk run of the page, after the server has drained (and, unless
        told otherwise, after the warm-up load, not counted)."""
        self._drain(options["base_url"])
        if warmup and options["warmup"]:
            self._wrk({**options, "duration": options["warmup"]}, path, session)
            self._drain(options["base_url"])
        return self._wrk(options, path, session)

    def _drain(self, base_url, limit=120):
        """Wait until the server answers at once: a slow page's queued requests
        must not be billed to the next page."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            started = time.monotonic()
            with contextlib.suppress(OSError):
                urllib.request.urlopen(base_url.rstrip("/") + "/about/", timeout=30)
            if time.monotonic() - started < 0.1:
                return
            time.sleep(1)

    def _first_requests(self, client, path):
        """Queries of the page's first request in this process (its caches cold)
        and of the next (warm), as "cold/warm", and the first one's time in ms."""
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as cold:
            response = client.get(path)
        cold_ms = (time.perf_counter() - started) * 1000
        with CaptureQueriesContext(connection) as warm:
            client.get(path)
        return f"{len(cold)}/{len(warm)}", cold_ms, response.status_code

    def _wrk(self, options, path, session):
        command = [
            "wrk",
            f"-t{options['threads']}",
            f"-c{options['connections']}",
            f"-d{options['duration']}s",
            "--timeout",
            "10s",
            "-s",
            str(LUA),
            "-H",
            f"Cookie: {settings.SESSION_COOKIE_NAME}={session}",
            options["base_url"].rstrip("/") + path,
        ]
        output = subprocess.run(command, capture_output=True, text=True, check=True)
        line = next(
            line for line in output.stdout.splitlines() if line.startswith("BENCH ")
        )
        return json.loads(line[len("BENCH ") :])

    def _print_table(self, results, more=0):
        header = (
            f"\n{'page':28} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
            f"{'ref/s':>6} {'x ref':>6} {'SQL cold/warm':>13} {'cold ms':>8} {'errors':>6}"
        ) + (f" {f'p99@{more}':>8}" if more else "")
        self.stdout.write(header)
        self.stdout.write("-" * len(header.strip()))
        for row in results:
            if row.get("status") == "timeout":
                self.stdout.write(
                    f"{row['page']:28} {'no response in the run':>44} "
                    f"{row['queries']:>13}"
                )
                continue
            if row.get("status") != 200:
                self.stdout.write(f"{row['page']:28} status {row.get('status')}")
                continue
            ratio = f"{row['ratio']:.2f}" if row["ratio"] is not None else "-"
            reference = row.get("reference_rps")
            reference = f"{reference:.0f}" if reference else "-"
            self.stdout.write(
                f"{row['page']:28} {row['rps']:8.0f} {row['p50_ms']:8.1f} "
                f"{row['p95_ms']:8.1f} {row['p99_ms']:8.1f} {reference:>6} {ratio:>6} "
                f"{row['queries']:>13} {row['cold_ms']:8.0f} {row['errors']:6d}"
                + (f" {row['p99_more_ms']:8.1f}" if "p99_more_ms" in row else "")
            )
