"""The portal's own 500 page. Django renders 400 and 500 from the template alone and
403 and 404 with the request's context; every error template extends
errors/_layout.html, which needs no context, so each renders whatever broke.

The 500 handler goes one step further than Django's: a page that cannot be made (a
static file missing from the manifest, say) still answers with a plain page, never a
second traceback."""

import logging

from django.http import HttpResponseServerError
from django.template import loader

logger = logging.getLogger("portal.errors")

PLAIN_500 = (
    '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
    "<title>Sorry, there is a problem with the portal</title></head><body><main>"
    "<h1>Sorry, there is a problem with the portal</h1>"
    "<p>Please try again in a few minutes.</p></main></body></html>"
)


def server_error(request):
    """No request context: no context processor runs, so nothing reads the
    database or the signed-in member while the page is made."""
    try:
        body = loader.render_to_string("500.html")
    except Exception:
        logger.exception("The 500 page could not be rendered")
        body = PLAIN_500
    response = HttpResponseServerError(body)
    response["Cache-Control"] = "no-store"
    return response
