from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import ratelimit
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from portal import security

from .services import record_signup_details, tell_owner_of_lockout


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # Shown for any address typed, known or not, so it tells an attacker nothing.
        "too_many_login_attempts": (
            "This account has had too many failed sign-in attempts, so it is locked "
            "for a while. Try again in 15 minutes, or reset your password. We have "
            "told the account's owner by email."
        ),
    }

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        details = form.cleaned_data
        user.full_name = details["full_name"]
        user.job_title = details.get("job_title", "")
        user.organisation = details.get("organisation")
        user.member_type = details["member_type"]
        record_signup_details(user, email=user.email)
        if commit:
            user.save()
        return user

    def get_login_redirect_url(self, request):
        user = request.user
        if user.is_authenticated and not user.is_approved:
            return reverse("network:pending")
        return super().get_login_redirect_url(request)

    # --- Sign-in limits. Failures count per account (the address typed), in the
    # shared cache, so every worker sees the same count. Nothing counts per client
    # address: behind a council's proxy everyone shares one, and a member with the
    # right password must never be refused because someone else failed there.

    def _get_login_attempts_cache_key(self, request, **credentials):
        # allauth keys the count by the Host header too: each name the portal
        # answers to (or each app host reached by its own name) would count apart.
        login = credentials.get("email", credentials.get("username", ""))
        return f"signin:{login.strip().lower()}"

    def pre_authenticate(self, request, **credentials):
        try:
            super().pre_authenticate(request, **credentials)
        except Exception:
            security.log_event(
                "signin_refused_locked",
                request,
                email=credentials.get("email", ""),
            )
            raise

    def authentication_failed(self, request, **credentials):
        email = credentials.get("email", "")
        security.log_event("signin_failed", request, email=email)
        key = self._get_login_attempts_cache_key(request, **credentials)
        still_open = ratelimit.consume(
            request, action="login_failed", key=key, dry_run=True
        )
        # The failure that uses up the last try starts a lock-out: logged, and
        # its owner told once per lock-out (cache.add is atomic across workers).
        if not still_open and cache.add(
            f"lockout-told:{key}", True, settings.PORTAL_LOCKOUT_SECONDS
        ):
            security.log_event("account_locked", request, email=email)
            tell_owner_of_lockout(email, address=security.client_address(request))

    def login(self, request, user):
        super().login(request, user)
        security.log_event("signin", request, member=user)

    def logout(self, request):
        member = request.user if request.user.is_authenticated else None
        super().logout(request)
        security.log_event("signout", request, member=member)
