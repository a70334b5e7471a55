"""Settings for the network portal: one module, every deploy-specific value from the
environment. Local defaults are safe for a developer's machine; production sets
DJANGO_DEBUG=0 and the variables listed in .env.example."""

import os
from datetime import date
from pathlib import Path

import dj_database_url
from django.contrib.messages import constants as message_constants
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


DEBUG = env_bool("DJANGO_DEBUG", default=False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "django-insecure-dev-only")
# Old keys, while rotating: signatures and second-factor secrets made with them
# still verify (network.adapters.MFAAdapter).
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("PORTAL_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Whether the site address was given, not defaulted (a deploy check warns).
SITE_URL_GIVEN = bool(os.environ.get("PORTAL_SITE_URL", "").strip())

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.postgres",
    # allauth.usersessions' list and allauth.mfa's passkey list say "2 hours ago".
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "taggit",
    "crispy_forms",
    "kit",
    "portal",
    "network",
    "casestudies",
    "events",
    "training",
    "procrastinate.contrib.django",
]
# The measuring tools (load_scale_data, the benchmarks, the profilers) are in a
# checkout's tools/ folder, never in the installed package.
if (BASE_DIR / "tools" / "apps.py").is_file():
    INSTALLED_APPS.append("tools")

MIDDLEWARE = [
    # Each request's id, for every log line it causes; 403s logged.
    "kit.security.SecurityLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "kit.middleware.ContentSecurityPolicyMiddleware",
    # A database outage answers 503 (kit/outage.py): outside everything that reads
    # the database, inside the security headers.
    "kit.outage.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from the reader's choice (a cookie, set by the footer's switch)
    # or their browser's Accept-Language: after sessions, before anything that
    # renders or redirects (CommonMiddleware's slash redirect).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # no-store for members and downloads, Clear-Site-Data on signing out: outside
    # the timeouts, so their redirect carries them too.
    "kit.middleware.PrivateResponseMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute timeouts; also allauth.usersessions' tracking, once a
    # minute rather than its own middleware's write on every request.
    "kit.sessions.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "network.middleware.ApprovedMemberMiddleware",
    "network.middleware.SecondFactorRequiredMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
                "network.forums.context_processors.notifications",
            ],
        },
    },
]

# --- Database: PostgreSQL only. DATABASE_URL picks a server. Unset, the embedded one
# starts on a developer's machine (DJANGO_DEBUG=1) or when PORTAL_EMBEDDED_DB=1 asks for
# it (bin/test, bin/benchmark); in production it never starts by accident: the database
# is left unconfigured and `check --deploy` fails (portal/checks.py).
EMBEDDED_DB = not os.environ.get("DATABASE_URL") and (
    DEBUG or env_bool("PORTAL_EMBEDDED_DB")
)
# No database named at all: `check --deploy` fails on it (portal/checks.py).
DATABASE_MISSING = not os.environ.get("DATABASE_URL") and not EMBEDDED_DB
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
elif DATABASE_MISSING:
    # A server that cannot exist: nothing silently runs on a bundled server. Every
    # connection fails at once with this path in its message (pages answer 503,
    # `check --deploy` says why), and commands that need no database, such as
    # `makemigrations --check`, still run.
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "portal",
            "HOST": "/DATABASE_URL-is-not-set-see-README",
        }
    }
