"""Backup and restore (manage.py backup / restore): a custom-format pg_dump, an archive
of the uploads and a manifest of what they hold, so a restore can prove it is whole.

A backup folder holds:
    database.dump   pg_dump --format=custom, taken in one snapshot with the counts
    media.tar.gz    every file under MEDIA_ROOT, paths relative to it
    manifest.json   rows per table, SHA-256 of each uploaded file and of both files
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

DUMP = "database.dump"
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"
FOLDER_PREFIX = "portal-"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class PgTools:
    bin_dir: Path
    major: int

    @property
    def pg_dump(self) -> str:
        return str(self.bin_dir / "pg_dump")

    @property
    def pg_restore(self) -> str:
        return str(self.bin_dir / "pg_restore")


def _candidate_bin_dirs() -> list[Path]:
    dirs = []
    try:
        import pgserver

        dirs.append(Path(pgserver.__file__).parent / "pginstall" / "bin")
    except ImportError:  # pragma: no cover - pgserver is a dependency
        pass
    dirs += sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    on_path = shutil.which("pg_dump")
    if on_path:
        dirs.append(Path(on_path).resolve().parent)
    return [d for d in dirs if (d / "pg_dump").exists() and (d / "pg_restore").exists()]


def _major_version(pg_dump: Path) -> int | None:
    try:
        out = subprocess.run(
            [str(pg_dump), "--version"], capture_output=True, text=True, timeout=10
        ).stdout
    except OSError:
        return None
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(match.group(1)) if match else None


def pg_tools_for_server(server_major: int) -> PgTools:
    """The pg_dump and pg_restore to use: the same major version as the server, or
    the nearest newer one (pg_dump refuses a server newer than itself)."""
    found = {}
    for bin_dir in _candidate_bin_dirs():
        major = _major_version(bin_dir / "pg_dump")
        if major is not None:
            found.setdefault(major, bin_dir)
    usable = sorted(m for m in found if m >= server_major)
    if not usable:
        have = ", ".join(f"{m} in {found[m]}" for m in sorted(found)) or "none"
        raise BackupError(
            f"The database server is PostgreSQL {server_major}, and no pg_dump of "
            f"version {server_major} or newer was found (found: {have}). Install "
            f"the client tools: apt-get install postgresql-client-{server_major}."
        )
    return PgTools(found[usable[0]], usable[0])


def server_major(conn=connection) -> int:
    conn.ensure_connection()
    return conn.pg_version // 10000


def pg_env(conn=connection) -> dict:
    """libpq's variables for the connection Django uses, so no password is ever on
    a command line."""
    s = conn.settings_dict
    env = dict(os.environ)
    for var, key in [
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ]:
        if s.get(key):
            env[var] = str(s[key])
        else:
            env.pop(var, None)
    sslmode = s.get("OPTIONS", {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return env


TABLES_QUERY = """
    SELECT quote_ident(schemaname) || '.' || quote_ident(tablename)
      FROM pg_tables
     WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
     ORDER BY 1
"""


def row_counts(cursor) -> dict[str, int]:
    cursor.execute(TABLES_QUERY)
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT count(*) FROM {table}")  # names quoted by the server
        counts[table] = cursor.fetchone()[0]
    return counts


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_files(root: Path) -> dict[str, str]:
    """SHA-256 of every file under root, by its path relative to root."""
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): sha256(path)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def write_media_archive(root: Path, target: Path) -> None:
    with tarfile.open(target, "w:gz") as tar:
        if root.exists():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    tar.add(path, arcname=path.relative_to(root).as_posix())


def unpack_media_archive(archive: Path, root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive, "r:gz") as tar:
        # "data" refuses absolute paths, links out of root and device files.
        tar.extractall(root, filter="data")


def read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    if not path.exists():
        raise BackupError(f"{folder} is not a backup: it has no {MANIFEST}.")
    return json.loads(path.read_text())


def write_manifest(folder: Path, manifest: dict) -> None:
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))


def backup_folders(parent: Path) -> list[Path]:
    """Backups under parent, oldest first (names sort by time)."""
    return sorted(
        p
        for p in parent.glob(f"{FOLDER_PREFIX}*")
        if p.is_dir() and (p / MANIFEST).exists()
    )


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)
