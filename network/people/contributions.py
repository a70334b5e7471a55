"""What members and councils did in the network, from the feature apps' own queries.

network/ is the ground floor and does not import the feature apps. The people
pages still show case studies, talks, posts and training figures, so they look up
the query functions those apps agreed to publish, by name, in this one place. A
function that does not exist (its app not built yet, or not installed) makes its
section simply absent; nothing here reimplements another app's rules.
"""

import operator
from functools import cache, reduce

from django.apps import apps
from django.db.models import QuerySet
from django.utils.module_loading import import_string
from django.utils.text import slugify

from network.models import Member

# The agreed cross-app query functions the people pages compose.
CASE_STUDIES_BY = "casestudies.queries.case_studies_by"
CASE_STUDIES_FOR_ORGANISATION = "casestudies.queries.case_studies_for_organisation"
MEMBERS_FOR_TOPIC = "casestudies.queries.members_for_topic"
TALKS_BY = "events.queries.talks_by"
SPEAKERS_FOR_TOPIC = "events.queries.speakers_for_topic"
RECENT_POSTS_BY = "network.forums.queries.recent_posts_by"
COUNCIL_FIGURES = "training.queries.council_figures"


@cache
def agreed(dotted_path: str):
    """The function at ``dotted_path``, or None while its app does not provide it."""
    app_label = dotted_path.split(".")[0]
    if not apps.is_installed(app_label):
        return None
    try:
        return import_string(dotted_path)
    except ImportError:
        return None


def _call(dotted_path, *args, **kwargs):
    function = agreed(dotted_path)
    return None if function is None else function(*args, **kwargs)


def _count(items):
    if items is None:
        return None
    return items.count() if isinstance(items, QuerySet) else len(items)


FIGURE_LABELS = {
    "councillors": "Councillors (seats)",
    "enrolled": "Enrolled in Carbon Literacy training",
    "trained": "Completed the training",
    "evidence_sent": "Sent their evidence",
    "certified": "Certified carbon literate",
    "certified_percent": "Councillors certified (%)",
    "pledges": "Pledges made",
    "pledges_done": "Pledges done",
}


def _labelled(figures: dict) -> list[tuple[str, object]]:
    """(label, value) rows in words; a key without a label reads as words too."""
    return [
        (FIGURE_LABELS.get(key) or str(key).replace("_", " ").capitalize(), value)
        for key, value in figures.items()
    ]


def _approved_only(members, limit: int = 20):
    """Keep the approved ones, ready for member cards without more queries."""
    if isinstance(members, QuerySet):
        members = members.select_related("organisation__city").prefetch_related(
            "expertise"
        )[:limit]
    return [m for m in members if m.is_approved][:limit]


def member_contributions(member, *, viewer, limit: int = 10) -> dict:
    """Case studies, talks and recent posts for a profile; None for a missing app."""
    case_studies = _call(CASE_STUDIES_BY, member)
    talks = _call(TALKS_BY, member)
    posts = _call(RECENT_POSTS_BY, member, viewer=viewer, limit=5)
    return {
        "case_studies": None if case_studies is None else list(case_studies[:limit]),
        "talks": None if talks is None else list(talks[:limit]),
        "posts": None if posts is None else list(posts),
    }


def topic_members(*, theme=None, tag=None) -> dict:
    """Approved members who wrote or lead case studies on a topic, and its speakers.

    Each value is None while the app that knows it is missing.
    """
    # Both apps match a tag by its slug; a typed "Heat pumps" means heat-pumps.
    tag = slugify(tag) if tag else None
    authors = _call(MEMBERS_FOR_TOPIC, theme=theme, tag=tag)
    speakers = _call(SPEAKERS_FOR_TOPIC, theme=theme, tag=tag)
    return {
        "authors": None if authors is None else _approved_only(authors),
        "speakers": None if speakers is None else _approved_only(speakers),
    }


def council_talks(organisation, *, limit: int = 10):
    """Talks the council's approved members gave, latest first, in one query.

    events/ publishes ``talks_by(member)``; OR-ing those lazy QuerySets together
    asks the database once for the whole council instead of once per member.
    """
    talks_by = agreed(TALKS_BY)
    if talks_by is None:
        return None
    members = list(
        Member.objects.approved()
        .filter(organisation=organisation)
        .only("pk")
        .order_by()
    )
    if not members:
        return []
    return list(reduce(operator.or_, (talks_by(m) for m in members))[:limit])


def council_contributions(organisation, *, limit: int = 10) -> dict:
    """A council's case studies, talks and training figures; None for a missing app."""
    case_studies = _call(CASE_STUDIES_FOR_ORGANISATION, organisation)
    is_council = organisation.kind == organisation.Kind.COUNCIL
    figures = _call(COUNCIL_FIGURES, organisation) if is_council else None
    return {
        "talks": council_talks(organisation, limit=limit),
        "case_studies": None if case_studies is None else list(case_studies[:limit]),
        "case_study_count": _count(case_studies),
        "training_figures": None if figures is None else _labelled(figures),
    }


def shared_by(organisation, limit: int = 3):
    """A similar council's latest case studies, or None while that app is missing."""
    case_studies = _call(CASE_STUDIES_FOR_ORGANISATION, organisation)
    return None if case_studies is None else list(case_studies[:limit])
