"""Every page the benchmark measures (tools/benchmark/pages.py) runs the same
number of queries with little data and with more, and at most 15 even with its
caches cold (the first request after a change): no query count grows with the
data. The benchmark prints the same counts at scale."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.casestudies.factories import make_case_study
from tests.events.factories import make_event, make_registration, make_session
from tests.factories import make_member, organisation
from tests.forums.factories import make_forum, make_reply, make_thread
from tests.training.factories import make_cohort, make_elected, make_enrolment
from tools.benchmark.pages import benchmark_member, benchmark_pages

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15


def add_data(n: int, reader) -> None:
    """n of everything the pages show, written by several members."""
    councils = ["Glasgow City Council", "Dundee City Council", "Stirling Council"]
    writers = [
        make_member(organisation=organisation(councils[i % 3]), job_title="Officer")
        for i in range(3)
    ]
    forum = make_forum()
    for i in range(n):
        writer = writers[i % 3]
        writer.expertise.add(f"heat network {i % 4}")
        make_case_study(
            title=f"Heat network {i}",
            authors=[writer],
            tags=[f"heat {i}"],
            organisation=writer.organisation,
        )
        thread = make_thread(forum=forum, author=writer, title=f"Heat network {i}")
        for j in range(i + 2):
            make_reply(thread, author=writers[j % 3], body=f"Heat network reply {j}.")
        event = make_event(title=f"Heat network event {i}")
        make_session(event, speakers=[writer])
        make_registration(event, member=writer)
        if i % 2:
            make_registration(event, member=reader)
        cohort = make_cohort()
        make_enrolment(cohort, make_elected(organisation=writer.organisation))


def page_counts(client, pages):
    """For each page: queries of a request with cold caches, then of a warm one."""
    counts = {}
    for name, path in pages:
        caches["pages"].clear()
        client.get(path)  # per-process lookups (content types) are filled once
        caches["pages"].clear()
        with CaptureQueriesContext(connection) as cold:
            response = client.get(path)
        assert response.status_code == 200, (name, path, response.status_code)
        with CaptureQueriesContext(connection) as warm:
            client.get(path)
        counts[name] = (len(cold), len(warm))
    return counts


def test_every_benchmarked_page_keeps_its_query_count_as_data_grows():
    reader = make_member(
        organisation=organisation("Glasgow City Council"), full_name="Rhona Reader"
    )
    add_data(3, reader)
    assert benchmark_member() == reader
    client = Client()
    client.force_login(reader)
    pages = benchmark_pages(reader)
    assert len(pages) == 18  # every page the issue lists, and the reference
    few = page_counts(client, pages)

    add_data(12, reader)
    many = page_counts(client, benchmark_pages(reader))

    assert many == few
    too_many = {name: cold for name, (cold, warm) in few.items() if cold > MAX_QUERIES}
    assert not too_many


def test_the_council_page_keeps_its_query_count_as_data_grows():
    """Glasgow's page (the biggest council at scale): its members, case studies,
    talks, training figures and the councils like it, at two sizes."""
    from django.urls import reverse

    reader = make_member(
        organisation=organisation("Glasgow City Council"), full_name="Rhona Reader"
    )
    client = Client()
    client.force_login(reader)
    url = reverse("portal:council", args=["glasgow-city-council"])
    pages = [("council", url), ("council page 2", f"{url}?page=2")]
    add_data(3, reader)
    few = page_counts(client, pages)
    add_data(12, reader)
    for _ in range(25):  # more than one page of members
        make_member(organisation=organisation("Glasgow City Council"))
    many = page_counts(client, pages)

    assert many == few
    assert all(cold <= MAX_QUERIES for cold, _warm in few.values()), few
