"""The coordinators' part of the audit trail (admins read it all in Django admin)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from .queries import events_for_coordinator, readable_actions

PER_PAGE = 50


def audit_trail(request):
    """For moderators, reviewers and certifiers (the Coordinators group): the
    decisions of their kind, by anyone; everyone else gets a 403."""
    if not readable_actions(request.user):
        raise PermissionDenied
    events = events_for_coordinator(request.user)
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "network/audit/audit_trail.html", {"page": page})
