"""Response headers every page carries: the strict CSP and Permissions-Policy, and
no-store for whatever a signed-in member sees."""

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """A strict CSP on every page: the portal's templates carry no inline scripts
    or styles. Django admin's own templates use a few style attributes, so admin
    pages alone allow inline styles. Beside it, a Permissions-Policy that turns
    off every browser feature the portal does not use (passkeys it does)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY
        self.admin_policy = self.policy.replace(
            "style-src 'self'", "style-src 'self' 'unsafe-inline'"
        )

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            admin = request.path.startswith("/admin/")
            response["Content-Security-Policy"] = (
                self.admin_policy if admin else self.policy
            )
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


NO_STORE = "no-store, private"
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


class PrivateResponseMiddleware:
    """What a signed-in member sees stays out of every cache, the browser's
    included (council PCs are shared): ``Cache-Control: no-store, private`` on
    every response to them and on every download, whoever asks. Pages for
    visitors keep whatever caching their views chose. Signing out (any way:
    allauth, admin, a timeout) also tells the browser to drop the portal's
    cache, cookies and storage."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        download = response.get("Content-Disposition", "").startswith("attachment")
        if signed_in or download or request.user.is_authenticated:
            response["Cache-Control"] = NO_STORE
            response.headers.pop("Expires", None)
        if getattr(request, "portal_signed_out", False):
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response


def mark_signed_out(sender, request, user, **kwargs):
    """Django's user_logged_out: the response to this request clears site data."""
    if request is not None:
        request.portal_signed_out = True
