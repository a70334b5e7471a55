"""Reads the case-study pages (and other apps' pages) need. Every function returns
only what may be seen: published case studies unless a viewer is given."""

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear

from network.models import Member, Organisation, Theme

from .models import CaseStudy

# Sentinels that cannot occur in Markdown source; the view escapes the snippet, then
# turns these into <mark> tags, so a member's text never becomes HTML.
MARK_START = "\x02"
MARK_END = "\x03"

FACETS = ("city", "council", "theme", "tag", "stage", "year")


def _search_query(text: str) -> SearchQuery:
    # websearch syntax: quotes for phrases, "or", "-word"; stemmed by the english
    # config, so "heating" finds "heat"; never a syntax error for odd input.
    return SearchQuery(text, config="english", search_type="websearch")


def _apply_filters(
    case_studies: QuerySet,
    *,
    q: str = "",
    city: str = "",
    council: str = "",
    theme: str = "",
    tag: str = "",
    stage: str = "",
    year: int | None = None,
    **_ignored,
) -> QuerySet:
    if q:
        case_studies = case_studies.filter(search_vector=_search_query(q))
    if city:
        case_studies = case_studies.filter(city__slug=city)
    if council:
        case_studies = case_studies.filter(organisation__slug=council)
    if theme:
        case_studies = case_studies.filter(themes__slug=theme)
    if tag:
        case_studies = case_studies.filter(tags__slug=tag)
    if stage:
        case_studies = case_studies.filter(stage=stage)
    if year:
        case_studies = case_studies.filter(start_date__year=year)
    return case_studies


def list_case_studies(*, q: str = "", sort: str = "", **filters) -> QuerySet[CaseStudy]:
    """Published case studies matching every filter, newest first or, when
    searching, most relevant first; each with the values the list shows."""
    case_studies = _apply_filters(CaseStudy.objects.published(), q=q, **filters)
    case_studies = case_studies.select_related("city", "organisation").only(
        "pk",
        "title",
        "summary",
        "stage",
        "start_date",
        "published_at",
        "emissions_saved",
        "emissions_confidence",
        "capital_cost",
        "revenue_cost",
        "city__name",
        "organisation__name",
    )
    if q:
        query = _search_query(q)
        case_studies = case_studies.annotate(
            rank=SearchRank(F("search_vector"), query),
            snippet=SearchHeadline(
                "body",
                query,
                config="english",
                start_sel=MARK_START,
                stop_sel=MARK_END,
                max_words=30,
                min_words=12,
            ),
        )
    if q and sort != "newest":
        case_studies = case_studies.order_by("-rank", "-published_at", "-pk")
    else:
        case_studies = case_studies.order_by("-published_at", "-pk")
    return case_studies.prefetch_related("themes")


