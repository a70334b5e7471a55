"""The security log: one JSON line per security event, on the ``portal.security``
logger.

Each line has the time (UTC), the event's name, the member's id, the client's
address and the request id (the ``X-Request-ID`` the portal sends back), plus the
event's own fields. It never holds a password, token or code: callers pass only
ids and short facts. Text from users (an email address typed into the sign-in
form) is written as a JSON string, so a newline or a quote in it cannot forge a
second line or field.

    security.log_event("signin_failed", request, email=typed_email)
"""

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from django.conf import settings

# The logger keeps the product's name: operators filter the journal on it.
logger = logging.getLogger("portal.security")

# The request id of the request being answered, for every log line it causes.
request_id: ContextVar[str] = ContextVar("request_id", default="")


def new_request_id() -> str:
    return uuid.uuid4().hex


# What a proxy's request id may look like (nginx's $request_id, a UUID, ...).
PROXY_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")


def request_id_for(request) -> str:
    """The proxy's X-Request-ID when ALLAUTH_TRUSTED_PROXY_COUNT says proxies of
    ours stand in front (so one id follows the request through their logs and
    ours), and it looks like one; otherwise a new one. A client's own header is
    never believed: it could make two requests share an id."""
    if settings.ALLAUTH_TRUSTED_PROXY_COUNT > 0:
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        if PROXY_REQUEST_ID.fullmatch(given):
            return given
    return new_request_id()


class SecurityLogMiddleware:
    """Outermost: gives each request its id (every log line it causes carries it,
    and the response sends it back as X-Request-ID) and logs each refusal (403:
    a permission, a CSRF failure)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_id.set(request_id_for(request))
        try:
            response = self.get_response(request)
            if response.status_code == 403:
                log_event("permission_refused", request, method=request.method)
            response["X-Request-ID"] = request_id.get()
            return response
        finally:
            request_id.reset(token)


def connect() -> None:
    """Log allauth's account changes and, when installed, second-factor changes."""
    from allauth.account import signals as account

    for signal, event in [
        (account.password_changed, "password_changed"),
        (account.password_set, "password_set"),
        (account.password_reset, "password_reset"),
        (account.email_changed, "email_changed"),
        (account.email_added, "email_added"),
        (account.email_removed, "email_removed"),
        (account.email_confirmed, "email_confirmed"),
    ]:
        signal.connect(_account_change(event), weak=False, dispatch_uid=event)
    if "allauth.mfa" in settings.INSTALLED_APPS:
        from allauth.mfa import signals as mfa

        for signal, event in [
            (mfa.authenticator_added, "second_factor_added"),
            (mfa.authenticator_removed, "second_factor_removed"),
            (mfa.authenticator_reset, "second_factor_reset"),
        ]:
            signal.connect(_second_factor_change(event), weak=False, dispatch_uid=event)


def _account_change(event):
    def receiver(sender, request=None, user=None, **kwargs):
        # email_confirmed names no user: its address does.
        address = kwargs.get("email_address")
        member = user or getattr(address, "user", None)
        log_event(event, request, member=member)

    return receiver


def _second_factor_change(event):
    def receiver(sender, request=None, user=None, authenticator=None, **kwargs):
        kind = getattr(authenticator, "type", "")
        log_event(event, request, member=user, kind=kind)

    return receiver


def client_address(request) -> str:
    """REMOTE_ADDR, or the address ALLAUTH_TRUSTED_PROXY_COUNT proxies vouch for:
    never a header a client can set by itself."""
    # Imported here: this module is loaded while logging is configured, before
    # the apps are ready.
    from allauth.core.internal.httpkit import get_client_ip

    try:
        return get_client_ip(request) or ""
    except Exception:  # a misconfigured proxy count must not break the log
        return request.META.get("REMOTE_ADDR", "")


def log_event(event: str, request=None, *, member=None, **fields) -> None:
    """Write one security event. ``member`` defaults to the signed-in member."""
    if member is None and request is not None:
        user = getattr(request, "user", None)
        member = user if user is not None and user.is_authenticated else None
    record = {
        "event": event,
        "member_id": getattr(member, "pk", None),
        "address": client_address(request) if request is not None else "",
        "path": request.path if request is not None else "",
        **fields,
    }
    logger.info(event, extra={"security": record})


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, request id, message and the
    event's fields. json.dumps escapes every control character in user text."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "request_id": request_id.get(),
        }
        fields = getattr(record, "security", None)
        if fields:
            line.update(fields)
        else:
            line["message"] = record.getMessage()
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=True)
