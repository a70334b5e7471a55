"""The member home: what matters to this member now, and the network at a glance.

The page below the greeting is cached per member, under every data version token
(kit/versions.py) and the member's own ``reading_token`` (which changes when they
watch or read a thread), and only until the first event it lists ends. Inside it,
two panels are shared and cached on their own: the network at a glance (the same
for everyone) and the new case studies (the same for members of one city with the
same expertise). So a member's second visit costs about what the reference page
does, and any change to what the page shows makes it again.
"""

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.safestring import SafeString

from casestudies.queries import recent_case_studies_for
from events.models import Event, Registration
from kit import parts, versions
from network.forums.queries import watched_threads_with_new_posts
from network.models import Member, Organisation
from training.queries import next_cohorts, progress_for

from .queries import achievements_by_city, network_at_a_glance

HOME_KEPT_AT_MOST = timedelta(hours=1)
# The soonest upcoming events kept in the shared cache; the member's own are added.
SOONEST_EVENTS = 20
# What the visitors' home lists of the public events and of the cohorts taking
# sign-ups.
PUBLIC_EVENTS = 5
PUBLIC_COHORTS = 5


def _events_for(member, tokens, limit: int) -> list[Event]:
    """Upcoming published events the member registered for first, then the soonest
    others: two small queries instead of testing every upcoming event for the
    member's registration."""
    now = timezone.now()
    registered = list(
        Event.objects.published()
        .upcoming(now)
        .filter(
            Exists(
                Registration.objects.active().filter(
                    event=OuterRef("pk"), member=member
                )
            )
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


def member_home_body(request) -> SafeString:
    """The member's home below the greeting (the part "home-body", this member's
    own), kept rendered while nothing it shows has changed."""
    member = request.user
    return parts.render(
        request,
        "home-body",
        member_id=member.pk,
        reading=member.reading_token,
        elected=member.is_elected_member,
    )


@parts.renders("home-body")
def _home_part(*, member_id, reading, elected, tokens) -> dict:
    member = Member.objects.select_related("organisation").get(pk=member_id)
    interests = sorted(member.expertise.values_list("name", flat=True))
    city_id = member.organisation.city_id if member.organisation_id else None
    events = _events_for(member, (tokens[versions.EVENTS],), limit=5)
    case_studies = parts.render(
        None, "home-case-studies", known=tokens, city_id=city_id, interests=interests
    )
    return {
        "member": member,  # their job title and council, under the people version
        "events": events,
        "case_studies_html": case_studies,
        "threads": watched_threads_with_new_posts(member, limit=5),
        "elected": elected,
        "training": progress_for(member) if elected else None,
        "glance_html": parts.render(None, "home-glance", known=tokens),
        # An event listed as upcoming leaves the list when it ends; and nothing
        # is kept longer than an hour, for any wording that depends on the date.
        "until": min(
            [event.ends_at for event in events] + [timezone.now() + HOME_KEPT_AT_MOST]
        ),
    }


@parts.renders("home-case-studies")
def _home_case_studies_part(*, city_id, interests) -> dict:
    return {
        "case_studies": recent_case_studies_for(
            None, limit=5, interests=interests, city_id=city_id
        )
    }


@parts.renders("home-glance")
def _home_glance_part() -> dict:
    return {"glance": network_at_a_glance()}


def public_home_body(request) -> SafeString:
    """The visitors' home below the heading: what the network has achieved per
    city, its next public events, the training programme and how to join.

    The same for every visitor and made of figures only (no member's name or
    address): the part "home-public", kept until the first event it lists ends
    or the first cohort starts (each then leaves its list by the clock alone),
    and at most an hour.
    """
    return parts.render(request, "home-public")


@parts.renders("home-public")
def _public_home_part() -> dict:
    now = timezone.now()
    events = list(Event.objects.public().upcoming(now)[:PUBLIC_EVENTS])
    cohorts = next_cohorts(PUBLIC_COHORTS)
    return {
        "achieved": achievements_by_city(),
        "events": events,
        "cohorts": cohorts,
        "council_count": Organisation.objects.councils().count(),
        "until": min(
            [event.ends_at for event in events]
            + [c.first_starts_at for c in cohorts if c.first_starts_at]
            + [now + HOME_KEPT_AT_MOST]
        ),
    }