else:
    from portal.embedded_db import database_settings_or_exit

    DATABASES = {
        "default": database_settings_or_exit(
            Path(os.environ.get("PORTAL_PGDATA", BASE_DIR / ".pgdata"))
        )
    }
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise SystemExit("DATABASE_URL must point at PostgreSQL: the portal needs it.")
# Reuse connections: closing them per request halves throughput (PERFORMANCE.md).
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DJANGO_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A database that does not answer fails a request in 2 s rather than holding it.
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
    "PORTAL_DB_CONNECT_TIMEOUT", 2
)
# Separate test databases, so several test runs can share one server at once.
DATABASES["default"]["TEST"] = {
    "NAME": os.environ.get("PORTAL_TEST_DB", "test_portal"),
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "network.Member"

AUTHENTICATION_BACKENDS = [
    "network.backends.CachedPermissionsBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Argon2id (argon2-cffi) for every new or changed password. PBKDF2 stays listed so
# older hashes still verify; Django re-hashes them with Argon2id at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
# 12 to 128 characters, not a common password, not like the member's own name or
# email. Pasting is allowed everywhere (password managers), so long ones are easy.
PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 128
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("full_name", "email", "job_title")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {
        "NAME": "kit.passwords.MaximumLengthValidator",
        "OPTIONS": {"max_length": PASSWORD_MAX_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English and Gaelic, an official language of Scotland. The Gaelic catalogue is a
# first version, for review by Gaelic speakers (the accessibility statement says so).
# Dates and numbers follow the active language's formats: the portal's own in
# portal/formats/<language>/formats.py (named formats that templates use, such as
# LONG_DATETIME_FORMAT), then Django's en_GB and gd.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [
    ("en-gb", _("English")),
    ("gd", _("Scottish Gaelic")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
FORMAT_MODULE_PATH = ["portal.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads (case-study attachments, event slides) live outside any public URL and are
# served only through views that check who may read them.
PRIVATE_MEDIA_ROOT = Path(
    os.environ.get("PORTAL_PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media")
)
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
# Several app hosts share their uploads: a shared volume mounted at
# PORTAL_PRIVATE_MEDIA_ROOT, or a private S3-compatible bucket (django-storages, the
# "s3" extra). Files are never public there either: views hand them out.
S3_BUCKET = os.environ.get("PORTAL_S3_BUCKET", "")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("PORTAL_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("PORTAL_S3_REGION") or None,
            "access_key": os.environ.get("PORTAL_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("PORTAL_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("PORTAL_S3_PREFIX", "uploads"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
# Never routed: private files are handed out only by views that check access.
MEDIA_URL = "/private-media-never-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
PORTAL_MAX_UPLOAD_BYTES = env_int("PORTAL_MAX_UPLOAD_MB", 20) * 1024 * 1024

# Two caches. `default` is shared by every worker and host, so allauth's rate
# limits count each attempt once, whichever worker answers it: Redis when REDIS_URL
# is set (Django's own backend), otherwise a table in the one PostgreSQL database
# (made by `manage.py createcachetable`). `pages` is each worker's own memory:
# rendered page parts and permission sets are keyed by data version tokens read
# from the database (kit/versions.py), so a local copy is never stale. Entries
# are rendered fragments of a few to some tens of kB; when full, the least
# recently used quarter goes.
REDIS_URL = os.environ.get("REDIS_URL", "")
_database_cache = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "portal_cache",
    "OPTIONS": {"MAX_ENTRIES": 100_000, "CULL_FREQUENCY": 4},
}
if REDIS_URL:
    # While Redis does not answer, the table stands in, and the log says so
    # (kit/cache.py); a Redis that hangs gives up within half a second.
    _shared_cache = {
        "BACKEND": "kit.cache.RedisWithFallback",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("PORTAL_CACHE_PREFIX", "portal"),
        "FALLBACK": "database",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
else:
    _shared_cache = _database_cache
CACHES = {
    "default": _shared_cache,
    # Always configured, so `createcachetable` makes the table Redis falls back to.
    "database": _database_cache,
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "portal-pages",
        "OPTIONS": {
            "MAX_ENTRIES": env_int("PORTAL_CACHE_ENTRIES", 5000),
            "CULL_FREQUENCY": 4,
        },
    },
}

# --- Accounts (django-allauth): email login, mandatory verification.
SITE_NAME = "Scottish Cities Net Zero Network"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:member_home"
ACCOUNT_LOGOUT_REDIRECT_URL = "portal:home"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# Changing the email or password asks for the password (or a second factor) again,
# as changing second factors does (MFA_REAUTHENTICATION_REQUIRED, on by default),
# and exporting or erasing data (portal/privacy/views.py): a borrowed session
# cannot take the account over. Proof lasts ACCOUNT_REAUTHENTICATION_TIMEOUT (5 min).
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_SIGNUP_FORM_CLASS = "network.forms.SignupDetailsForm"
ACCOUNT_ADAPTER = "network.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Net Zero Network] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = (
    "https" if env_bool("DJANGO_SECURE_SSL_REDIRECT") else "http"
)
# A member sees their signed-in sessions (browser, address, last seen) and can
# end the others (allauth.usersessions, from Settings).
USERSESSIONS_TRACK_ACTIVITY = True

# allauth's rate limits, counted in the shared `default` cache so every worker and
# host sees the same counts. Failed sign-ins count per account (the email typed):
# the 6th try within 15 minutes is refused, whatever the password, and the owner is
# emailed. Nothing refuses a sign-in per client address: behind a council's proxy
# many members share one, and the right password must not be refused because
# someone else failed there ("login" is off for that reason).
PORTAL_LOCKOUT_SECONDS = 15 * 60
ACCOUNT_RATE_LIMITS = {
    "login": "",
    "login_failed": f"5/{PORTAL_LOCKOUT_SECONDS}s/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
# The client address is REMOTE_ADDR, or the one this many proxies of ours put in
# X-Forwarded-For (nginx in front: 1). Never a header a client sets by itself.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("ALLAUTH_TRUSTED_PROXY_COUNT", 0)

# Second factors (allauth.mfa): an authenticator app (TOTP, shown as a QR code),
# recovery codes and passkeys (WebAuthn), which also sign in on their own. Staff,
# superusers and anyone holding a permission (coordinators, moderators) must have
# one (network.roles.must_use_second_factor, kit.middleware). Secrets are stored
# encrypted (network.adapters.MFAAdapter). A code is accepted one 30 s step early
# or late (clock drift), never further, and only once: used codes are marked in the
# shared cache, so no other worker accepts one again.
MFA_ADAPTER = "network.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = SITE_NAME
MFA_TOTP_TOLERANCE = 1

# The project's own crispy-forms template pack (templates/sgds/): every form renders
# the Scottish Government Design System's question, hint and error markup.
CRISPY_ALLOWED_TEMPLATE_PACKS = ("sgds",)
CRISPY_TEMPLATE_PACK = "sgds"
TAGGIT_CASE_INSENSITIVE = True

MESSAGE_TAGS = {message_constants.ERROR: "danger"}

# --- Email
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get(
    "DJANGO_DEFAULT_FROM_EMAIL", "Net Zero Network <no-reply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A mail server that accepts and never answers holds a job, never a page: jobs send
# the email (kit/mail.py), and give up on a silent server after this long.
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 10)

# --- Background jobs: Procrastinate, on the same PostgreSQL (its tables come with the
# migrations). Each app's jobs live in its `jobs.py`; `manage.py procrastinate worker`
# runs them (bin/run starts one).
PROCRASTINATE_AUTODISCOVER_MODULE_NAME = "jobs"

# --- Security. HTTPS, secure cookies and HSTS are production values, so they come
# from the environment (see .env.example); `manage.py check --deploy` flags any unset.
# A sign-in lasts 12 hours at most and ends after 2 hours without a request
# (kit/sessions.py); shared council PCs are the reason.
SESSION_COOKIE_AGE = env_int("PORTAL_SESSION_HOURS", 12) * 3600
PORTAL_SESSION_IDLE_SECONDS = env_int("PORTAL_SESSION_IDLE_MINUTES", 120) * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_PROXY") else None
)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT")
# Production (not DEBUG, an https:// site address) gets Secure cookies with
# __Host- names: the browser then sends them only over HTTPS, to this host alone,
# never set by a sibling subdomain. DJANGO_SECURE_COOKIES=1 or 0 says otherwise
# (0 also drops the __Host- names, which browsers accept only when Secure; the
# deploy check then fails).
HTTPS_SITE = not DEBUG and SITE_URL.startswith("https://")
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=HTTPS_SITE)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# The language chosen with the footer's switch: set only when someone chooses.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
if HTTPS_SITE and SESSION_COOKIE_SECURE:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_NAME = "__Host-language"
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD")
# A strict policy: no inline scripts or styles anywhere in the portal's templates.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

# Every browser feature the portal does not use is off, for its pages and anything
# they might embed. Passkeys (WebAuthn) need publickey-credentials-*, for the
# portal itself.
PERMISSIONS_POLICY = ", ".join(
    [
        *(
            f"{feature}=()"
            for feature in (
                "accelerometer",
                "autoplay",
                "camera",
                "display-capture",
                "encrypted-media",
                "fullscreen",
                "geolocation",
                "gyroscope",
                "hid",
                "idle-detection",
                "magnetometer",
                "microphone",
                "midi",
                "payment",
                "picture-in-picture",
                "screen-wake-lock",
                "serial",
                "usb",
                "xr-spatial-tracking",
            )
        ),
        "publickey-credentials-create=(self)",
        "publickey-credentials-get=(self)",
    ]
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "kit.security.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "security": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO"),
    },
    # Procrastinate says every job it defers and runs; workers want that, commands
    # and pages do not (bin/run sets INFO for its worker). Security events, one JSON
    # object a line (kit/security.py), on stderr beside the rest: journald or the
    # log shipper keeps them apart by the prefix.
    "loggers": {
        "procrastinate": {
            "level": os.environ.get("PORTAL_JOBS_LOG_LEVEL", "WARNING"),
        },
        "portal.security": {
            "handlers": ["security"],
            "level": "INFO",
            "propagate": False,
        },
    },
}

# The privacy notice (portal/privacy/notice.py) names the controller and its DPO.
PRIVACY_CONTROLLER = os.environ.get(
    "PORTAL_PRIVACY_CONTROLLER",
    "the Improvement Service, for the Scottish cities' net zero network",
)
PRIVACY_CONTROLLER_ADDRESS = os.environ.get(
    "PORTAL_PRIVACY_CONTROLLER_ADDRESS",
    "iHub, Quarrywood Court, Livingston, EH54 6AX",
)
PRIVACY_DPO_EMAIL = os.environ.get(
    "PORTAL_PRIVACY_DPO_EMAIL", "dpo@improvementservice.org.uk"
)
# The notice's version, the date of its last material change (a new purpose,
# recipient, period or controller, in the code or in the settings above). Members
# who last read another version are asked to read it again.
PRIVACY_NOTICE_VERSION = os.environ.get("PORTAL_PRIVACY_NOTICE_VERSION") or "2026-12-03"

# The accessibility statement (portal/accessibility.py): where to ask for another
# format or report a problem, how soon we answer, and its dates (YYYY-MM-DD). Review
# the statement, and test again, at least once a year and after a large change.
ACCESSIBILITY_CONTACT_EMAIL = (
    os.environ.get("PORTAL_ACCESSIBILITY_EMAIL") or "info@improvementservice.org.uk"
)
ACCESSIBILITY_CONTACT_PHONE = os.environ.get("PORTAL_ACCESSIBILITY_PHONE", "")
ACCESSIBILITY_REPLY_WORKING_DAYS = int(
    os.environ.get("PORTAL_ACCESSIBILITY_REPLY_DAYS") or 10
)
ACCESSIBILITY_STATEMENT_PREPARED = date.fromisoformat(
    os.environ.get("PORTAL_ACCESSIBILITY_PREPARED") or "2026-12-03"
)
ACCESSIBILITY_STATEMENT_REVIEWED = date.fromisoformat(
    os.environ.get("PORTAL_ACCESSIBILITY_REVIEWED") or "2026-12-03"
)
ACCESSIBILITY_LAST_TESTED = date.fromisoformat(
    os.environ.get("PORTAL_ACCESSIBILITY_TESTED") or "2026-12-03"
)
ACCESSIBILITY_TESTED_BY = (
    os.environ.get("PORTAL_ACCESSIBILITY_TESTED_BY") or "the portal's developers"
)

# /.well-known/security.txt (RFC 9116): where to report a security problem, an email
# address or an https:// page.
SECURITY_CONTACT = (
    os.environ.get("PORTAL_SECURITY_CONTACT") or "info@improvementservice.org.uk"
)
