"""The case-study library: what a city did, what it cost and what it saved."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from kit.uploads import random_file_name
from network.models import City, Organisation, PolicyDriver, Theme

PUBLISH_PERMISSION = "casestudies.publish_casestudy"


def reader_role(member) -> dict | None:
    """Who the member is to the library's visibility rule (``for_role``): None
    for one who may read nothing (not signed in, not approved), else whether they
    review (and so see every case study) and their id (an author sees their own
    unpublished ones)."""
    if not getattr(member, "is_authenticated", False) or not member.is_approved:
        return None
    return {"reviewer": member.has_perm(PUBLISH_PERMISSION), "author_id": member.pk}


class CaseStudyQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=CaseStudy.Status.PUBLISHED)

    def in_network(self):
        """The network's own work: the only case studies a city's figures count."""
        return self.filter(place=CaseStudy.Place.NETWORK)

    def outside(self):
        return self.exclude(place=CaseStudy.Place.NETWORK)

    def authored_by(self, member):
        return self.filter(
            pk__in=CaseStudy.authors.through.objects.filter(member_id=member.pk).values(
                "casestudy_id"
            )
        )

    def unpublished(self):
        return self.exclude(status=CaseStudy.Status.PUBLISHED)

    # The one visibility rule. Published ones: every approved member. Drafts and
    # submitted ones: their authors and those who review. ``reader_role`` turns a
    # member into the role; ``CaseStudy.is_visible_for_role`` is the same rule for
    # one case study already read; the site search's key (portal/search.py) and
    # its draft check are made from ``unpublished_for_role``.

    def unpublished_for_role(self, *, reviewer: bool, author_id: int | None):
        """The drafts and submitted ones the role may see: all for a reviewer, an
        author's own (a subquery of their few authored rows) for others, none for
        a reader who wrote none (``author_id`` None)."""
        unpublished = self.unpublished()
        if reviewer:
            return unpublished
        authored = CaseStudy.authors.through.objects.filter(member_id=author_id)
        return unpublished.filter(pk__in=authored.values("casestudy_id"))

    def for_role(self, *, reviewer: bool, author_id: int | None):
        """``visible_to`` for a role rather than a person: the published ones and
        the unpublished ones the role may see (no duplicates: no join)."""
        if reviewer:
            return self
        return self.published() | self.unpublished_for_role(
            reviewer=False, author_id=author_id
        )

    def visible_to(self, member):
        role = reader_role(member)
        return self.none() if role is None else self.for_role(**role)

    def editable_by(self, member):
        """Authors edit their own; reviewers may edit any, to fix a detail."""
        if not getattr(member, "is_authenticated", False) or not member.is_approved:
            return self.none()
        if member.has_perm(PUBLISH_PERMISSION):
            return self
        return self.authored_by(member)


class CaseStudy(models.Model):
    class Stage(models.TextChoices):
        IDEA = "idea", _("Idea")
        PLANNED = "planned", _("Planned")
        IN_DELIVERY = "delivery", _("In delivery")
        COMPLETE = "complete", _("Complete")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        PUBLISHED = "published", _("Published")

    class Confidence(models.TextChoices):
        ESTIMATED = "estimated", _("Estimated")
        MEASURED = "measured", _("Measured")

    class Source(models.TextChoices):
        """The PBCCD report's primary fuel or emission sources."""

        GRID_ELECTRICITY = "grid_electricity", _("Grid electricity")
        NATURAL_GAS = "natural_gas", _("Natural gas")
        HEATING_OIL = "heating_oil", _("Heating oil")
        LPG = "lpg", _("LPG")
        COAL = "coal", _("Coal")
        BIOMASS = "biomass", _("Biomass")
        DIESEL = "diesel", _("Diesel")
        PETROL = "petrol", _("Petrol")
        WASTE = "waste", _("Waste")
        WATER = "water", _("Water")
        REFRIGERANTS = "refrigerants", _("Refrigerants")
        OTHER = "other", _("Other")

    class Place(models.TextChoices):
        NETWORK = "network", _("A network city")
        SCOTLAND = "scotland", _("Another Scottish council")
        UK = "uk", _("Elsewhere in the UK")
        ABROAD = "abroad", _("Abroad")

    title = models.CharField(max_length=200)
    summary = models.TextField(
        max_length=1000, help_text=_("Two or three sentences: what, where, result.")
    )
    body = models.TextField(
        _("full story"), help_text=_("Markdown: headings, lists, links and tables.")
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="case_studies",
        # Learning from outside the network may have no member organisation.
        null=True,
        blank=True,
    )
    place = models.CharField(
        _("where it happened"),
        max_length=20,
        choices=Place.choices,
        default=Place.NETWORK,
    )
    country = models.CharField(max_length=100, blank=True)
    place_name = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_("The town, city or council."),
    )
    source_organisation = models.CharField(
        _("source organisation"),
        max_length=200,
        blank=True,
        help_text=_("Who did it or published it, outside the network."),
    )
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    source_licence = models.CharField(
        _("source licence"),
        max_length=200,
        blank=True,
        help_text=_(
            "E.g. Open Government Licence v3.0, CC BY 4.0, used with permission."
        ),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added to the network by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    city = models.ForeignKey(
        City,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_studies",
        help_text=_("Left empty, the lead organisation's city is used."),
    )
    partners = models.ManyToManyField(
        Organisation,
        verbose_name=_("partner organisations"),
        blank=True,
        related_name="partner_case_studies",
    )
    themes = models.ManyToManyField(Theme, related_name="case_studies", blank=True)
    drivers = models.ManyToManyField(
        PolicyDriver,
        verbose_name=_("policy drivers"),
        related_name="case_studies",
        blank=True,
        help_text=_("The duties, strategies and plans this work delivers."),
    )
    tags = TaggableManager(
        blank=True, help_text=_("Comma-separated keywords, e.g. heat pumps, schools.")
    )
    stage = models.CharField(
        _("project stage"), max_length=20, choices=Stage.choices, default=Stage.PLANNED
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    capital_cost = models.PositiveBigIntegerField(
        _("capital cost (£)"), null=True, blank=True
    )
    revenue_cost = models.PositiveBigIntegerField(
        _("revenue cost (£)"), null=True, blank=True
    )
    funding_sources = models.TextField(
        _("funding source"),
        blank=True,
        help_text=_(
            "Who paid: e.g. council capital, Salix, a Scottish Government fund."
        ),
    )
    operational_cost = models.PositiveBigIntegerField(
        _("operational cost a year (£)"),
        null=True,
        blank=True,
        help_text=_("Running and maintenance costs each year, after it is built."),
    )
    lifetime_years = models.PositiveSmallIntegerField(
        _("project lifetime (years)"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(1, _("A project lasts at least 1 year.")),
            MaxValueValidator(100, _("Give a lifetime of at most 100 years.")),
        ],
    )
    savings_from_year = models.PositiveSmallIntegerField(
        _("first full year of savings"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(1990, _("Give a year from 1990.")),
            MaxValueValidator(2100, _("Give a year up to 2100.")),
        ],
        help_text=_(
            "The reporting year (April to March) it starts in: 2024 means 2024/25."
        ),
    )
    primary_source = models.CharField(
        _("primary fuel or emission source saved"),
        max_length=30,
        choices=Source.choices,
        blank=True,
    )
    cost_saving = models.PositiveBigIntegerField(
        _("estimated cost savings a year (£)"), null=True, blank=True
    )
    behaviour_change = models.BooleanField(
        _("a behaviour change project"),
        null=True,
        blank=True,
        help_text=_("Does the saving come from people changing what they do?"),
    )
    emissions_saved = models.DecimalField(
        _("emissions saved (tCO2e a year)"),
        max_digits=12,
        decimal_places=1,
        null=True,
        blank=True,
    )
    emissions_method = models.TextField(
        _("how the emissions saving was worked out"), blank=True
    )
    emissions_confidence = models.CharField(
        _("confidence in the emissions figure"),
        max_length=20,
        choices=Confidence.choices,
        default=Confidence.ESTIMATED,
    )
    co_benefits = models.TextField(
        _("co-benefits"),
        blank=True,
        help_text=_("Health, jobs, fuel poverty, air quality."),
    )
    lessons_learned = models.TextField(blank=True)
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact officer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_for_case_studies",
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="authored_case_studies"
    )

    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    review_comments = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Kept by PostgreSQL itself (a stored generated column), so no save() or
    # trigger can forget it: title weighs most, then summary, then the body.
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config="english")
        + SearchVector("summary", weight="B", config="english")
        + SearchVector("body", weight="C", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = CaseStudyQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name_plural = _("case studies")
        indexes = [
            GinIndex(fields=["search_vector"], name="casestudy_search_gin"),
            # The list's order, so a page (even a deep one) is an index-only scan.
            models.Index(
                fields=["status", "-published_at", "-id"],
                name="casestudy_status_published",
            ),
        ]
        permissions = [
            ("publish_casestudy", "Can review and publish case studies"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.is_outside:
            # Outside learning never counts in a network city's figures.
            self.city_id = None
        elif self.city_id is None and self.organisation_id:
            self.city_id = self.organisation.city_id
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("casestudies:detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def is_visible_for_role(self, *, reviewer: bool, authored: bool) -> bool:
        """``CaseStudy.objects.for_role`` for this case study, already read
        (``authored``: the reader is one of its authors)."""
        return reviewer or self.is_published or authored

    @property
    def is_outside(self) -> bool:
        return self.place != self.Place.NETWORK

    @property
    def lead_name(self) -> str:
        """The lead organisation, or for outside learning its source."""
        return self.organisation.name if self.organisation else self.source_organisation

    @property
    def where(self) -> str:
        """Where it happened, in words, for outside learning."""
        parts = [
            self.place_name,
            self.country if self.place == self.Place.ABROAD else "",
        ]
        return ", ".join(p for p in parts if p) or self.get_place_display()

    @property
    def total_cost(self) -> int:
        return (self.capital_cost or 0) + (self.revenue_cost or 0)


def attachment_path(instance, filename):
    # Under the private media root, never under a URL the web server serves, and
    # under a random name: what the uploader called it is only ``name``, shown
    # and used as the download's filename.
    return f"casestudies/{instance.case_study_id}/{random_file_name(filename)}"


class Attachment(models.Model):
    """A report, slide deck, spreadsheet or image; handed out only by a view that
    checks the reader may see the case study."""

    case_study = models.ForeignKey(
        CaseStudy, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=300)
    name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("casestudies:attachment", args=[self.case_study_id, self.pk])


class ListedCaseStudy(models.Model):
    """A published case study as the kept counts (``FacetCount``) last counted it:
    its filter values, each "facet:value" ("city:3", "theme:5", "place:outside"),
    and its figures. Written only by ``casestudies.counts`` in the same
    transaction as the change; the list's filtered facet counts read these
    narrow rows instead of the case studies' own.

    No foreign key: a deleted case study's row must outlive it until it is
    recounted (its counts taken away)."""

    case_study_id = models.BigIntegerField(primary_key=True)
    values = ArrayField(models.CharField(max_length=40), default=list)
    emissions_saved = models.DecimalField(
        max_digits=12, decimal_places=1, null=True, blank=True
    )
    emissions_confidence = models.CharField(max_length=20, blank=True)
    invested = models.PositiveBigIntegerField(default=0)
    # The case study's own vector, copied: a search's matches are then found
    # on these narrow rows' pages (the vectors stored apart, see the
    # migration), not on the case studies' own 21,000.
    search_vector = SearchVectorField(null=True)

    class Meta:
        indexes = [
            GinIndex(fields=["values"], name="listed_values_gin"),
            GinIndex(fields=["search_vector"], name="listed_search_gin"),
        ]

    def __str__(self):
        return f"Case study {self.case_study_id}"


class FacetCount(models.Model):
    """How many published case studies have a filter value (``value``, with
    ``other`` ""), or two values of different facets together (the counts of
    one facet when the list is filtered by the other), with their figures for
    the impact page; the row with both "" is the whole catalogue. Kept by
    ``casestudies.counts`` in each change's own transaction."""

    value = models.CharField(max_length=40)
    other = models.CharField(max_length=40, blank=True)
    projects = models.IntegerField(default=0)
    emissions = models.DecimalField(max_digits=16, decimal_places=1, default=0)
    estimated = models.DecimalField(max_digits=16, decimal_places=1, default=0)
    measured = models.DecimalField(max_digits=16, decimal_places=1, default=0)
    invested = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["other", "value"], name="facetcount_other_value"
            )
        ]

    def __str__(self):
        return f"{self.value} with {self.other or 'anything'}: {self.projects}"
