"""The case-study pages' own reads: one case study, related ones, a member's
own and the review queue."""

from django.db.models import (
    Case,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from taggit.models import TaggedItem

from network.models import Member

from ..models import CaseStudy
from .common import HEAVY_COLUMNS, _case_study_type_id, _count_of

# related_case_studies ranks only this many of the newest (an index-only scan):
# those sharing the most themes and tags, then the same city.
RELATED_CANDIDATES = 300
# What the case-study page shows around its cached body.
HEADING_FIELDS = ("pk", "title", "summary", "status", "review_comments", "published_at")


def case_study_for_reading(
    viewer, pk: int, *, heading_only: bool = False
) -> QuerySet[CaseStudy]:
    """The case study if the viewer may see it (no viewer: if it is published);
    ``heading_only`` reads just what the page shows around the cached body."""
    readable = CaseStudy.objects
    visible = (
        readable.published() if viewer is None else readable.visible_to(viewer)
    ).filter(pk=pk)
    if heading_only:
        return visible.only(*HEADING_FIELDS)
    return visible.select_related(
        "city", "organisation", "contact__organisation", "published_by", "added_by"
    ).prefetch_related("themes", "tags", "partners", "authors", "attachments")


def related_case_studies(case_study: CaseStudy, limit: int = 3) -> list[CaseStudy]:
    """Published ones sharing the most themes and tags, then the same city, among
    the RELATED_CANDIDATES newest (not every published one: that took a second)."""
    theme_ids = [t.pk for t in case_study.themes.all()]
    tag_ids = [t.pk for t in case_study.tags.all()]
    candidates = (
        CaseStudy.objects.published()
        .exclude(pk=case_study.pk)
        .order_by("-published_at", "-pk")
        .values("pk")[:RELATED_CANDIDATES]
    )
    return list(
        CaseStudy.objects.filter(pk__in=candidates)
        .defer(*HEAVY_COLUMNS)
        .annotate(
            # Correlated counts per candidate (index probes), not joins over
            # every tagged item.
            shared=_count_of(
                CaseStudy.themes.through.objects.filter(
                    casestudy_id=OuterRef("pk"), theme_id__in=theme_ids
                )
            )
            + _count_of(
                TaggedItem.objects.filter(
                    content_type_id=_case_study_type_id(),
                    object_id=OuterRef("pk"),
                    tag_id__in=tag_ids,
                )
            ),
            same_city=Case(
                When(city_id=case_study.city_id, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .filter(Q(shared__gt=0) | Q(same_city=1))
        .select_related("city")
        .order_by("-shared", "-same_city", "-published_at", "-pk")[:limit]
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
