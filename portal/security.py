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
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

logger = logging.getLogger("portal.security")

# The request id of the request being answered, for every log line it causes.
request_id: ContextVar[str] = ContextVar("request_id", default="")


def new_request_id() -> str:
    return uuid.uuid4().hex


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
