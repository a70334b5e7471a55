from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse

from kit.permissions import login_not_required
from network.models import Member
from training.services import resume_signup

from .accessibility import context as accessibility_statement
from .home import member_home_body, public_home_body
from .privacy import notice as privacy_notice
from .privacy.cookies import cookies as privacy_cookies
from .search import search  # noqa: F401 (portal/urls.py routes views.search)


@login_not_required
def home(request):
    """The public front page: what the network achieves, its public events, the
    training and how to join. Approved members go straight to their home."""
    if request.user.is_authenticated and request.user.is_approved:
        return redirect("portal:member_home")
    return render(request, "portal/home.html", {"body_html": public_home_body(request)})


def member_home(request):
    """What matters to this member now, and the network at a glance."""
    # Someone who registered from a training cohort's link goes back to it, once.
    resume_url = resume_signup(request.user)
    if resume_url:
        return redirect(resume_url)
    body = member_home_body(request)
    return render(request, "portal/member_home.html", {"body_html": body})


@login_not_required
def admin_login(request, extra_context=None):
    """Django admin's sign-in page, replaced: there is one way in, allauth's, with
    its rate limits, second factor and messages. Whatever is posted here is
    ignored; the browser is sent to the real sign-in page, then back to admin.
    (allauth's ``secure_admin_login`` still hands a signed-in member's POST to
    Django's form, which would sign them in as whoever they name, past that
    account's second factor.)"""
    next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_staff:
            return redirect("admin:index")
        # Signed in but not staff: the sign-in page would send them straight
        # back to admin, and admin here again.
        raise PermissionDenied
    return redirect_to_login(next_url)


@login_not_required
def about(request):
    return render(request, "portal/about.html")


@login_not_required
def privacy(request):
    return render(request, "portal/privacy.html", privacy_notice.context())


@login_not_required
def cookies(request):
    return render(request, "portal/cookies.html", {"cookies": privacy_cookies()})


@login_not_required
def accessibility(request):
    return render(request, "portal/accessibility.html", accessibility_statement())


def reference(request):
    """The benchmark's yardstick: one indexed query of 20 rows, a minimal template.

    Every page is measured as a ratio to this one, served by the same server in the
    same run (docs/performance.md).
    """
    members = (
        Member.objects.filter(approval_state=Member.Approval.APPROVED)
        .order_by("-date_joined")
        .values_list("full_name", "job_title")[:20]
    )
    return render(request, "portal/reference.html", {"members": members})
