"""The access policy: who may open which view (default-deny), and the second
factor that privileged members must have before anything else opens."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from network.models import Member
from network.roles import has_second_factor, must_use_second_factor

SUSPENDED = Member.Approval.SUSPENDED
# A suspended member reaches the page that says so, signing out, and the
# language switch (to read that page in Gaelic).
SUSPENDED_MEMBER_VIEWS = {"network:pending", "account_logout", "set_language"}


class ApprovedMemberMiddleware:
    """Default-deny: a view needs an approved member unless it is marked public
    (``login_not_required``) or open to waiting members (``approval_not_required``).

    Django admin keeps its own checks (staff only), and its login page is public.
    A suspended member reaches only the page that says so (and signing out).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True):
            return None
        match = request.resolver_match
        user = request.user
        suspended = user.is_authenticated and user.approval_state == SUSPENDED
        if suspended and match and match.view_name not in SUSPENDED_MEMBER_VIEWS:
            # Not even their account pages, nor Django admin if they were staff.
            return redirect("network:pending")
        if match and match.app_name == "admin":
            return None
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
        if user.approval_state == SUSPENDED and name == "pending":
            return None  # the page that says they are suspended: all they reach
        messages.warning(
            request,
            _(
                "Your role in the network lets you see other members' personal data, so "
                "your account needs a second factor. Set up an authenticator app or a "
                "passkey to continue."
            ),
        )
        return redirect("mfa_index")
