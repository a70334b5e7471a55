"""The portal's own deploy checks (`manage.py check --deploy`): settings that work on a
developer's machine and lose data or mail, or break sign-in, in production (errors),
or quietly weaken it (warnings; deploys run `--fail-level WARNING`)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

# Backends that keep email in the process (or print it) instead of sending it.
NON_SENDING_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@register(Tags.security, deploy=True)
def check_production_settings(app_configs=None, **kwargs):
    errors = []
    if settings.EMBEDDED_DB or settings.DATABASE_MISSING:
        errors.append(
            Error(
                "DATABASE_URL is not set: production needs a PostgreSQL server "
                "(the embedded one keeps the data in one folder of one host).",
                hint="Set DATABASE_URL=postgres://user:password@host:5432/portal.",
                id="portal.E001",
            )
        )
    if settings.EMAIL_BACKEND in NON_SENDING_EMAIL_BACKENDS:
        errors.append(
            Error(
                f"DJANGO_EMAIL_BACKEND is {settings.EMAIL_BACKEND}: no email would "
                "reach anyone (sign-up verification, password resets, approvals).",
                hint="Set DJANGO_EMAIL_BACKEND=django.core.mail.backends.smtp."
                "EmailBackend and the DJANGO_EMAIL_* server settings.",
                id="portal.E002",
            )
        )
    if not settings.SITE_URL.startswith("https://"):
        errors.append(
            Error(
                f"PORTAL_SITE_URL is {settings.SITE_URL!r}: links in emails must "
                "use the portal's public https:// address.",
                hint="Set PORTAL_SITE_URL=https://netzero.example.org.",
                id="portal.E003",
            )
        )
    if settings.SECURE_PROXY_SSL_HEADER and not settings.CSRF_TRUSTED_ORIGINS:
        errors.append(
            Error(
                "DJANGO_BEHIND_PROXY is on and DJANGO_CSRF_TRUSTED_ORIGINS is empty: "
                "every form posted through the proxy would be refused.",
                hint="Set DJANGO_CSRF_TRUSTED_ORIGINS=https://netzero.example.org.",
                id="portal.E004",
            )
        )
    return errors


@register(Tags.security, Tags.caches, deploy=True)
def check_production_warnings(app_configs=None, **kwargs):
    warnings = []
    default_cache = settings.CACHES.get("default", {}).get("BACKEND", "")
    if default_cache.endswith("LocMemCache") or default_cache.endswith("DummyCache"):
        warnings.append(
            Warning(
                f"The default cache is {default_cache}: each worker would count "
                "sign-in failures and lock-outs on its own, so an attacker "
                "spreading tries over the workers gets several times the limit.",
                hint="Leave CACHES['default'] as the database cache, or set "
                "REDIS_URL for Redis.",
                id="portal.W001",
            )
        )
    if not settings.SITE_URL_GIVEN:
        warnings.append(
            Warning(
                "PORTAL_SITE_URL is not set: links in emails (verification, "
                "password resets, approvals) would point at "
                f"{settings.SITE_URL}.",
                hint="Set PORTAL_SITE_URL=https://netzero.example.org.",
                id="portal.W002",
            )
        )
    return warnings
