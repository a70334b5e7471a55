"""CSV exports of an event's registrations, for its coordinators."""

import csv

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kit.csv import csv_safe

from .. import queries
from ..models import Event
from .common import manage_required


def _csv_response(filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Names and addresses, perhaps health data: never kept by a browser or proxy.
    response["Cache-Control"] = "no-store"
    return response


@manage_required
def registration_csv(request, pk):
    """Who registered, without their needs: those leave only in ``needs_csv``."""
    event = get_object_or_404(Event, pk=pk)
    response = _csv_response(f"event-{event.pk}-registrations.csv")
    writer = csv.writer(response)
    writer.writerow(
        [
            "Name",
            "Email",
            "Organisation",
            "Job title",
            "Status",
            "Registered (UK time)",
            "Attended",
        ]
    )
    for r in queries.registrations_for_event(event).iterator():
        member = r.member
        writer.writerow(
            csv_safe(value)
            for value in [
                member.full_name,
                member.email,
                member.organisation.name if member.organisation_id else "",
                member.job_title,
                r.get_status_display(),
                timezone.localtime(r.registered_at).strftime("%Y-%m-%d %H:%M"),
                "yes" if r.attended else "no",
            ]
        )
    return response


@manage_required
def needs_csv(request, pk):
    """Confirmed registrants' access and dietary needs, for the venue or caterer:
    only for the coordinators running the event, and only the names and needs."""
    event = get_object_or_404(Event, pk=pk)
    if not event.shows_needs_to(request.user):
        raise PermissionDenied("Only the coordinators running this event see needs.")
    response = _csv_response(f"event-{event.pk}-needs.csv")
    response.write("\ufeff")  # so spreadsheet programs read it as UTF-8
    writer = csv.writer(response)
    writer.writerow(["Name", "Access needs", "Dietary needs"])
    for r in queries.needs_for_event(event).iterator():
        writer.writerow(
            csv_safe(value)
            for value in [r.member.full_name, r.access_needs, r.dietary_needs]
        )
    return response
