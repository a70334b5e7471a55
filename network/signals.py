from allauth.account.signals import email_confirmed
from django.dispatch import receiver

from .services import notify_approvers


@receiver(email_confirmed)
def tell_approvers_once_verified(request, email_address, **kwargs):
    """Only a verified address puts someone in the approval queue."""
    if email_address.primary:
        notify_approvers(email_address.user)
