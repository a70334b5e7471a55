"""The member's own data-protection pages: erase my account, export my data."""

from allauth.account.decorators import reauthentication_required
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from portal.permissions import approval_not_required, login_not_required

from . import services


# Pending and refused members may erase themselves too.
@approval_not_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def erase(request):
    """Says what erasure keeps and removes; the POST asks for it."""
    if request.method == "POST":
        services.request_erasure(request.user)
        logout(request)
        return redirect("privacy:erased")
    return render(request, "privacy/erase_confirm.html")


@login_not_required
def erased(request):
    return render(request, "privacy/erased.html")
