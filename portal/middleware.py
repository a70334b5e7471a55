from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect

from network.roles import has_second_factor, must_use_second_factor


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


class SecondFactorRequiredMiddleware:
    """Staff, admins and coordinators (``network.roles.must_use_second_factor``)
    reach only the pages that set up a second factor until they have one: Django
    admin and every member or coordinator page send them there. Public pages, the
    second-factor pages (allauth's ``mfa_*``), re-authentication, the email page
    (a factor needs a verified address) and signing out stay open."""

    OPEN = {
        "account_logout",
        "account_reauthenticate",
        "account_email",
        "account_confirm_email",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or not getattr(view_func, "login_required", True):
            return None
        match = request.resolver_match
        name = match.url_name or ""
        if not match.namespace and (name in self.OPEN or name.startswith("mfa_")):
            return None
        if not must_use_second_factor(user) or has_second_factor(user):
            return None
        messages.warning(
            request,
            "Your role in the network lets you see other members' personal data, so "
            "your account needs a second factor. Set up an authenticator app or a "
            "passkey to continue.",
        )
        return redirect("mfa_index")


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
