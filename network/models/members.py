from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    Permission,
    PermissionsMixin,
)
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from network.handles import MAX_LENGTH as HANDLE_MAX_LENGTH
from network.handles import (
    HandleAllocator,
    handle_base,
    is_form_of,
    numbered_forms_pattern,
)


class City(models.Model):
    """One of the Scottish Cities Alliance's cities: a place, not an employer."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    # For the network map, drawn from static files (no map service).
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("cities")

    def __str__(self):
        return self.name


class OrganisationQuerySet(models.QuerySet):
    def councils(self):
        return self.filter(kind=Organisation.Kind.COUNCIL)

    def matching_email(self, email: str):
        """Organisations whose email domains include this address's domain."""
        domain = email.rpartition("@")[2].strip().lower()
        if not domain:
            return self.none()
        return self.filter(email_domains__contains=[domain])


class Organisation(models.Model):
    """A council or partner body: the member's employer."""

    class Kind(models.TextChoices):
        COUNCIL = "council", _("Council")
        PARTNER = "partner", _("Partner body")

    class Character(models.TextChoices):
        CITY = "city", _("City")
        URBAN = "urban", _("Urban")
        MIXED = "mixed", _("Mixed urban and rural")
        RURAL = "rural", _("Rural")
        ISLANDS = "islands", _("Islands")

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    gss_code = models.CharField(_("GSS code"), max_length=9, blank=True)
    city = models.ForeignKey(
        City,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("The Scottish Cities Alliance city inside this council, if any."),
    )
    email_domains = ArrayField(
        models.CharField(max_length=100),
        default=list,
        blank=True,
        help_text=_("Work email domains, comma separated, e.g. glasgow.gov.uk."),
    )
    population_thousands = models.PositiveIntegerField(null=True, blank=True)
    character = models.CharField(max_length=20, choices=Character.choices, blank=True)
    councillors = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Elected members' seats on the council.")
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["kind", "name"]),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.email_domains = sorted(
            {d.strip().lower().lstrip("@") for d in self.email_domains if d.strip()}
        )
        super().save(*args, **kwargs)


