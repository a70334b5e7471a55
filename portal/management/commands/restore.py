"""manage.py restore DIR: a backup from manage.py backup into an EMPTY database and an
empty uploads folder, then a check that both hold exactly what the manifest lists."""

import subprocess
import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from portal import backups


class Command(BaseCommand):
    help = "Restore a backup folder into an empty database and uploads folder, and verify it."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A folder written by manage.py backup.")

    def say(self, message):
        self.stdout.write(message)
        self.stdout.flush()

    def handle(self, *args, **options):
        started = time.monotonic()
        folder = Path(options["folder"]).resolve()
        try:
            manifest = backups.read_manifest(folder)
            self._check_files(folder, manifest)
            self._check_empty()
            tools = backups.pg_tools_for_server(
                max(backups.server_major(), manifest.get("pg_dump_version", 0))
            )
            self._restore(folder, tools)
            self._verify(manifest)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        # Cached pages are keyed by version tokens from the restored data; new ones
        # make sure no cache still holds a page of the data this replaced.
        call_command("refresh_caches", stdout=self.stdout)
        self.say(f"Restore complete in {time.monotonic() - started:.1f} s.")

    def _check_files(self, folder: Path, manifest: dict) -> None:
        self.say(f"Checking the backup files in {folder} ...")
        for name, expected in manifest["files"].items():
            path = folder / name
            if not path.exists():
                raise backups.BackupError(
                    f"The backup is incomplete: {path} is missing."
                )
            if backups.sha256(path) != expected:
                raise backups.BackupError(
                    f"{path} does not match its SHA-256 in the manifest: the backup "
                    "is damaged; restore another one."
                )

    def _check_empty(self) -> None:
        name = connection.settings_dict["NAME"]
        with connection.cursor() as cursor:
            cursor.execute(backups.TABLES_QUERY)
            tables = [row[0] for row in cursor.fetchall()]
        if tables:
            raise backups.BackupError(
                f"The database {name!r} is not empty ({len(tables)} tables, such as "
                f"{tables[0]}). Restore only into a new, empty database: "
                f"createdb {name}_restored, and point DATABASE_URL at it."
            )
        root = backups.media_root()
        if root.exists() and any(root.iterdir()):
            raise backups.BackupError(
                f"The uploads folder {root} is not empty. Restore only into a new, "
                "empty folder: set PORTAL_PRIVATE_MEDIA_ROOT to one."
            )

    def _restore(self, folder: Path, tools: backups.PgTools) -> None:
        self.say(
            f"Restoring the database into {connection.settings_dict['NAME']!r} with "
            f"{tools.pg_restore} ..."
        )
        result = subprocess.run(
            [
                tools.pg_restore,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={connection.settings_dict['NAME']}",
                str(folder / backups.DUMP),
            ],
            env=backups.pg_env(),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise backups.BackupError(f"pg_restore failed: {result.stderr.strip()}")
        root = backups.media_root()
        self.say(f"Unpacking the uploads into {root} ...")
        backups.unpack_media_archive(folder / backups.MEDIA, root)

    def _verify(self, manifest: dict) -> None:
        self.say("Verifying row counts and file hashes against the manifest ...")
        with connection.cursor() as cursor:
            counts = backups.row_counts(cursor)
        if counts != manifest["tables"]:
            wrong = sorted(
                t
                for t in set(counts) | set(manifest["tables"])
                if counts.get(t) != manifest["tables"].get(t)
            )
            raise backups.BackupError(
                f"The restored database differs from the manifest in: {', '.join(wrong)}."
            )
        media = backups.media_files(backups.media_root())
        if media != manifest["media"]:
            wrong = sorted(
                p
                for p in set(media) | set(manifest["media"])
                if media.get(p) != manifest["media"].get(p)
            )
            raise backups.BackupError(
                f"The restored uploads differ from the manifest in: {', '.join(wrong)}."
            )
        self.say(
            f"Verified: {len(counts)} tables and {sum(counts.values())} rows, "
            f"{len(media)} files with their SHA-256, as in the manifest."
        )
