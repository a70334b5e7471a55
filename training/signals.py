"""Remember the cohort someone registered from, so approval brings them back."""

from allauth.account.signals import user_signed_up
from django.dispatch import receiver
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

from .models import Cohort
from .services import remember_signup_intent


def cohort_from_next(url: str) -> Cohort | None:
    """The cohort a sign-up link's ?next= points at (training:join), if any."""
    if not url or not url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return None
    try:
        match = resolve(url.split("?")[0])
    except Resolver404:
        return None
    if match.view_name != "training:join":
        return None
    return Cohort.objects.filter(pk=match.kwargs["pk"]).first()


@receiver(user_signed_up, dispatch_uid="training_remember_signup_intent")
def remember_cohort(sender, request, user, **kwargs):
    if request is None:
        return
    if not user.is_elected_member:
        return  # only elected members take the training: nothing to come back to
    url = request.POST.get("next") or request.GET.get("next") or ""
    cohort = cohort_from_next(url)
    if cohort is not None:
        remember_signup_intent(user, cohort)
