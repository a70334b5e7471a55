"""The member's own data-protection pages: erase my account, export my data."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kit.permissions import approval_not_required, login_not_required

from . import services
from .export import downloadable


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


@reauthentication_required
@require_http_methods(["GET", "POST"])
def export(request):
    """Asks for a copy of the member's data; a job builds it and emails the link."""
    if request.method == "POST":
        services.request_export(request.user)
        messages.success(
            request,
            _("We are making a copy of your data and will email you a link to it."),
        )
        return redirect("network:settings")
    return render(request, "privacy/export_request.html")


# The banner asks pending members too; the notice itself is public.
@approval_not_required
@require_POST
def notice_read(request):
    """Dismisses the "our privacy notice has changed" banner for this version."""
    services.record_notice_read(request.user)
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("portal:privacy")


@never_cache
def export_download(request, token):
    """Only the member it was made for, signed in, once, within 7 days."""
    data_export = downloadable(request.user, token)
    if data_export is None:
        raise Http404("This link has been used, has expired or is not yours.")
    services.mark_downloaded(data_export)
    response = FileResponse(
        data_export.file.open("rb"),
        as_attachment=True,
        filename="net-zero-network-data.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "no-store"
    return response
