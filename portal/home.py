"""The member home: what matters to this member now, and the network at a glance.

Two of its panels are the same for many members and are cached as HTML under the
data version tokens (portal/versions.py): the network at a glance (the same for
everyone) and the new case studies (the same for members of one city with the same
expertise). The member's events, watched threads and training are their own and
read fresh, each with one small indexed query.
"""

from django.template.loader import render_to_string
from django.utils import timezone

from casestudies.queries import recent_case_studies_for
from events.models import Event
from network.forums.queries import watched_threads_with_new_posts
from training.queries import progress_for

from . import versions
from .queries import network_at_a_glance

# The soonest upcoming events kept in the shared cache; the member's own are added.
SOONEST_EVENTS = 20


def _events_for(member, tokens, limit: int) -> list[Event]:
    """Upcoming published events the member registered for first, then the soonest
    others: two small queries instead of testing every upcoming event for the
    member's registration."""
    now = timezone.now()
    registered = list(
        Event.objects.published()
        .upcoming(now)
        .filter(
            registrations__member=member,
            registrations__status__in=["confirmed", "waiting"],
        )
        .order_by("starts_at", "pk")[:limit]
    )
    for event in registered:
        event.is_registered = True
    soonest = versions.cached(
        "home:soonest-events",
        tokens,
        lambda: list(Event.objects.published().upcoming(now)[:SOONEST_EVENTS]),
    )
    mine = {event.pk for event in registered}
    # An event cached as upcoming may have ended since; skip it.
    others = [e for e in soonest if e.pk not in mine and e.ends_at >= now]
    if len(others) < limit - len(registered) and len(soonest) == SOONEST_EVENTS:
        others = list(
            Event.objects.published().upcoming(now).exclude(pk__in=mine)[:limit]
        )
    return (registered + others)[:limit]


def member_home_context(request) -> dict:
    member = request.user
    catalogue, events, people = versions.tokens(
        versions.CATALOGUE, versions.EVENTS, versions.PEOPLE
    )
    interests = sorted(member.expertise.values_list("name", flat=True))
    city_id = member.organisation.city_id if member.organisation_id else None
    case_studies = versions.cached_html(
        request,
        "home:case-studies",
        (catalogue,),
        lambda: render_to_string(
            "portal/includes/_home_case_studies.html",
            {
                "case_studies": recent_case_studies_for(
                    member, limit=5, interests=interests, city_id=city_id
                )
            },
        ),
        city=city_id,
        interests=interests,
    )
    glance = versions.cached_html(
        request,
        "home:glance",
        (catalogue, people),
        lambda: render_to_string(
            "portal/includes/_home_glance.html", {"glance": network_at_a_glance()}
        ),
    )
    return {
        "events": _events_for(member, (events,), limit=5),
        "case_studies_html": case_studies,
        "threads": watched_threads_with_new_posts(member, limit=5),
        "training": progress_for(member) if member.is_elected_member else None,
        "glance_html": glance,
    }
