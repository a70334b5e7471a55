"""Production settings come from the environment, and Django's deploy check agrees."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

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
        # The check never connects: a server's address is all it needs.
        "DATABASE_URL": "postgres://portal@db.example.org:5432/portal",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "PORTAL_SITE_URL": "https://netzero.example.org",
        "DJANGO_BEHIND_PROXY": "1",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://netzero.example.org",
    }
    # What bin/test sets for itself, never part of a deploy: the embedded server and
    # the browser tests' relaxation.
    env.pop("PORTAL_EMBEDDED_DB", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(extra)
    return {name: value for name, value in env.items() if value is not None}


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


def test_production_without_database_url_never_starts_the_embedded_server(tmp_path):
    pgdata = tmp_path / "pgdata"
    result = run_check(production_env(DATABASE_URL=None, PORTAL_PGDATA=str(pgdata)))
    assert result.returncode != 0
    assert "portal.E001" in result.stderr and "DATABASE_URL is not set" in result.stderr
    assert not pgdata.exists()


def test_a_checkout_without_a_database_still_checks_its_migrations(tmp_path):
    """`makemigrations --check` needs no server: it runs (and passes) with no
    DATABASE_URL, no embedded server, and nothing started."""
    env = production_env(DATABASE_URL=None, PORTAL_PGDATA=str(tmp_path / "pgdata"))
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout
    assert "DATABASE_URL-is-not-set" in result.stderr  # the warning says why
    assert not (tmp_path / "pgdata").exists()


def test_embedded_server_asked_for_in_production_still_fails_the_deploy_check():
    result = run_check(production_env(DATABASE_URL=None, PORTAL_EMBEDDED_DB="1"))
    assert result.returncode != 0
    assert "portal.E001" in result.stderr


def portal_deploy_errors():
    from django.core.checks import run_checks

    return {
        message.id
        for message in run_checks(include_deployment_checks=True)
        if message.id.startswith("portal.")
    }


@pytest.fixture
def deployable(settings):
    """The test process's settings made production-like, one value then spoiled."""
    settings.EMBEDDED_DB = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.SITE_URL = "https://netzero.example.org"
    settings.SITE_URL_GIVEN = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.CSRF_TRUSTED_ORIGINS = ["https://netzero.example.org"]
    assert portal_deploy_errors() == set()
    return settings


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
    ],
)
def test_deploy_check_fails_on_an_email_backend_that_sends_nothing(deployable, backend):
    deployable.EMAIL_BACKEND = backend
    assert portal_deploy_errors() == {"portal.E002"}


def test_deploy_check_fails_on_an_http_site_address(deployable):
    deployable.SITE_URL = "http://netzero.example.org"
    assert portal_deploy_errors() == {"portal.E003"}


def test_deploy_check_fails_behind_a_proxy_without_trusted_origins(deployable):
    deployable.CSRF_TRUSTED_ORIGINS = []
    assert portal_deploy_errors() == {"portal.E004"}
    deployable.SECURE_PROXY_SSL_HEADER = None
    assert portal_deploy_errors() == set()


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    ],
)
def test_deploy_check_warns_of_a_default_cache_each_worker_keeps_alone(
    deployable, backend
):
    deployable.CACHES = {**deployable.CACHES, "default": {"BACKEND": backend}}
    assert portal_deploy_errors() == {"portal.W001"}


def test_deploy_check_warns_of_a_missing_site_address(deployable):
    deployable.SITE_URL_GIVEN = False
    assert portal_deploy_errors() == {"portal.W002"}


def test_deploy_check_without_a_site_address_fails_at_warning_level():
    result = run_check(production_env(PORTAL_SITE_URL=None))
    assert result.returncode != 0
    assert "portal.W002" in result.stderr + result.stdout


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
    env["PORTAL_EMBEDDED_DB"] = "1"
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
