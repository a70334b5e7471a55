"""Reads for the people pages: the directory, search, "councils like me".

Only approved, active members are ever listed: pending, rejected and suspended
people are invisible here, whoever asks.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from taggit.models import Tag, TaggedItem

from network.models import City, Member, Organisation
from network.models.members import name_title_vector


def listed_members() -> QuerySet[Member]:
    """Approved members with what a card shows, ready to render without more queries."""
    return (
        Member.objects.approved()
        .select_related("organisation__city")
        .prefetch_related("expertise")
    )


def _tagged_members(tag: str) -> QuerySet:
    """Ids of members with this expertise tag, matched by name or slug."""
    ct = ContentType.objects.get_for_model(Member)
    return TaggedItem.objects.filter(
        Q(tag__name__iexact=tag) | Q(tag__slug=tag), content_type=ct
    ).values("object_id")


def list_members(
    *,
    q: str = "",
    city: City | None = None,
    organisation: Organisation | None = None,
    member_type: str = "",
    tag: str = "",
    expertise_slug: str = "",
) -> QuerySet[Member]:
    """Approved members who match the directory's filters, by name.

    ``q`` matches every word against the name or the job title, so "heat manager"
    finds "Low-carbon heat project manager".
    """
    members = listed_members()
    for word in q.split():
        members = members.filter(
            Q(full_name__icontains=word) | Q(job_title__icontains=word)
        )
    if city:
        members = members.filter(organisation__city=city)
    if organisation:
        members = members.filter(organisation=organisation)
    if member_type:
        members = members.filter(member_type=member_type)
    if tag:
        members = members.filter(pk__in=_tagged_members(tag.strip()))
    if expertise_slug:
        ct = ContentType.objects.get_for_model(Member)
        members = members.filter(
            pk__in=TaggedItem.objects.filter(
                content_type=ct, tag__slug=expertise_slug
            ).values("object_id")
        )
    return members.order_by("full_name", "pk")


def expertise_in_use(limit: int = 30) -> list[Tag]:
    """The expertise tags approved members use most, for the directory's suggestions."""
    ct = ContentType.objects.get_for_model(Member)
    approved = Member.objects.approved().values("pk")
    return list(
        Tag.objects.filter(
            taggit_taggeditem_items__content_type=ct,
            taggit_taggeditem_items__object_id__in=approved,
        )
        .annotate(uses=Count("taggit_taggeditem_items"))
        .order_by("-uses", "name")[:limit]
    )


# Search ranks a capped set of candidates, never every match: a broad query
# ("heat network") matches thousands of members, and reading and ranking them all
# costs far more than the page can afford. Each way of matching contributes at most
# this many candidates; it equals the search page's count cap (portal.queries), so
# "more than 1,000" stays true whenever one way alone matches that many.
SEARCH_CANDIDATES = 1000
# Name and job-title matches are ranked by full-text rank; this many at most.
# (Tiers other than this one leave the approval check to the outer query.)
SEARCH_RANKED = 100
EXPERTISE_BONUS = 0.3
ORGANISATION_BONUS = 0.2


class _IsAnyOf(Func):
    """``pk = ANY(ARRAY(subquery))``: the planner then fetches the few candidates
    by primary key instead of hashing them against every member."""

    arg_joiner = " = ANY(ARRAY("
    template = "%(expressions)s))"
    output_field = BooleanField()


def search_members(query: str, *, viewer) -> QuerySet[Member]:
    """``search_approved_members``, for an approved viewer only."""
    if not getattr(viewer, "is_approved", False):
        return Member.objects.none()
    return search_approved_members(query)


def search_approved_members(query: str) -> QuerySet[Member]:
    """Approved members matching ``query`` by full-text search, best first.

    Name matches first, then job title, then expertise tags, then organisation or
    city, then biography only (ties by name). Only approved members are found.

    The name, title and biography match through the stored ``search_vector``; a
    small name-and-title index finds those matches first; expertise tags and
    organisation/city names (small tables) are matched apart and OR'd in.
    """
    query = (query or "").strip()
    if not query:
        return Member.objects.none()
    search = SearchQuery(query, config="english", search_type="websearch")
    approved = Member.objects.approved()
    ct = ContentType.objects.get_for_model(Member)

    by_name_title = (
        approved.annotate(name_title=name_title_vector())
        .filter(name_title=search)
        .order_by()
        .values("pk")[:SEARCH_RANKED]
    )
    by_text = (approved.filter(search_vector=search).order_by().values("pk"))[
        :SEARCH_CANDIDATES
    ]
    tags = Tag.objects.annotate(vector=SearchVector("name", config="english")).filter(
        vector=search
    )
    by_tag = TaggedItem.objects.filter(
        content_type=ct,
        tag__in=tags,
        object_id__in=approved.values("pk"),
    ).values("object_id")[:SEARCH_CANDIDATES]
    organisations = Organisation.objects.annotate(
        vector=SearchVector("name", "city__name", config="english")
    ).filter(vector=search)
    by_organisation = (
        approved.filter(organisation__in=organisations).order_by().values("pk")
    )[:SEARCH_CANDIDATES]
    candidates = by_name_title.union(by_text, by_tag, by_organisation)

    rank = (
        Case(
            When(pk__in=by_name_title, then=SearchRank(F("search_vector"), search)),
            default=Value(0.0),
            output_field=FloatField(),
        )
        + Case(
            When(pk__in=by_tag, then=Value(EXPERTISE_BONUS)),
            default=Value(0.0),
            output_field=FloatField(),
        )
        + Case(
            When(organisation__in=organisations, then=Value(ORGANISATION_BONUS)),
            default=Value(0.0),
            output_field=FloatField(),
        )
    )
    return (
        listed_members()
        .filter(_IsAnyOf(F("pk"), Subquery(candidates)))
        .annotate(rank=rank)
        .order_by("-rank", "full_name", "pk")
    )


