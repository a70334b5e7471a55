"""Policy drivers: what the network did under each duty, strategy or plan.

A driver's page gathers case studies, events and threads, so it lives on the
top floor; each app's query decides what may be seen. For approved members,
like every member page (the access middleware's default).
"""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from casestudies.models import CaseStudy
from casestudies.queries import case_studies_for_driver, driver_figures
from events.queries import events_for_driver
from network.forums.queries import threads_for_driver
from network.models import PolicyDriver
from network.models.forums import can_moderate

PER_PAGE = 20
# The driver page lists this many of the latest events and threads; the case
# studies, the network's record under the driver, are paginated.
RECENT = 10


def list_drivers() -> list[PolicyDriver]:
    """Every driver with how many published case studies name it (one query)."""
    published = Q(case_studies__status=CaseStudy.Status.PUBLISHED)
    return list(
        PolicyDriver.objects.annotate(case_study_count=Count("case_studies", published))
    )


def driver_list(request):
    return render(
        request, "portal/drivers/driver_list.html", {"drivers": list_drivers()}
    )


def driver_detail(request, slug):
    driver = get_object_or_404(PolicyDriver, slug=slug)
    page = Paginator(case_studies_for_driver(driver), PER_PAGE).get_page(
        request.GET.get("page")
    )
    threads = threads_for_driver(driver, moderator=can_moderate(request.user))
    context = {
        "driver": driver,
        "page": page,
        "events": list(events_for_driver(driver)[:RECENT]),
        "threads": list(threads[:RECENT]),
        **driver_figures(driver),
    }
    return render(request, "portal/drivers/driver_detail.html", context)
