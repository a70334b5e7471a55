"""How long a sign-in lasts: ``SESSION_COOKIE_AGE`` (12 hours) after signing in at
most, and ``PORTAL_SESSION_IDLE_SECONDS`` (2 hours) without a request.

Django alone pushes a session's end forward whenever the session is saved, so
the sign-in time is kept in the session and its expiry set to that time plus
the age, once: activity never makes a session last longer. The last request's
time is written at most once a minute, so reading pages costs no session write;
allauth.usersessions' "last seen" (the member's list of where they are signed
in) is kept at the same time.
"""

from datetime import UTC, datetime, timedelta
from importlib import import_module

from allauth.usersessions.internal import usersessionkit
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    logout,
)
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.models import Session
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from . import security

SIGNED_IN_AT = "portal_signed_in_at"
LAST_SEEN_AT = "portal_last_seen_at"
# The session key allauth.usersessions last recorded (a sign-in changes the key).
TRACKED = "portal_tracked_key"
# The last request's time is kept to this precision (seconds).
SEEN_EVERY = 60


def start(session, now: float | None = None) -> None:
    """At sign-in: the session ends SESSION_COOKIE_AGE from now, whatever happens."""
    now = _now() if now is None else now
    session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = now
    session.set_expiry(datetime.fromtimestamp(now + settings.SESSION_COOKIE_AGE, UTC))


def on_signed_in(sender, request, user, **kwargs):
    """Django's user_logged_in: every way in (allauth, admin, a test's login).
    A sign-in recorded outside a request (a script) has no session to start."""
    if getattr(request, "session", None) is not None:
        start(request.session)


def expired(session, now: float) -> str:
    """Why this signed-in session is over ("idle", "absolute"), or ""."""
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT, signed_in_at)
    if signed_in_at is None:
        return ""
    if now - signed_in_at > settings.SESSION_COOKIE_AGE:
        return "absolute"
    if now - last_seen_at > settings.PORTAL_SESSION_IDLE_SECONDS:
        return "idle"
    return ""


class SessionLimitsMiddleware:
    """Signs a member out when their session is too old or was idle too long, and
    sends them to the sign-in page with a message saying why. A session from
    before these limits (no sign-in time) starts its clock on its next request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            response = self._check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request):
        session, now = request.session, _now()
        if SIGNED_IN_AT not in session:
            start(session, now)
        reason = expired(session, now)
        if reason:
            security.log_event("session_expired", request, reason=reason)
            logout(request)
            messages.info(
                request,
                _("You were signed out after two hours without activity.")
                if reason == "idle"
                else _("You were signed out: a sign-in lasts twelve hours at most."),
            )
            return redirect_to_login(request.get_full_path())
        if now - session.get(LAST_SEEN_AT, 0) >= SEEN_EVERY:
            session[LAST_SEEN_AT] = now
            _track(request)
        elif session.get(TRACKED) != session.session_key:  # new, or a new key
            _track(request)
        return None


def _track(request) -> None:
    """allauth.usersessions' record of this session (browser, address, last
    seen), kept as often as the last request's time: allauth's own middleware
    writes it on every request (five queries a page)."""
    usersessionkit.track_activity(request, user=request.user, session=request.session)
    request.session[TRACKED] = request.session.session_key


def _now() -> float:
    # Django's clock, as the session store's expiry uses.
    return timezone.now().timestamp()


def signed_in_sessions(member) -> list[UserSession]:
    """allauth.usersessions' rows of the member's sessions that still sign them
    in, oldest first, in one query: allauth's list asks the session store three
    times a row (does it exist, load it, load its member). Rows whose session
    has gone or no longer signs the member in are deleted, as allauth's purge
    does. Sessions kept elsewhere than the database go through allauth's own."""
    engine = import_module(settings.SESSION_ENGINE)
    if not _stored_in_db(engine):
        rows = UserSession.objects.purge_and_list(member)
        return sorted(rows, key=lambda row: row.created_at)
    stored = Session.objects.filter(
        session_key=OuterRef("session_key"), expire_date__gt=timezone.now()
    ).values("session_data")
    rows = (
        UserSession.objects.filter(user_id=member.pk)
        .annotate(stored=Subquery(stored[:1]))
        .order_by("created_at")
    )
    kept, gone = [], []
    for row in rows:
        data = engine.SessionStore().decode(row.stored) if row.stored else {}
        del row.stored  # the session's contents are no business of the list
        if _signs_in(data, member):
            kept.append(row)
        else:
            gone.append(row.pk)
    if gone:
        UserSession.objects.filter(pk__in=gone).delete()
    return kept


def _signs_in(session: dict, member) -> bool:
    """Whether a stored session signs this member in, as Django's ``get_user``
    decides (its member, a backend still configured, the password hash the
    session was made with, or a fallback key's), without reading them again."""
    session_hash = session.get(HASH_SESSION_KEY)
    if (
        str(session.get(SESSION_KEY)) != str(member.pk)
        or session.get(BACKEND_SESSION_KEY) not in settings.AUTHENTICATION_BACKENDS
        or not member.is_active
        or not session_hash
    ):
        return False
    hashes = [member.get_session_auth_hash(), *member.get_session_auth_fallback_hash()]
    return any(constant_time_compare(session_hash, known) for known in hashes)


def _stored_in_db(engine) -> bool:
    db_store = import_module("django.contrib.sessions.backends.db").SessionStore
    return issubclass(engine.SessionStore, db_store)


def clear_expired_sessions(now=None) -> dict[str, int]:
    """Delete the sessions that are over and allauth.usersessions' rows about
    them, so neither table keeps growing with every sign-in. {table: rows gone}.

    Django's sessions past their expiry (the absolute limit: SESSION_COOKIE_AGE
    after sign-in) go by the engine's own ``clear_expired``. A member's "signed
    in here" row goes once its session has gone (signed out, ended, expired), and
    in any case once it was last seen longer ago than a session can last.
    """
    now = now or timezone.now()
    engine = import_module(settings.SESSION_ENGINE)
    stored_in_db = _stored_in_db(engine)
    if stored_in_db:  # what the db engine's clear_expired does, counted
        gone = {"sessions": Session.objects.filter(expire_date__lt=now).delete()[0]}
    else:
        engine.SessionStore.clear_expired()
        gone = {"sessions": 0}  # the engine does not say

    too_old = now - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    deleted, _ = UserSession.objects.filter(last_seen_at__lt=too_old).delete()
    if stored_in_db:
        # One query: the rows whose session is no longer in the table.
        orphans, _ = UserSession.objects.exclude(
            session_key__in=Session.objects.values("session_key")
        ).delete()
    else:  # sessions elsewhere (a cache): ask the engine about each row
        orphans = sum(row.purge() for row in UserSession.objects.iterator())
    gone["user sessions"] = deleted + orphans
    return gone
