"""Network events: an event, its agenda (sessions and speakers), registrations with
a waiting list, and the feedback attendees give afterwards.

Times are stored as aware UTC datetimes; forms and pages show Europe/London.
"""

import secrets
from pathlib import PurePath

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kit.uploads import random_file_name
from network.models import Theme

MANAGE_PERMISSION = "events.manage_events"


def manages_events(user) -> bool:
    """The role that sees every event, unpublished ones too (``for_role``)."""
    return user.is_authenticated and user.has_perm(MANAGE_PERMISSION)


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=Event.State.PUBLISHED)

    def visible_to(self, user):
        """Coordinators see every event; everyone else only published ones."""
        return self.for_role(manager=manages_events(user))

    def for_role(self, *, manager: bool):
        """``visible_to`` for a role rather than a person (shared, cached pages);
        ``Event.is_visible_for_role`` is the same rule for one event read."""
        return self if manager else self.published()

    def public(self):
        return self.published().filter(is_public=True)

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at")

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at")


class Event(models.Model):
    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone in the network")
        OFFICERS = "officers", _("Officers")
        ELECTED = "elected", _("Elected members")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text=_("Markdown."))
    themes = models.ManyToManyField(Theme, blank=True, related_name="events")
    drivers = models.ManyToManyField(
        "network.PolicyDriver",
        verbose_name=_("policy drivers"),
        blank=True,
        related_name="events",
    )
    format = models.CharField(max_length=20, choices=Format.choices)
    venue = models.CharField(max_length=200, blank=True)
    address = models.TextField(blank=True)
    online_url = models.URLField(
        _("online joining link"),
        blank=True,
        max_length=500,
        help_text=_("Shown only to confirmed registrants."),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    audience = models.CharField(
        _("who it is for"),
        max_length=20,
        choices=Audience.choices,
        default=Audience.EVERYONE,
    )
    capacity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    registration_opens_at = models.DateTimeField(
        _("registration opens"),
        null=True,
        blank=True,
        help_text=_("Leave empty to open registration as soon as it is published."),
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Leave empty to close registration when the event starts."),
    )
    state = models.CharField(
        max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    is_public = models.BooleanField(
        _("show to visitors"),
        default=False,
        help_text=_(
            "Listed on the public events page (no joining link, no registrants)."
        ),
    )
    recording_url = models.URLField(_("recording link"), blank=True, max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Registrants' access and dietary needs can be health data (UK GDPR Art. 9):
    # of all the coordinators, only the ones running this event see them.
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="coordinated_events",
        verbose_name=_("coordinators running it"),
        help_text=_("Only they see registrants' access and dietary needs."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Maintained by events.services.update_search_vector (title, description,
    # venue, sessions and speakers), so search needs no join.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["state", "starts_at"]),
            models.Index(fields=["state", "ends_at"]),
            GinIndex(fields=["search_vector"], name="event_search_gin"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_start",
            ),
        ]
        permissions = [("manage_events", "Can schedule and run events")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.pk])

    def shows_needs_to(self, user) -> bool:
        """The one rule for registrants' access and dietary needs: a coordinator
        running this event (each registrant sees their own on the event page)."""
        return (
            user.is_authenticated
            and user.has_perm(MANAGE_PERMISSION)
            and self.coordinators.filter(pk=user.pk).exists()
        )

    def is_visible_for_role(self, *, manager: bool) -> bool:
        """``Event.objects.for_role`` for this event, already read."""
        return manager or self.state == self.State.PUBLISHED

    @property
    def is_published(self):
        return self.state == self.State.PUBLISHED

    @property
    def is_cancelled(self):
        return self.state == self.State.CANCELLED

    @property
    def is_past(self):
        return self.ends_at < timezone.now()

    @property
    def places_left(self) -> int:
        """Places not yet confirmed (none when overfull): reads the
        ``confirmed_count`` that events.queries annotates."""
        return max(self.capacity - self.confirmed_count, 0)

    @property
    def has_online_part(self):
        return self.format in (self.Format.ONLINE, self.Format.HYBRID)

    def registration_window(self):
        """(opens, closes): opens when published unless set, closes at the start."""
        return (
            self.registration_opens_at or self.published_at,
            self.registration_closes_at or self.starts_at,
        )

    def registration_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.state != self.State.PUBLISHED:
            return False
        opens, closes = self.registration_window()
        return (opens is None or opens <= now) and now < closes

    def is_for(self, member) -> bool:
        """Whether the member is in this event's audience (partners may join all)."""
        if self.audience == self.Audience.EVERYONE:
            return True
        kind = member.member_type
        if kind == "partner":
            return True
        if self.audience == self.Audience.ELECTED:
            return kind == "elected"
        return kind == "officer"


def slides_upload_to(instance, filename):
    """A random stored name; the name it was uploaded with is kept, for display
    and the download, in ``slides_name`` (set here, so the form, admin and any
    service that saves slides all keep it)."""
    instance.slides_name = PurePath(filename).name[:255]
    return f"events/{instance.event_id}/slides/{random_file_name(filename)}"


class Session(models.Model):
    """One item of an event's agenda."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text=_("Markdown."))
    slides = models.FileField(upload_to=slides_upload_to, blank=True, max_length=300)
    # After ``slides``: its upload_to fills this in as the row is saved.
    slides_name = models.CharField(max_length=255, blank=True, editable=False)
    recording_url = models.URLField(_("recording link"), blank=True, max_length=500)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slides:  # cleared: no name left behind
            self.slides_name = ""
        super().save(*args, **kwargs)


class Speaker(models.Model):
    """A speaker at a session: a portal member, or a named guest."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="speakers"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="talks",
    )
    name = models.CharField(
        max_length=150, blank=True, help_text=_("For a guest who is not a member.")
    )
    organisation = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=False) | ~Q(name=""),
                name="speaker_member_or_name",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.member.full_name if self.member_id else self.name

    @property
    def display_organisation(self):
        if self.organisation:
            return self.organisation
        if self.member_id and self.member.organisation_id:
            return self.member.organisation.name
        return ""

    @property
    def profile_url(self):
        if not self.member_id:
            return ""
        return reverse("portal:profile", args=[self.member_id])


class RegistrationQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Registration.Status.CONFIRMED)

    def with_needs(self):
        return self.exclude(access_needs="", dietary_needs="")

    def waiting(self):
        return self.filter(status=Registration.Status.WAITING).order_by(
            "registered_at", "pk"
        )

    def active(self):
        return self.exclude(status=Registration.Status.CANCELLED)


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    access_needs = models.TextField(_("access needs"), blank=True, max_length=2000)
    dietary_needs = models.TextField(_("dietary needs"), blank=True, max_length=2000)
    # The explicit consent the needs are held under (Art. 9(2)(a)); empty with them.
    needs_consent_at = models.DateTimeField(
        _("consent to use the needs given"), null=True, blank=True
    )
    # Set under the event's row lock, so it orders the waiting list fairly.
    registered_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(default=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    feedback_requested_at = models.DateTimeField(null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "member"], name="one_registration_per_member"
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status", "registered_at"]),
            models.Index(fields=["member", "status"]),
        ]

    def __str__(self):
        return f"{self.member} at {self.event} ({self.get_status_display()})"


class Feedback(models.Model):
    """What an attendee thought of an event."""

    registration = models.OneToOneField(
        Registration,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="feedback",
        help_text=_("Empty once the feedback is anonymous (the retention rule)."),
    )
    # Kept apart from the registration, so anonymous feedback still counts.
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, null=True, related_name="feedback"
    )
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (poor) to 5 (excellent)."),
    )
    comment = models.TextField(blank=True, max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_5"
            ),
        ]

    def __str__(self):
        return f"{self.rating}/5 for event {self.event_id}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A member's secret calendar address; resetting it revokes the old one."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Calendar feed of {self.member}"
