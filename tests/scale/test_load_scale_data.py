"""The scale data set at a tiny size: counts, consistency, determinism, search, pages."""

import html
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, Max, Min, Q, Sum
from django.urls import reverse

from casestudies.models import CaseStudy
from casestudies.queries import search_case_studies
from events.models import Event, Registration, Speaker
from kit.markdown import render_markdown
from network.handles import handle_base, is_form_of
from network.models import Member, Post, Thread
from training.models import Enrolment, Pledge

pytestmark = pytest.mark.django_db

TINY = {
    "members": 200,
    "case_studies": 50,
    "threads": 10,
    "posts": 300,
    "events": 10,
    "cohorts": 4,
    "today": date(2025, 3, 1),
}


def load(**options) -> str:
    out = StringIO()
    call_command("load_scale_data", stdout=out, **{**TINY, **options})
    return out.getvalue()


def test_loads_the_chosen_numbers_and_reports_them(member):
    output = load()

    assert Member.objects.count() == 1 + 200
    assert CaseStudy.objects.count() == 50
    assert Thread.objects.count() == 10
    assert Post.objects.count() == 300
    assert Event.objects.count() == 10
    assert Registration.objects.exists()
    assert Pledge.objects.exists()
    assert Enrolment.objects.filter(member__member_type="elected").exists()
    assert Member.objects.approved().count() > 150
    assert CaseStudy.objects.published().count() > 30
    assert "Time per step" in output and "rows/s" in output


def test_thread_counters_and_post_html_match_the_posts(member):
    load()

    threads = Thread.objects.annotate(
        n=Count("posts"),
        first=Min("posts__number"),
        last=Max("posts__number"),
        newest=Max("posts__created_at"),
        answers=Count("posts", filter=Q(posts__is_answer=True)),
    )
    assert max(t.post_count for t in threads) > 3 * min(t.post_count for t in threads)
    for thread in threads:
        assert (thread.n, thread.first, thread.last) == (
            thread.post_count,
            1,
            thread.post_count,
        )
        assert thread.last_post_at == thread.newest
        assert thread.has_answer == (thread.answers > 0)
    assert any(t.has_answer for t in threads) and not all(t.has_answer for t in threads)
    for post in Post.objects.exclude(body="").order_by("pk")[:50]:
        assert post.body_html == str(render_markdown(post.body))
        assert 10 <= len(post.body.split()) <= 160


def test_enrolment_hours_and_event_search_text_match_their_rows(member):
    load()

    enrolments = Enrolment.objects.annotate(total=Sum("attendances__hours"))
    assert any(e.hours_attended for e in enrolments)
    for enrolment in enrolments:
        assert enrolment.hours_attended == (enrolment.total or 0)
    speaker = Speaker.objects.filter(member__isnull=True).select_related("session")
    guest = speaker.order_by("pk").first()
    found = Event.objects.filter(search_vector=guest.name.split()[-1])
    assert guest.session.event_id in set(found.values_list("pk", flat=True))


def test_same_seed_gives_the_same_text(member):
    load()
    first = list(CaseStudy.objects.order_by("pk").values_list("title", "body"))
    first_threads = list(Thread.objects.order_by("pk").values_list("title", flat=True))

    load(force=True)
    second = list(CaseStudy.objects.order_by("pk").values_list("title", "body"))[50:]
    second_threads = list(
        Thread.objects.order_by("pk").values_list("title", flat=True)
    )[10:]

    assert first == second
    assert first_threads == second_threads


def test_search_finds_case_studies_by_a_stemmed_word(member):
    load()
    expected = set(
        CaseStudy.objects.published()
        .filter(body__icontains="insulation")
        .values_list("pk", flat=True)
    )
    assert expected, "the seed should give at least one case study on insulation"

    found = set(
        search_case_studies("insulating", viewer=member).values_list("pk", flat=True)
    )

    assert expected <= found


def test_pages_render_for_a_member_on_the_loaded_data(member, member_client):
    load()
    newest = CaseStudy.objects.published().order_by("-published_at", "-pk").first()
    thread = Thread.objects.visible_to(member).order_by("-post_count").first()

    listing = member_client.get(reverse("casestudies:list"))
    page = member_client.get(reverse("network:thread_detail", args=[thread.pk]))

    assert listing.status_code == 200
    assert html.escape(newest.title) in listing.content.decode()
    assert page.status_code == 200
    assert html.escape(thread.title) in page.content.decode()


def test_refuses_the_main_database_without_force(member, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "NAME", "portal")

    with pytest.raises(CommandError, match="PORTAL_DB_NAME=portal_scale"):
        load()
    assert Member.objects.count() == 1


def test_refuses_a_database_that_already_has_members(member):
    load()

    with pytest.raises(CommandError, match="already has 201 members"):
        load()


def test_big_tables_get_their_indexes_back_after_the_load(member, monkeypatch):
    from tools.scale import loader
    from tools.scale.bulk import secondary_indexes

    before = secondary_indexes(Post)
    monkeypatch.setattr(loader, "DROP_INDEXES_ABOVE", 100)

    output = load()

    assert "rebuilt" in output
    assert secondary_indexes(Post) == before
    assert "post_search_gin" in {name for name, _ in before}


def test_loaded_members_get_unique_handles_from_their_names(member):
    load(members=2000)
    load(members=300, force=True)  # the same names again, on top

    handles = list(Member.objects.values_list("full_name", "handle"))
    assert len({handle for _, handle in handles}) == len(handles) == 1 + 2300
    assert all(is_form_of(handle, handle_base(name)) for name, handle in handles)
    assert any(handle.endswith(".2") for _, handle in handles)