class Theme(models.Model):
    """An item of the network's agenda, shared by case studies, threads and events."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


def name_title_vector():
    """A member's name (weight A) and job title (B) as a tsvector: an expression
    index of its own, so search can find name and title matches first without
    reading every member whose biography mentions the words."""
    return SearchVector("full_name", weight="A", config="english") + SearchVector(
        "job_title", weight="B", config="english"
    )


def pending_first():
    """0 for a pending member, 1 for the rest: Django admin's member list puts
    the queue first, from the member_admin_order index on this expression."""
    return models.Case(
        models.When(approval_state="pending", then=models.Value(0)),
        default=models.Value(1),
        output_field=models.IntegerField(),
    )


class MemberManager(BaseUserManager.from_queryset(models.QuerySet)):
    use_in_migrations = True

    def _create(self, email, password, **fields):
        if not email:
            raise ValueError("A member needs an email address.")
        member = self.model(email=self.normalize_email(email).lower(), **fields)
        member.set_password(password)
        member.save(using=self._db)
        return member

    def create_user(self, email, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        fields.setdefault("approval_state", Member.Approval.APPROVED)
        fields.setdefault("decided_at", timezone.now())
        fields.setdefault("member_type", Member.MemberType.PARTNER)
        return self._create(email, password, **fields)

    def approved(self):
        return self.filter(approval_state=Member.Approval.APPROVED, is_active=True)

    def pending(self):
        return self.filter(approval_state=Member.Approval.PENDING)

    def moderators(self):
        """Active members who may moderate the forums, directly, through a group
        or as superusers (may repeat a member: use as ``pk__in`` or ``Exists``)."""
        perms = Permission.objects.filter(
            codename="moderate_forums", content_type__app_label="network"
        )
        return self.filter(is_active=True).filter(
            models.Q(is_superuser=True)
            | models.Q(groups__permissions__in=perms)
            | models.Q(user_permissions__in=perms)
        )


class Member(AbstractBaseUser, PermissionsMixin):
    """A person with an account: officer, elected member or partner."""

    class MemberType(models.TextChoices):
        OFFICER = "officer", _("Council officer")
        ELECTED = "elected", _("Elected member")
        PARTNER = "partner", _("Partner organisation")

    class Approval(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SUSPENDED = "suspended", _("Suspended")

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(max_length=150)
    # What a post types to mention them (network/handles.py): made from the full
    # name when the member is saved, numbered when another member has it.
    handle = models.CharField(
        max_length=HANDLE_MAX_LENGTH,
        unique=True,
        editable=False,
        help_text=_("Mention them in discussions as @handle; follows the full name."),
    )
    job_title = models.CharField(max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    member_type = models.CharField(
        max_length=20, choices=MemberType.choices, default=MemberType.OFFICER
    )

    approval_state = models.CharField(
        max_length=20, choices=Approval.choices, default=Approval.PENDING
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_note = models.TextField(blank=True)
    needs_review = models.BooleanField(
        default=False,
        help_text=_(
            "Registered with an email domain that no organisation lists, or "
            "chose an organisation that does not match it: look closer before approving."
        ),
    )

    bio = models.TextField(_("short biography"), blank=True, max_length=2000)
    expertise = TaggableManager(
        "expertise", blank=True, help_text=_("Comma-separated areas of expertise.")
    )
    show_email = models.BooleanField(
        _("show my email address to other members"), default=False
    )

    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text=_("May sign in to Django admin.")
    )
    date_joined = models.DateTimeField(default=timezone.now)
    # Set by portal.privacy.erasure: the row stays, nameless, as "Former member",
    # so what they gave the network keeps an author.
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The privacy notice version (portal/privacy/notice.py) the member last read:
    # recorded at sign-up, asked again after a material change.
    privacy_notice_version = models.CharField(max_length=20, blank=True)
    # Set when the retention rule warns a member unused for 3 years; signing in
    # clears it (portal/privacy/signals.py).
    inactivity_warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Kept, not counted: every page's navigation shows it, so it is read with the
    # member's own row. network.forums.services.recount_unread_notifications sets it
    # whenever a notification arrives or is read, and network/signals.py whenever
    # what one points at is hidden or moved or a member's moderator role changes.
    unread_notifications = models.PositiveIntegerField(default=0, editable=False)
    # Kept like unread_notifications: the sum of the member's Participant.unread,
    # changed in the same transaction as each message, read or leaving
    # (network.conversations.services).
    unread_messages = models.PositiveIntegerField(default=0, editable=False)
    # Changes (network/signals.py) whenever the member's groups or permissions, or
    # those groups' permissions, change: the cached permission set is keyed by it
    # (network.backends), so a page's permission checks cost no query.
    permissions_token = models.BigIntegerField(default=0, editable=False)
    # Changes whenever the member watches, mutes or reads a thread
    # (network.forums.services): their cached home page is keyed by it.
    reading_token = models.BigIntegerField(default=0, editable=False)
    # Kept by PostgreSQL from the row's own text, so search never builds a vector
    # per member per query. Expertise, organisation and city are matched apart
    # (network/people/queries.py: search_members), as a generated column can only
    # read its own row.
    search_vector = models.GeneratedField(
        expression=SearchVector("full_name", weight="A", config="english")
        + SearchVector("job_title", weight="B", config="english")
        + SearchVector("bio", weight="D", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = MemberManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="member_email_ci_unique"),
        ]
        indexes = [
            models.Index(fields=["approval_state", "date_joined"]),
            models.Index(fields=["full_name"]),
            # @"Full Name" mentions: approved members by their name in any case.
            models.Index(
                Lower("full_name"),
                condition=models.Q(approval_state="approved", is_active=True),
                name="member_listed_lower_name",
            ),
            GinIndex(fields=["search_vector"], name="member_search_gin"),
            # A council's page: its listed members by name, and every council's
            # count of them for "councils like this one" (index-only scans).
            models.Index(
                fields=["organisation", "full_name", "id"],
                condition=models.Q(approval_state="approved", is_active=True),
                name="member_listed_by_org",
            ),
            # Django admin's member list: the queue first, newest first. The
            # state is carried along so that a deep page's keys come from the
            # index alone (an index-only scan: PostgreSQL needs the expression's
            # column in the index to compute it there).
            models.Index(
                pending_first(),
                models.F("date_joined").desc(),
                models.F("id").desc(),
                name="member_admin_order",
                include=["approval_state"],
            ),
            GinIndex(name_title_vector(), name="member_name_title_gin"),
            # The directory: listed members by name, and their count, from one
            # small index (an index-only scan for the paginator's COUNT).
            models.Index(
                fields=["full_name", "id"],
                condition=models.Q(approval_state="approved", is_active=True),
                name="member_listed_name",
            ),
            # The approved members' ids alone, for counts over another table
            # joined to them (the expertise in use): a small index-only scan
            # where a scan of every member's row took 250-400 ms at scale.
            models.Index(
                fields=["id"],
                condition=models.Q(approval_state="approved", is_active=True),
                name="member_approved_id",
            ),
        ]
        permissions = [
            ("approve_member", "Can approve or reject members"),
        ]

    def __str__(self):
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "full_name" in update_fields:
            changed = self._follow_name_with_handle(kwargs.get("using"))
            if changed and update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "handle"}
        super().save(*args, **kwargs)

    def _follow_name_with_handle(self, using=None) -> bool:
        """Give the member the handle their name makes, unless theirs is already
        one of its forms; say whether it changed. Only a new member or a new name
        costs a query: saving an unchanged name compares two strings."""
        if "full_name" in self.get_deferred_fields():
            return False
        base = handle_base(self.full_name)
        if self.handle and is_form_of(self.handle, base):
            return False
        taken = (
            type(self)
            ._base_manager.db_manager(using or self._state.db)
            .filter(handle__startswith=base, handle__regex=numbered_forms_pattern(base))
            .exclude(pk=self.pk)
            .order_by()
            .values_list("handle", flat=True)
        )
        self.handle = HandleAllocator(taken)(self.full_name)
        return True

    def get_absolute_url(self):
        # The profile gathers from every app, so it is portal's page (portal/people.py).
        return reverse("portal:profile", args=[self.pk])

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_approved(self) -> bool:
        return self.is_active and self.approval_state == self.Approval.APPROVED

    @property
    def is_elected_member(self) -> bool:
        return self.member_type == self.MemberType.ELECTED

    @property
    def city(self):
        return self.organisation.city if self.organisation_id else None
