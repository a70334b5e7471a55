"""Every member has a unique @handle made from their name, kept up to date when the
name changes, and given to existing members by the migration that added it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains

from network.handles import HandleAllocator, fill_missing_handles, handle_base
from network.models import Member
from tests.factories import make_member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "handle"),
    [
        ("Iain MacLeod", "iain.macleod"),
        ("Cllr Jean Paterson", "cllr.jean.paterson"),
        ("  Anne-Marie  O'Neill ", "anne.marie.o.neill"),
        ("Seán Ó Briain", "sean.o.briain"),
        ("李明", "member"),
    ],
)
def test_handle_is_the_name_in_lower_case_joined_by_dots(name, handle):
    assert handle_base(name) == handle


def test_allocator_numbers_namesakes_past_handles_already_taken():
    allocate = HandleAllocator(["gillian.murray", "gillian.murray.3"])

    got = [allocate("Gillian Murray") for _ in range(3)]

    assert got == ["gillian.murray.2", "gillian.murray.4", "gillian.murray.5"]
    assert allocate("Gillian Murray 2") == "gillian.murray.2.2"


def test_a_new_member_whose_handle_is_taken_gets_the_next_free_number():
    make_member(full_name="Gillian Murray")
    make_member(full_name="Gillian Murray 3")  # holds gillian.murray.3

    assert make_member(full_name="gillian MURRAY").handle == "gillian.murray.2"
    assert make_member(full_name="Gillian Murray").handle == "gillian.murray.4"


def test_renaming_a_member_changes_their_handle_on_any_save_path():
    member = make_member(full_name="Iain MacLeod")
    make_member(full_name="Fiona Gordon")

    member.full_name = "Fiona Gordon"
    member.save(update_fields=["full_name"])
    member.refresh_from_db()
    assert member.handle == "fiona.gordon.2"

    member.full_name = "Fiona Gordon-Reid"
    member.save()
    member.refresh_from_db()
    assert member.handle == "fiona.gordon.reid"


def test_saving_a_member_without_a_new_name_reads_no_handles(member):
    member.job_title = "Heat lead"
    member.full_name = "olivia OFFICER"  # the same handle: kept, no lookup
    with CaptureQueriesContext(connection) as saving:
        member.save()
    with CaptureQueriesContext(connection) as bookkeeping:
        member.save(update_fields=["last_login"])

    assert not [q for q in saving if q["sql"].startswith("SELECT")], saving.captured
    assert len(bookkeeping) == 1
    member.refresh_from_db()
    assert member.handle == "olivia.officer"


def test_profile_edit_renames_the_handle_the_profile_shows(member, member_client):
    profile = member.get_absolute_url()
    assertContains(member_client.get(profile), "@olivia.officer")

    member_client.post(
        reverse("network:profile_edit"),
        {"full_name": "Olivia Smith", "job_title": "Heat lead", "bio": ""},
    )

    member.refresh_from_db()
    assert member.handle == "olivia.smith"
    assertContains(member_client.get(profile), "@olivia.smith")


def test_admin_shows_the_handle_and_finds_members_by_it(admin_client):
    member = make_member(full_name="Iain MacLeod")
    make_member(full_name="Iain MacLeod")

    change = admin_client.get(reverse("admin:network_member_change", args=[member.pk]))
    found = admin_client.get(
        reverse("admin:network_member_changelist"), {"q": "iain.macleod.2"}
    )

    assertContains(change, "iain.macleod")
    assert found.context["cl"].result_count == 1


def test_backfill_gives_handles_in_member_id_order_past_those_taken():
    earliest = make_member(full_name="gillian murray")
    later = make_member(full_name="Gillian Murray")
    iain = make_member(full_name="Iain MacLeod")
    keeps = make_member(full_name="Iain MacLeod 2")
    # The table as the migration found it: no handles yet but one. Undone with
    # the test's transaction.
    with connection.cursor() as cursor:
        # Run the deferred foreign-key checks now: ALTER TABLE refuses to wait.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE network_member ALTER COLUMN handle DROP NOT NULL")
    Member.objects.exclude(pk=keeps.pk).update(handle=None)
    Member.objects.filter(pk=keeps.pk).update(handle="iain.macleod")

    filled = fill_missing_handles(Member, "default", batch_size=2)

    handles = dict(Member.objects.values_list("pk", "handle"))
    assert filled == len(handles) - 1
    assert handles[earliest.pk] == "gillian.murray"
    assert handles[later.pk] == "gillian.murray.2"
    assert handles[iain.pk] == "iain.macleod.2"
    assert handles[keeps.pk] == "iain.macleod"
    assert None not in handles.values()
