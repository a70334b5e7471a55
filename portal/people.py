"""A member's profile, "ask the officer who did it" and a council's page.

Each shows what people did across the network: case studies, talks, posts and
training figures. They compose the apps' own query functions (who may see what
stays those apps' rule), so they live here on the top floor; network/ keeps the
pages that need only its own data (the directory, profile editing, settings).
Their addresses stay under /network/ where members bookmarked them.
"""

from django.core.paginator import Paginator
from django.db.models import Q, Value
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from casestudies.queries import (
    case_studies_by,
    case_studies_for_organisation,
    count_for_organisation,
    members_for_topic,
)
from events.queries import speakers_for_topic, talks_by, talks_by_members_of
from kit import parts, versions
from network.forums.queries import recent_posts_by, thread_starters_for_topic
from network.models import Member, Organisation, PolicyDriver, Theme
from network.models.forums import can_moderate
from network.people.queries import (
    council_members,
    expertise_in_use,
    list_members,
    listed_members,
    similar_councils,
)
from training.queries import council_figures

from .forms import TopicForm

# --- Reads ----------------------------------------------------------------------

FIGURE_LABELS = {
    "councillors": _("Councillors (seats)"),
    "enrolled": _("Enrolled in Carbon Literacy training"),
    "trained": _("Completed the training"),
    "evidence_sent": _("Sent their evidence"),
    "certified": _("Certified carbon literate"),
    "certified_percent": _("Councillors certified (%)"),
    "pledges": _("Pledges made"),
    "pledges_done": _("Pledges done"),
}


def _labelled(figures: dict) -> list[tuple[str, object]]:
    """(label, value) rows in words; a key without a label reads as words too."""
    return [
        (FIGURE_LABELS.get(key) or str(key).replace("_", " ").capitalize(), value)
        for key, value in figures.items()
    ]


def _approved_only(members, limit: int = 20) -> list[Member]:
    """Keep the approved ones, ready for member cards without more queries."""
    members = members.select_related("organisation__city").prefetch_related(
        "expertise"
    )[:limit]
    return [m for m in members if m.is_approved][:limit]


def member_contributions(member, *, moderator: bool, limit: int = 10) -> dict:
    """Case studies, talks and the recent posts a moderator, or any member, may
    see, for a profile."""
    return {
        "case_studies": list(case_studies_by(member)[:limit]),
        "talks": list(talks_by(member)[:limit]),
        "posts": recent_posts_by(member, moderator=moderator, limit=5),
    }


def topic_members(*, theme=None, tag=None, driver=None) -> dict:
    """Approved members who wrote or lead case studies on a topic, its speakers
    and (for a theme or a driver) who started its discussions."""
    # Both apps match a tag by its slug; a typed "Heat pumps" means heat-pumps.
    tag = slugify(tag) if tag else None
    found = {
        "authors": _approved_only(
            members_for_topic(theme=theme, tag=tag, driver=driver)
        ),
        "speakers": _approved_only(
            speakers_for_topic(theme=theme, tag=tag, driver=driver)
        ),
    }
    if theme is not None or driver is not None:
        found["thread_starters"] = _approved_only(
            thread_starters_for_topic(theme=theme, driver=driver)
        )
    return found


def council_talks(organisation, *, limit: int = 10) -> list:
    """Talks the council's approved members gave, latest first."""
    return list(talks_by_members_of(organisation)[:limit])


def council_contributions(organisation, *, limit: int = 10) -> dict:
    """A council's case studies and its members' talks; a council's training too."""
    case_studies = case_studies_for_organisation(organisation)
    is_council = organisation.kind == Organisation.Kind.COUNCIL
    return {
        "talks": council_talks(organisation, limit=limit),
        "case_studies": list(case_studies[:limit]),
        "case_study_count": count_for_organisation(organisation),
        # A partner body has no councillors to train: no figures, no section.
        "training_figures": (
            _labelled(council_figures(organisation)) if is_council else None
        ),
    }


def shared_by(organisations, limit: int = 3) -> dict[int, list]:
    """{organisation id: its latest published case studies} for a few similar
    councils, in one query (a UNION of each one's latest) rather than one each."""
    latest = [
        case_studies_for_organisation(organisation).annotate(
            shared_by_id=Value(organisation.pk)
        )[:limit]
        for organisation in organisations
    ]
    found = {organisation.pk: [] for organisation in organisations}
    if latest:
        rows = latest[0].union(*latest[1:], all=True) if len(latest) > 1 else latest[0]
        for case_study in rows:
            found[case_study.shared_by_id].append(case_study)
    # Each council's own order (newest first): a UNION keeps no order.
    for shared in found.values():
        shared.sort(key=lambda case_study: case_study.published_at, reverse=True)
    return found


# --- Pages ----------------------------------------------------------------------