def facet_counts(**filters) -> dict[str, list[tuple[str, str, int]]]:
    """For each facet, (value, label, count) choices: how many published case
    studies each choice would give together with the other filters. One aggregate
    query per facet, whatever the data size."""
    base = CaseStudy.objects.published()

    def others(facet):
        return _apply_filters(base, **{k: v for k, v in filters.items() if k != facet})

    def grouped(facet, value, label, order_by=None, limit=None):
        rows = (
            others(facet)
            .exclude(**{f"{value}__isnull": True})
            .values(value, label)
            .annotate(n=Count("pk", distinct=True))
            .order_by(*(order_by or [label]))
        )[:limit]
        return [(str(r[value]), str(r[label]), r["n"]) for r in rows]

    stage_labels = dict(CaseStudy.Stage.choices)
    stage_counts = {
        r["stage"]: r["n"]
        for r in others("stage").values("stage").annotate(n=Count("pk"))
    }
    years = (
        others("year")
        .exclude(start_date__isnull=True)
        .annotate(year=ExtractYear("start_date"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("-year")
    )
    return {
        "city": grouped("city", "city__slug", "city__name"),
        "council": grouped("council", "organisation__slug", "organisation__name"),
        "theme": grouped(
            "theme", "themes__slug", "themes__name", ["themes__order", "themes__name"]
        ),
        # The 40 most used tags: a long tail of one-off tags would bury the rest.
        "tag": grouped("tag", "tags__slug", "tags__name", ["-n", "tags__name"], 40),
        "stage": [
            (value, label, stage_counts.get(value, 0))
            for value, label in stage_labels.items()
            if stage_counts.get(value)
        ],
        "year": [(str(r["year"]), str(r["year"]), r["n"]) for r in years],
    }


def search_case_studies(query: str, *, viewer) -> QuerySet[CaseStudy]:
    """What the viewer may see that matches the words, best match first."""
    search = _search_query(query)
    return (
        CaseStudy.objects.visible_to(viewer)
        .filter(search_vector=search)
        .annotate(rank=SearchRank(F("search_vector"), search))
        .select_related("city", "organisation")
        .order_by("-rank", "-published_at", "-pk")
    )


def case_study_for_reading(viewer, pk: int) -> QuerySet[CaseStudy]:
    return (
        CaseStudy.objects.visible_to(viewer)
        .filter(pk=pk)
        .select_related("city", "organisation", "contact__organisation", "published_by")
        .prefetch_related("themes", "tags", "partners", "authors", "attachments")
    )


def related_case_studies(case_study: CaseStudy, limit: int = 3) -> list[CaseStudy]:
    """Published ones sharing the most themes and tags, then the same city."""
    theme_ids = [t.pk for t in case_study.themes.all()]
    tag_ids = [t.pk for t in case_study.tags.all()]
    return list(
        CaseStudy.objects.published()
        .exclude(pk=case_study.pk)
        .annotate(
            shared=Count("themes", filter=Q(themes__in=theme_ids), distinct=True)
            + Count(
                "tagged_items",
                filter=Q(tagged_items__tag_id__in=tag_ids),
                distinct=True,
            ),
            same_city=Case(
                When(city_id=case_study.city_id, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .filter(Q(shared__gt=0) | Q(same_city=1))
        .select_related("city")
        .order_by("-shared", "-same_city", "-published_at")[:limit]
    )


def my_case_studies(member: Member) -> QuerySet[CaseStudy]:
    return (
        CaseStudy.objects.authored_by(member)
        .select_related("city", "organisation")
        .order_by("-updated_at", "-pk")
    )


def review_queue() -> QuerySet[CaseStudy]:
    """Submitted case studies, the longest waiting first."""
    return (
        CaseStudy.objects.filter(status=CaseStudy.Status.SUBMITTED)
        .select_related("city", "organisation")
        .prefetch_related("authors")
        .order_by("submitted_at", "pk")
    )


def recent_case_studies_for(member: Member, limit: int = 5) -> list[CaseStudy]:
    """Recently published, those from the member's city or on their expertise
    first."""
    interests = list(member.expertise.values_list("name", flat=True))
    city_id = member.organisation.city_id if member.organisation_id else None
    relevance = (
        Case(
            When(city_id=city_id, then=Value(2)),
            default=Value(0),
            output_field=IntegerField(),
        )
        if city_id
        else Value(0, output_field=IntegerField())
    )
    case_studies = CaseStudy.objects.published()
    if interests:
        matching = CaseStudy.objects.filter(
            Q(tags__name__in=interests) | Q(themes__name__in=interests)
        ).values("pk")
        relevance = relevance + Case(
            When(pk__in=matching, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    return list(
        case_studies.annotate(relevance=relevance)
        .select_related("city", "organisation")
        .order_by("-relevance", "-published_at")[:limit]
    )


def case_studies_by(member: Member) -> QuerySet[CaseStudy]:
    """Published case studies the member wrote or is the contact for."""
    return (
        CaseStudy.objects.published()
        .filter(
            Q(contact=member)
            | Q(
                pk__in=CaseStudy.authors.through.objects.filter(
                    member_id=member.pk
                ).values("casestudy_id")
            )
        )
        .select_related("city", "organisation")
        .order_by("-published_at")
    )


def case_studies_for_organisation(organisation: Organisation) -> QuerySet[CaseStudy]:
    """Published case studies the organisation led or was a partner in."""
    partnered = CaseStudy.partners.through.objects.filter(
        organisation_id=organisation.pk
    ).values("casestudy_id")
    return (
        CaseStudy.objects.published()
        .filter(Q(organisation=organisation) | Q(pk__in=partnered))
        .select_related("city", "organisation")
        .order_by("-published_at")
    )


def members_for_topic(*, theme: Theme | str | None = None, tag: str | None = None):
    """Approved members who wrote, or are the contact for, a published case study
    on the theme (a Theme or its slug) or tag (name or slug)."""
    case_studies = CaseStudy.objects.published()
    if theme is not None:
        key = "themes__slug" if isinstance(theme, str) else "themes"
        case_studies = case_studies.filter(**{key: theme})
    if tag:
        case_studies = case_studies.filter(
            Q(tags__slug=tag) | Q(tags__name__iexact=tag)
        )
    ids = case_studies.values("pk")
    return (
        Member.objects.approved()
        .filter(Q(authored_case_studies__in=ids) | Q(contact_for_case_studies__in=ids))
        .select_related("organisation")
        .distinct()
    )


def _impact(case_studies: QuerySet, *group) -> QuerySet | dict:
    zero = Value(0, output_field=DecimalField(max_digits=14, decimal_places=1))
    figures = {
        "projects": Count("pk", distinct=True),
        "emissions": Coalesce(Sum("emissions_saved"), zero),
        "estimated": Coalesce(
            Sum("emissions_saved", filter=Q(emissions_confidence="estimated")), zero
        ),
        "measured": Coalesce(
            Sum("emissions_saved", filter=Q(emissions_confidence="measured")), zero
        ),
        "invested": Coalesce(Sum("capital_cost"), 0) + Coalesce(Sum("revenue_cost"), 0),
    }
    if not group:
        return case_studies.aggregate(**figures)
    return case_studies.values(*group).annotate(**figures)


def impact_by_city() -> list[dict]:
    rows = _impact(CaseStudy.objects.published(), "city__name").order_by("city__name")
    return [{**r, "name": r["city__name"] or "Outside the cities"} for r in rows]


def impact_by_theme() -> list[dict]:
    rows = _impact(
        CaseStudy.objects.published().filter(themes__isnull=False),
        "themes__name",
        "themes__order",
    ).order_by("themes__order")
    return [{**r, "name": r["themes__name"]} for r in rows]


def impact_totals() -> dict:
    return _impact(CaseStudy.objects.published())
