"""One request per benchmark page, in process, with the slowest SQL of each: where a
page's time goes, without the noise of a load test. Pair with bin/benchmark."""

import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal.benchmark.pages import benchmark_member, benchmark_pages


class Command(BaseCommand):
    help = "Time each benchmark page once (warm) and list its slowest queries."

    def add_arguments(self, parser):
        parser.add_argument("pages", nargs="*", help="page names (default: all)")
        parser.add_argument("--slowest", type=int, default=3)
        parser.add_argument("--over-ms", type=float, default=10)

    def handle(self, *args, pages, slowest, over_ms, **options):
        member = benchmark_member()
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(member)
        for name, path in benchmark_pages(member):
            if pages and name not in pages:
                continue
            client.get(path)  # warm caches and connections
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            total = (time.perf_counter() - started) * 1000
            queries = captured.captured_queries
            sql = sum(float(q["time"]) for q in queries) * 1000
            self.stdout.write(
                f"{name:26} {response.status_code} {total:8.1f} ms, "
                f"SQL {sql:7.1f} ms in {len(queries)} queries   {path}"
            )
            for query in sorted(queries, key=lambda q: -float(q["time"]))[:slowest]:
                ms = float(query["time"]) * 1000
                if ms >= over_ms:
                    self.stdout.write(f"    {ms:7.1f} ms  {query['sql'][:300]}")
