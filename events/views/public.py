"""Public event pages, open to anyone without signing in."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from kit.permissions import login_not_required

from .. import queries
from ..models import Event
from .common import PER_PAGE


@login_not_required
def public_list(request):
    page = Paginator(queries.public_events(), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "events/public_list.html", {"page": page})


@login_not_required
def public_detail(request, pk):
    event = get_object_or_404(
        Event.objects.public().prefetch_related(
            "themes", "sessions__speakers__member__organisation"
        ),
        pk=pk,
    )
    return render(request, "events/public_detail.html", {"event": event})
