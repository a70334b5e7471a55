"""manage.py backup [--output DIR] [--keep N]: a new folder under DIR with a
custom-format pg_dump, the uploads as media.tar.gz and manifest.json (rows per table,
SHA-256 of every file), all from one moment of the database (portal/backups.py)."""

import shutil
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from portal import backups


class Command(BaseCommand):
    help = "Back up the database and the uploads into a new folder, with a manifest."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default="backups",
            help="Folder that receives the new backup folder (default: ./backups).",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=0,
            help="Then delete all but the newest N backups in that folder (0: keep all).",
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        parent = Path(options["output"]).resolve()
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        folder = parent / f"{backups.FOLDER_PREFIX}{stamp}"
        if folder.exists():
            raise CommandError(f"{folder} already exists; try again in a second.")
        try:
            tools = backups.pg_tools_for_server(backups.server_major())
            folder.mkdir(parents=True)
            manifest = self._back_up(folder, tools)
        except backups.BackupError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise CommandError(str(exc)) from exc
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        self.say(
            f"Backup complete in {time.monotonic() - started:.1f} s: {folder} "
            f"({len(manifest['tables'])} tables, {sum(manifest['tables'].values())} "
            f"rows, {len(manifest['media'])} uploaded files)."
        )
        if options["keep"] > 0:
            self._prune(parent, options["keep"])

    def say(self, message):
        self.stdout.write(message)
        self.stdout.flush()

    def _back_up(self, folder: Path, tools: backups.PgTools) -> dict:
        dump = folder / backups.DUMP
        # The counts and the dump read the same snapshot, so the manifest describes
        # exactly what the dump holds while the portal keeps writing.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            self.say(f"Counting rows (snapshot {snapshot}) ...")
            counts = backups.row_counts(cursor)
            self.say(
                f"Dumping the database with {tools.pg_dump} "
                f"(PostgreSQL {tools.major}) ..."
            )
            result = subprocess.run(
                [
                    tools.pg_dump,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={dump}",
                ],
                env=backups.pg_env(),
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise backups.BackupError(f"pg_dump failed: {result.stderr.strip()}")
        self.say(f"  {dump.stat().st_size:,} bytes.")
        root = backups.media_root()
        self.say(f"Archiving the uploads in {root} ...")
        media = backups.media_files(root)
        backups.write_media_archive(root, folder / backups.MEDIA)
        self.say(f"  {len(media)} files.")
        manifest = {
            "created_at": datetime.now(UTC).isoformat(),
            "server_version": connection.pg_version,
            "pg_dump_version": tools.major,
            "tables": counts,
            "media": media,
            "files": {
                name: backups.sha256(folder / name)
                for name in (backups.DUMP, backups.MEDIA)
            },
        }
        backups.write_manifest(folder, manifest)
        return manifest

    def _prune(self, parent: Path, keep: int) -> None:
        for old in backups.backup_folders(parent)[:-keep]:
            shutil.rmtree(old)
            self.say(f"Deleted the old backup {old}.")
