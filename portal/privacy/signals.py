from django.contrib.auth.signals import user_logged_in

from network.models import Member


def _signed_in(sender, user, **kwargs):
    """Signing in answers the inactivity warning: the account stays."""
    if getattr(user, "inactivity_warned_at", None):
        Member.objects.filter(pk=user.pk).update(inactivity_warned_at=None)


def connect():
    user_logged_in.connect(_signed_in, dispatch_uid="privacy-signed-in")
