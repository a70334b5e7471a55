"""manage.py backup and restore, for real: pg_dump and pg_restore against the test's
own PostgreSQL server, a restore into a database made for it on the same server."""

import io
import json
from contextlib import contextmanager

import pytest
from django.contrib.auth import authenticate
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.db.utils import load_backend

from portal import backups
from tests.factories import PASSWORD, make_member

pytestmark = pytest.mark.django_db(transaction=True)

REPORT = b"%PDF-1.4 Glasgow heat network business case\n" * 200


@contextmanager
def fresh_database():
    """A new, empty database on the test server, used as the portal's database
    inside the block, dropped afterwards."""
    real = connections["default"]
    name = f"{real.settings_dict['NAME']}_restored"
    with real.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    settings_dict = {**real.settings_dict, "NAME": name}
    connections["default"] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(
        settings_dict
    )
    try:
        yield name
    finally:
        connections["default"].close()
        connections["default"] = real
        with real.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(command, *args, **options):
    out = io.StringIO()
    call_command(command, *args, stdout=out, **options)
    return out.getvalue()


def test_a_backup_restores_into_a_fresh_database_and_the_member_signs_in(
    settings, tmp_path
):
    make_member(email="olivia@glasgow.gov.uk", full_name="Olivia Officer")
    saved = default_storage.save("casestudies/1/business-case.pdf", ContentFile(REPORT))

    output = run("backup", output=str(tmp_path / "backups"))

    [folder] = backups.backup_folders(tmp_path / "backups")
    assert "Backup complete" in output and str(folder) in output
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["tables"]["public.network_member"] == 1
    assert manifest["media"] == {saved: backups.sha256(settings.MEDIA_ROOT / saved)}
    assert set(manifest["files"]) == {"database.dump", "media.tar.gz"}

    settings.MEDIA_ROOT = tmp_path / "restored-media"
    with fresh_database():
        output = run("restore", str(folder))
        assert "Verified:" in output and "1 files with their SHA-256" in output
        with connection.cursor() as cursor:
            assert backups.row_counts(cursor)["public.network_member"] == 1
        member = authenticate(email="olivia@glasgow.gov.uk", password=PASSWORD)
        assert member is not None and member.full_name == "Olivia Officer"
    assert (settings.MEDIA_ROOT / saved).read_bytes() == REPORT


def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    make_member()
    run("backup", output=str(tmp_path))
    [folder] = backups.backup_folders(tmp_path)
    with pytest.raises(CommandError, match="is not empty .* Restore only into a new"):
        run("restore", str(folder))


def test_restore_refuses_a_damaged_backup_before_touching_anything(tmp_path):
    run("backup", output=str(tmp_path))
    [folder] = backups.backup_folders(tmp_path)
    with open(folder / "database.dump", "ab") as dump:
        dump.write(b"x")
    with pytest.raises(CommandError, match="does not match its SHA-256"):
        run("restore", str(folder))


def test_backup_keeps_only_the_newest_when_asked(tmp_path):
    for stamp in ("20260101T000000Z", "20260102T000000Z"):
        old = tmp_path / f"portal-{stamp}"
        old.mkdir()
        (old / "manifest.json").write_text("{}")
    output = run("backup", output=str(tmp_path), keep=2)
    kept = backups.backup_folders(tmp_path)
    assert [p.name for p in kept][0] == "portal-20260102T000000Z" and len(kept) == 2
    assert "Deleted the old backup" in output and "20260101" in output


def test_no_pg_dump_new_enough_is_a_clear_error():
    with pytest.raises(backups.BackupError, match="no pg_dump of version 99 or newer"):
        backups.pg_tools_for_server(99)