def profile(request, pk):
    """The profile is the same for every reader but for the owner's edit link and
    the posts a moderator may see in the back room: the part "people-profile",
    keyed by the member and by whether the reader moderates."""
    viewer = request.user
    shown = parts.get(
        request, "people-profile", member_id=pk, moderator=can_moderate(viewer)
    )
    if shown is None:
        raise Http404("No such member.")
    head, body = shown.pieces
    context = {
        "title": shown.kept["title"],
        "head": head,
        "body": body,
        "is_self": pk == viewer.pk,
        "member_pk": pk,
        "show_email": viewer.show_email,
    }
    return render(request, "portal/people/profile.html", context)


@parts.renders("people-profile")
def _profile_part(*, member_id, moderator) -> dict | None:
    # Pending, rejected and suspended members have no profile to anyone.
    member = listed_members().filter(pk=member_id).first()
    if member is None:
        return None
    return {
        "member": member,
        "title": member.full_name,
        **member_contributions(member, moderator=moderator),
    }


def topic(request, theme_slug=None):
    """Ask the officer who did it: who wrote, leads or spoke about a theme, a
    policy driver (``?driver=``) or a tag (``?tag=``)."""
    theme = get_object_or_404(Theme, slug=theme_slug) if theme_slug else None
    driver_slug = "" if theme else request.GET.get("driver", "").strip()[:60]
    driver = get_object_or_404(PolicyDriver, slug=driver_slug) if driver_slug else None
    tag = "" if theme or driver else request.GET.get("tag", "").strip()[:100]
    context = {
        "theme": theme,
        "driver": driver,
        "tag": tag,
        "themes": Theme.objects.all(),
        "drivers": PolicyDriver.objects.all(),
    }
    if theme or driver or tag:
        context["people"] = parts.render(
            request,
            "people-topic",
            theme_id=theme and theme.pk,
            driver_id=driver and driver.pk,
            tag=tag,
        )
    else:
        context["popular_tags"] = popular_expertise()
        context["topic_form"] = TopicForm()
    return render(request, "portal/people/topic.html", context)


@parts.renders("people-topic")
def _topic_part(*, theme_id, driver_id, tag) -> dict:
    theme = Theme.objects.filter(pk=theme_id).first() if theme_id else None
    driver = PolicyDriver.objects.filter(pk=driver_id).first() if driver_id else None
    return topic_people(theme=theme, driver=driver, tag=tag)


def popular_expertise() -> list:
    """The expertise tags approved members use most, for the topic page with no
    topic: one count over every member's expertise, kept until people change."""
    return versions.cached(
        "people:popular-expertise", versions.tokens(versions.PEOPLE), expertise_in_use
    )


def topic_people(*, theme=None, driver=None, tag="") -> dict:
    """Everything the topic page lists about people, for its cached part."""
    found = {
        "theme": theme,
        "driver": driver,
        **topic_members(theme=theme, tag=tag or None, driver=driver),
    }
    if theme or tag:
        # Members who list it as expertise, so the page helps even before anyone
        # has written about it: a theme matches the expertise tag of its slug
        # (taggit's unique index), never by comparing names.
        experts = (
            list_members(expertise_slug=theme.slug) if theme else list_members(tag=tag)
        )
        found["experts"] = list(experts[:20])
    return found


def council(request, slug):
    """A council's page: the part "people-council" (its header, and below it a
    page of its members, its case studies, talks, training figures and the
    councils like it), the same for every reader, keyed by the council and the
    page; between the two, the link to its PBCCD table for its own members and
    coordinators."""
    # No slug is longer than the field (200): one that is names no organisation.
    shown = len(slug) <= 200 and parts.get(
        request,
        "people-council",
        slug=slug,
        page=request.GET.get("page", "1")[:10],
    )
    if not shown:
        raise Http404("No such organisation.")
    head, body = shown.pieces
    context = {
        "title": shown.kept["title"],
        "council_id": shown.kept["council_id"],
        "slug": slug,
        "head": head,
        "body": body,
    }
    return render(request, "portal/people/council.html", context)


@parts.renders("people-council")
def _council_part(*, slug, page) -> dict | None:
    # This organisation and every council (to find the ones like it), in one read.
    read = list(
        Organisation.objects.select_related("city").filter(
            Q(slug=slug) | Q(kind=Organisation.Kind.COUNCIL)
        )
    )
    organisation = next((o for o in read if o.slug == slug), None)
    if organisation is None:
        return None
    members = Paginator(council_members(organisation), 20).get_page(page)
    similar = similar_councils(organisation, councils=read)
    shared = shared_by([other.organisation for other in similar])
    for other in similar:
        other.shared = shared[other.organisation.pk]
    is_council = organisation.kind == Organisation.Kind.COUNCIL
    return {
        "organisation": organisation,
        "title": organisation.name,
        # For the reader's own link to the PBCCD table, outside the part.
        "council_id": organisation.pk if is_council else None,
        "page": members,
        # Page links carry the page only: the same for everyone who shares it.
        "query": "",
        "similar": similar,
        **council_contributions(organisation),
    }
