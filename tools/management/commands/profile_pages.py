"""One request per benchmark page, in process, with the slowest SQL of each: where a
page's time goes, without the noise of a load test. Pair with bin/benchmark."""

import cProfile
import io
import pstats
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tools.benchmark.pages import benchmark_member, benchmark_pages


class Command(BaseCommand):
    help = "Time each benchmark page once (warm) and list its slowest queries."

    def add_arguments(self, parser):
        parser.add_argument(
            "pages",
            nargs="*",
            help="page names or paths starting with / (default: all)",
        )
        parser.add_argument("--slowest", type=int, default=3)
        parser.add_argument("--over-ms", type=float, default=10)
        parser.add_argument(
            "--repeat",
            type=int,
            default=5,
            help="timed requests per page; the minimum and median are shown",
        )
        parser.add_argument(
            "--functions",
            type=int,
            default=0,
            help="also profile one more request and list its N costliest functions",
        )

    def handle(self, *args, pages, slowest, over_ms, repeat, functions, **options):
        member = benchmark_member()
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(member)
        chosen = [(name, path) for name, path in benchmark_pages(member)]
        if pages:
            chosen = [(n, p) for n, p in chosen if n in pages]
            chosen += [(p, p) for p in pages if p.startswith("/")]
        for name, path in chosen:
            client.get(path)  # warm caches and connections
            times = []
            for _ in range(max(1, repeat)):
                started = time.perf_counter()
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            queries = captured.captured_queries
            sql = sum(float(q["time"]) for q in queries) * 1000
            self.stdout.write(
                f"{name[:26]:26} {response.status_code} min {times[0]:6.1f} ms, "
                f"median {times[len(times) // 2]:6.1f} ms, "
                f"SQL {sql:6.1f} ms in {len(queries):2} queries   {path}"
            )
            for query in sorted(queries, key=lambda q: -float(q["time"]))[:slowest]:
                ms = float(query["time"]) * 1000
                if ms >= over_ms:
                    self.stdout.write(f"    {ms:7.1f} ms  {query['sql'][:300]}")
            if functions:
                self._profile(client, path, functions)

    def _profile(self, client, path, functions):
        profiler = cProfile.Profile()
        profiler.runcall(client.get, path)
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(functions)
        self.stdout.write(
            out.getvalue().split("ncalls", 1)[-1].join(["    ncalls", ""])
        )
