"""Every address of the portal, Django admin's included, opened once cold (caches
cleared: the first request of a fresh worker, or the first after a change) and
three times warm, as the role that may open it: ms and queries per address.
The addresses are tools/benchmark/addresses.py; profile_pages digs into one."""

import statistics
import time

from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tools.benchmark.addresses import Sample, every_address, open_session


def fetch(client, path):
    """GET the path, reading a streamed body to its end (an export's cost is in
    its stream): (status, ms, queries)."""
    # The connection keeps only its last 9,000 queries: once full, a count taken
    # as a difference of its lengths would read 0 for every address after.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(path)
        if response.streaming:
            for _ in response.streaming_content:
                pass
        ms = (time.perf_counter() - started) * 1000
    return response.status_code, ms, len(captured.captured_queries)


def walk(addresses, sample, *, warm_repeats=3, progress=None):
    """For each address: (address, status, cold ms, cold queries, warm median ms,
    warm queries)."""
    clients = {}
    results = []
    for index, address in enumerate(addresses, start=1):
        if address.role not in clients:
            client = Client(HTTP_HOST="127.0.0.1")
            open_session(client, sample, address.role)
            clients[address.role] = client
        client = clients[address.role]
        cache.clear()
        status, cold_ms, cold_queries = fetch(client, address.path)
        warm = [fetch(client, address.path) for _ in range(warm_repeats)]
        warm_ms = statistics.median(ms for _, ms, _ in warm) if warm else None
        warm_queries = warm[-1][2] if warm else None
        row = (address, status, cold_ms, cold_queries, warm_ms, warm_queries)
        results.append(row)
        if progress:
            progress(index, len(addresses), row)
    return results


class Command(BaseCommand):
    help = "Open every address cold and warm, as its role: ms and queries each."

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            action="append",
            default=[],
            help="only labels or paths containing this (repeatable: any of them)",
        )
        parser.add_argument("--warm", type=int, default=3, help="warm requests")
        parser.add_argument(
            "--markdown", action="store_true", help="print a Markdown table"
        )

    def handle(self, *args, only, warm, markdown, **options):
        sample = Sample()
        addresses = [
            a
            for a in every_address(sample)
            if not only or any(o in a.label or o in a.path for o in only)
        ]
        self.stderr.write(f"{len(addresses)} addresses")

        def progress(index, total, row):
            address, status, cold_ms, cold_q, warm_ms, warm_q = row
            self.stderr.write(
                f"[{index}/{total}] {address.label} {status} cold {cold_ms:.0f} ms"
            )

        results = walk(addresses, sample, warm_repeats=warm, progress=progress)
        if markdown:
            self.stdout.write(
                "| address | role | status | cold ms | warm ms | queries cold/warm |"
            )
            self.stdout.write("|---|---|---:|---:|---:|---:|")
        for address, status, cold_ms, cold_q, warm_ms, warm_q in results:
            warm_text = f"{warm_ms:.0f}" if warm_ms is not None else "-"
            if markdown:
                self.stdout.write(
                    f"| {address.label} `{address.path}` | {address.role} | "
                    f"{status} | {cold_ms:,.0f} | {warm_text} | {cold_q}/{warm_q} |"
                )
            else:
                self.stdout.write(
                    f"{address.label[:40]:40} {address.role:11} {status} "
                    f"cold {cold_ms:8.0f} ms {cold_q:3}q  warm {warm_text:>6} ms "
                    f"{warm_q}q  {address.path}"
                )
