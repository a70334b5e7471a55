import base64

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import ratelimit
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.cache import cache
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from kit import security
from kit.jobs import send_email
from kit.mail import send_templated_email

from .roles import must_use_second_factor
from .services import record_signup_details, tell_owner_of_lockout

# allauth's notices of a change to an account (sent when its EMAIL_NOTIFICATIONS
# is on, and by allauth.mfa) share one email, account/email/account_change.
ACCOUNT_CHANGES = {
    "password_changed": _("Your password was changed."),
    "password_set": _("A password was set for your account."),
    "password_reset": _("Your password was reset."),
    "email_changed": _("Your account's email address was changed."),
    "email_confirm": _("Your email address is confirmed."),
    "email_deleted": _("An email address was removed from your account."),
    "totp_activated": _("An authenticator app was set up as your second factor."),
    "totp_deactivated": _("The authenticator app was removed from your account."),
    "recovery_codes_generated": _("New recovery codes were made for your account."),
    "webauthn_added": _("A security key was added to your account."),
    "webauthn_removed": _("A security key was removed from your account."),
}


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # Shown for any address typed, known or not, so it tells an attacker nothing.
        "too_many_login_attempts": (
            _(
                "This account has had too many failed sign-in attempts, so it is locked "
                "for a while. Try again in 15 minutes, or reset your password. We have "
                "told the account's owner by email."
            )
        ),
    }

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        details = form.cleaned_data
        user.full_name = details["full_name"]
        user.job_title = details.get("job_title", "")
        user.organisation = details.get("organisation")
        user.member_type = details["member_type"]
        # The sign-up page showed this version of the privacy notice.
        user.privacy_notice_version = settings.PRIVACY_NOTICE_VERSION
        record_signup_details(user, email=user.email)
        if commit:
            user.save()
        return user

    # --- Email. allauth's emails use the portal's templates (account/email/), with
    # the network's name and links from SITE_URL rather than the request's host,
    # and go through the job queue like every other email: a slow or absent mail
    # server never holds a sign-up or a password reset.

    def send_mail(self, template_prefix, email, context):
        name = template_prefix.rsplit("/", 1)[-1]
        context = {"email": email, **context}
        context.pop("request", None)
        if name in ACCOUNT_CHANGES:
            context["change"] = ACCOUNT_CHANGES[name]
            name = "account_change"
        prefix = f"account/email/{name}"
        try:
            get_template(f"{prefix}_body.txt")
        except TemplateDoesNotExist:
            # An email of a newer allauth the portal has no words for yet: allauth's
            # own text, still queued.
            message = self.render_mail(template_prefix, email, context)
            send_email.defer(to=email, subject=message.subject, body=message.body)
            return
        send_templated_email(prefix, [email], context)

    def get_email_confirmation_url(self, request, emailconfirmation):
        return settings.SITE_URL + reverse(
            "account_confirm_email", args=[emailconfirmation.key]
        )

    def get_reset_password_from_key_url(self, key):
        # allauth's key is "<uidb36>-<key>"; its URL has the two as one segment.
        path = reverse(
            "account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"}
        )
        return settings.SITE_URL + path.replace("UID-KEY", key)

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


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": (
            _(
                "Your role in the network needs a second factor, so this one cannot be "
                "removed until you have added another (an authenticator app or a "
                "passkey)."
            )
        ),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """The last authenticator app or passkey of someone who must have a second
        factor stays (recovery codes alone are not one)."""
        if not must_use_second_factor(authenticator.user):
            return True
        others = Authenticator.objects.filter(
            user_id=authenticator.user_id,
            type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN],
        ).exclude(pk=authenticator.pk)
        return others.exists()

    # TOTP secrets and the recovery codes' seed are stored encrypted, with a key
    # derived from SECRET_KEY; a key in SECRET_KEY_FALLBACKS still decrypts, so
    # rotating SECRET_KEY the Django way keeps every second factor working.

    def encrypt(self, text: str) -> str:
        return _fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return _fernet().decrypt(encrypted_text.encode()).decode()


def _fernet() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(
                    salted_hmac(
                        "network.adapters.MFAAdapter",
                        "fernet",
                        secret=key,
                        algorithm="sha256",
                    ).digest()
                )
            )
            for key in keys
        ]
    )
