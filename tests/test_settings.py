"""Production settings come from the environment, and Django's deploy check agrees."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def production_env(**extra):
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x7Gq2-production-like-secret-key-with-plenty-of-entropy-0123456789",
        "DJANGO_ALLOWED_HOSTS": "netzero.example.org",
        "DJANGO_SECURE_SSL_REDIRECT": "1",
        "DJANGO_SECURE_COOKIES": "1",
        "DJANGO_HSTS_SECONDS": "31536000",
        "DJANGO_HSTS_PRELOAD": "1",
    }
    env.update(extra)
    # The browser tests' own relaxation, never part of a deploy.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def run_check(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_with_production_environment():
    result = run_check(production_env())
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_fails_without_production_values():
    result = run_check(production_env(DJANGO_SECURE_COOKIES="0"))
    assert result.returncode != 0
    assert "SESSION_COOKIE_SECURE" in result.stdout + result.stderr


def test_env_example_lists_every_variable_the_settings_read():
    import re

    settings_source = (ROOT / "portal" / "settings.py").read_text()
    read = set(re.findall(r'env_(?:bool|list|int)\("([A-Z_]+)"', settings_source))
    read |= set(re.findall(r'os\.environ(?:\.get\(|\[)"([A-Z_]+)"', settings_source))
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^([A-Z_]+)=", example, re.MULTILINE))
    assert read <= listed, f"missing from .env.example: {sorted(read - listed)}"


def test_embedded_database_failure_is_one_clear_sentence():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PORTAL_PGDATA"] = "/dev/null/pgdata"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.strip().startswith(
        "The embedded PostgreSQL in /dev/null/pgdata"
    )
    assert "Traceback" not in result.stderr
