"""A database that does not answer gives every page a 503 with Retry-After and the
branded page, never a traceback or a 500. Django connects again on the next request
(CONN_HEALTH_CHECKS), so the portal recovers by itself when the database is back.

Exceptions from a view (or its template) arrive in ``process_exception``. Those raised
in other middleware (the session or the signed-in member, read before any view) have
already become a 500 response when they pass here; the ``got_request_exception``
signal marks the request so ``__call__`` swaps that response for the 503."""

import logging
import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

logger = logging.getLogger("portal.outage")

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unavailable_response() -> HttpResponse:
    # A plain template render: no request, so no context processor reads the database.
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _mark_database_outage(sender, request=None, **kwargs):
    if request is not None and isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        request.database_unavailable = True


got_request_exception.connect(_mark_database_outage, dispatch_uid="portal.outage")


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "database_unavailable", False):
            return database_unavailable_response()
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.warning("Database unavailable for %s: %s", request.path, exception)
            return database_unavailable_response()
        return None
