"""Reads other apps' pages compose: the member home, profiles, council,
topic and policy-driver pages."""

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from taggit.models import TaggedItem

from network.models import Member, Organisation, Theme

from ..models import CaseStudy
from .common import HEAVY_COLUMNS, _case_study_type_id

# recent_case_studies_for orders only this many of the newest by relevance.
RECENT_CANDIDATES = 100


def recent_case_studies_for(
    member: Member, limit: int = 5, *, interests=None, city_id=None
) -> list[CaseStudy]:
    """Recently published (the RECENT_CANDIDATES newest, from the index), those
    from the member's city or on their expertise first. Pass ``interests`` and
    ``city_id`` when already known (the member home keys its cache by them)."""
    if interests is None:
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
    newest = (
        CaseStudy.objects.published()
        .order_by("-published_at", "-pk")
        .values("pk")[:RECENT_CANDIDATES]
    )
    if interests:
        on_theme = Exists(
            CaseStudy.themes.through.objects.filter(
                casestudy_id=OuterRef("pk"), theme__name__in=interests
            )
        )
        on_tag = Exists(
            TaggedItem.objects.filter(
                content_type_id=_case_study_type_id(),
                object_id=OuterRef("pk"),
                tag__name__in=interests,
            )
        )
        relevance = relevance + Case(
            When(on_theme | on_tag, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    return list(
        CaseStudy.objects.filter(pk__in=newest)
        .defer(*HEAVY_COLUMNS)
        .annotate(relevance=relevance)
        .select_related("city", "organisation")
        .order_by("-relevance", "-published_at", "-pk")[:limit]
    )


def case_studies_by(member: Member) -> QuerySet[CaseStudy]:
    """Published case studies the member wrote or is the contact for (a UNION of
    two indexed lookups, not an OR that scans every published one)."""
    authored = CaseStudy.authors.through.objects.filter(member_id=member.pk).values(
        "casestudy_id"
    )
    contact = CaseStudy.objects.filter(contact_id=member.pk).order_by().values("pk")
    return (
        CaseStudy.objects.published()
        .filter(pk__in=authored.union(contact))
        .defer(*HEAVY_COLUMNS)
        .select_related("city", "organisation")
        .order_by("-published_at", "-pk")
    )


def case_studies_for_organisation(organisation: Organisation) -> QuerySet[CaseStudy]:
    """Published case studies the organisation led or was a partner in."""
    partnered = CaseStudy.partners.through.objects.filter(
        organisation_id=organisation.pk
    ).values("casestudy_id")
    return (
        CaseStudy.objects.published()
        .filter(Q(organisation=organisation) | Q(pk__in=partnered))
        .defer(*HEAVY_COLUMNS)
        .select_related("city", "organisation")
        .order_by("-published_at")
    )


def count_for_organisation(organisation: Organisation) -> int:
    """How many of ``case_studies_for_organisation`` there are, counted as a UNION
    of the ones it led (an index on organisation) and the ones it partnered: the
    OR of the two read every published case study (60-160 ms at scale for
    Glasgow's 8,770, against 26-48 ms)."""
    partnered = CaseStudy.partners.through.objects.filter(
        organisation_id=organisation.pk
    ).values("casestudy_id")
    published = CaseStudy.objects.published().order_by()
    return (
        published.filter(organisation=organisation)
        .values("pk")
        .union(published.filter(pk__in=partnered).values("pk"))
        .count()
    )


def members_for_topic(
    *, theme: Theme | str | None = None, tag: str | None = None, driver=None
):
    """Approved members who wrote, or are the contact for, a published case study
    on the theme (a Theme or its slug), tag (its slug) or policy driver, by name.

    Each member is checked in name order, through the name index, against the
    topic's case studies (an author's or a contact's), until the page is full:
    the union of every author's id was 35,000 rows hashed and joined to every
    member (0.54 s at the scale data for a theme), this 0.17 s."""
    case_studies = CaseStudy.objects.published()
    if theme is not None:
        key = "themes__slug" if isinstance(theme, str) else "themes"
        case_studies = case_studies.filter(**{key: theme})
    if tag:
        case_studies = case_studies.filter(tags__slug=tag)
    if driver is not None:
        case_studies = case_studies.filter(drivers=driver)
    wrote = Exists(case_studies.filter(authors=OuterRef("pk")))
    leads = Exists(case_studies.filter(contact=OuterRef("pk")))
    return (
        Member.objects.approved()
        .filter(Q(wrote) | Q(leads))
        .select_related("organisation")
        .order_by("full_name", "pk")
    )


def case_studies_for_driver(driver) -> QuerySet[CaseStudy]:
    """Published case studies that name the policy driver, newest first."""
    return (
        CaseStudy.objects.published()
        .filter(drivers=driver)
        .defer(*HEAVY_COLUMNS)
        .select_related("city", "organisation")
        .order_by("-published_at", "-pk")
        .prefetch_related("themes")
    )
