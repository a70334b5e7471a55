"""What the event views share: the coordinators' permission, the page size and
the lookup of an event the reader may see."""

from datetime import timedelta

from django.shortcuts import get_object_or_404

from kit.permissions import permission_required_403

from ..models import MANAGE_PERMISSION, Event

manage_required = permission_required_403(MANAGE_PERMISSION)
PER_PAGE = 20


def visible_event(request, pk) -> Event:
    return get_object_or_404(Event.objects.visible_to(request.user), pk=pk)


def one_day():
    return timedelta(days=1)
