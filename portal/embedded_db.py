"""Start (or reuse) the embedded PostgreSQL server used when DATABASE_URL is unset.

The server runs from the ``pgserver`` package in a data folder inside the project
(ignored by git) and is left running after the process exits, so the next
``manage.py`` call or test run reuses it instead of paying for a fresh start.
"""

import logging
import os
import sys
import warnings
from pathlib import Path

import psycopg

# PORTAL_DB_NAME picks another database on the same server (the scale benchmark
# keeps its large data set apart from the demo data this way).
DATABASE_NAME = os.environ.get("PORTAL_DB_NAME", "portal")


class EmbeddedDatabaseError(RuntimeError):
    pass


def database_settings(data_dir: Path) -> dict:
    """Return Django DATABASES["default"] for the embedded server, starting it."""
    # platformdirs warns when XDG_RUNTIME_DIR is unset (as under CI); harmless here.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    try:
        import pgserver
    except ImportError as exc:  # pragma: no cover - only on a broken install
        raise EmbeddedDatabaseError(
            "DATABASE_URL is not set and the pgserver package is not installed: "
            "run the set-up command from the README, or set DATABASE_URL to a "
            "PostgreSQL server."
        ) from exc

    # pgserver logs every step at INFO; keep manage.py output readable.
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    try:
        server = pgserver.get_server(data_dir, cleanup_mode=None)
        info = server.get_postmaster_info()
        _ensure_database(server.get_uri())
    except Exception as exc:
        raise EmbeddedDatabaseError(
            f"The embedded PostgreSQL in {data_dir} could not start ({exc}). "
            f"Check its log at {data_dir / 'log'}, free some disk space, or delete "
            "that folder to start afresh; or set DATABASE_URL to a PostgreSQL server."
        ) from exc
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "HOST": str(info.socket_dir),
        "PORT": str(info.port),
    }


def _ensure_database(admin_uri: str) -> None:
    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


def database_settings_or_exit(data_dir: Path) -> dict:
    try:
        return database_settings(data_dir)
    except EmbeddedDatabaseError as exc:
        sys.stderr.write(f"{exc}\n")
        raise SystemExit(1) from exc
