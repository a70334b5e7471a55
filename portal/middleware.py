from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect


class ApprovedMemberMiddleware:
    """Default-deny: a view needs an approved member unless it is marked public
    (``login_not_required``) or open to waiting members (``approval_not_required``).

    Django admin keeps its own checks (staff only), and its login page is public.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True):
            return None
        match = request.resolver_match
        if match and match.app_name == "admin":
            return None
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not getattr(view_func, "approval_required", True):
            return None
        if not user.is_approved:
            return redirect("network:pending")
        return None


class ContentSecurityPolicyMiddleware:
    """A strict CSP on every page: the portal's templates carry no inline scripts
    or styles. Django admin's own templates use a few style attributes, so admin
    pages alone allow inline styles."""

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
        return response