# --- Councils like me ---------------------------------------------------------

# The council characters on a line from most to least built-up, so "urban" is
# nearer "city" than "islands" is.
CHARACTER_SCALE = ["city", "urban", "mixed", "rural", "islands"]
WEIGHT_CITY = 0.3
WEIGHT_POPULATION = 0.4
WEIGHT_CHARACTER = 0.3


@dataclass
class SimilarCouncil:
    organisation: Organisation
    score: float
    reasons: list[str]

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def similarity(a: Organisation, b: Organisation) -> tuple[float, list[str]]:
    """How alike two councils are, from 0 (nothing alike) to 1 (the same facts).

    The score is the weighted sum of three measurable likenesses:

    * city (weight 0.3): 1 if both have a Scottish Cities Alliance city or both
      have none, else 0;
    * population (weight 0.4): the smaller population divided by the larger, so
      150k and 300k score 0.5;
    * character (weight 0.3): 1 for the same character, less 0.25 for each step
      apart on city – urban – mixed – rural – islands.

    A missing fact scores 0 for its part. Returns the score and the reasons, in
    words, that the two councils are alike.
    """
    reasons = []
    same_city_status = bool(a.city_id) == bool(b.city_id)
    city_part = 1.0 if same_city_status else 0.0
    if same_city_status:
        reasons.append("a city council" if a.city_id else "no city of its own")

    pop_part = 0.0
    if a.population_thousands and b.population_thousands:
        small, large = sorted([a.population_thousands, b.population_thousands])
        pop_part = small / large
        if pop_part >= 0.75:
            reasons.append(f"similar population ({b.population_thousands}k)")

    char_part = 0.0
    if a.character in CHARACTER_SCALE and b.character in CHARACTER_SCALE:
        steps = abs(
            CHARACTER_SCALE.index(a.character) - CHARACTER_SCALE.index(b.character)
        )
        char_part = 1 - steps / (len(CHARACTER_SCALE) - 1)
        if steps == 0:
            reasons.append(f"also {b.get_character_display().lower()}")

    score = (
        WEIGHT_CITY * city_part
        + WEIGHT_POPULATION * pop_part
        + WEIGHT_CHARACTER * char_part
    )
    return round(score, 4), reasons


def similar_councils(
    organisation: Organisation, limit: int = 5, councils=None
) -> list[SimilarCouncil]:
    """The councils most like this one, best first (ties by name).

    Each carries ``member_count``: the approved members it has in the network,
    counted for the ones shown only (one query over their few index rows, not a
    count for every council: 190 ms at scale). ``councils``, every council
    already read (this one may be among them), saves the query that reads them.
    """
    if organisation.kind != Organisation.Kind.COUNCIL:
        return []
    if councils is None:
        councils = Organisation.objects.councils()
    scored = []
    for other in councils:
        if other.pk == organisation.pk or other.kind != Organisation.Kind.COUNCIL:
            continue
        score, reasons = similarity(organisation, other)
        scored.append(SimilarCouncil(other, score, reasons))
    scored.sort(key=lambda s: (-s.score, s.organisation.name))
    shown = scored[:limit]
    counts = (
        dict(
            Member.objects.filter(
                organisation__in=[s.organisation.pk for s in shown],
                approval_state=Member.Approval.APPROVED,
                is_active=True,
            )
            .order_by()
            .values("organisation")
            .annotate(n=Count("*"))
            .values_list("organisation", "n")
        )
        if shown
        else {}
    )
    for s in shown:
        s.organisation.member_count = counts.get(s.organisation.pk, 0)
    return shown


def council_members(organisation: Organisation) -> QuerySet[Member]:
    return (
        listed_members().filter(organisation=organisation).order_by("full_name", "pk")
    )
