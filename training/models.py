"""Carbon Literacy training: Course -> Cohort (sessions) -> Enrolment (attendance)
-> Evidence (two pledges) -> certification by the Carbon Literacy Project."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import (
    Case,
    DateTimeField,
    ExpressionWrapper,
    F,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.models import Organisation

# The Project asks the trainer to send evidence within about 14 days of training:
# the clock starts when the cohort's last session ends (Cohort.evidence_due_on).
SEND_WITHIN_DAYS = 14
# Learners who have not yet submitted their evidence are reminded on these days of
# the clock (day 10, and the last day).
EVIDENCE_REMINDER_DAYS = (10, SEND_WITHIN_DAYS)
FOLLOWUP_MONTHS = (3, 6, 12)


class Course(models.Model):
    name = models.CharField(max_length=200)
    toolkit_version = models.CharField(
        max_length=100, help_text=_("e.g. Elected members toolkit, Scotland, v2.1")
    )
    training_partner = models.CharField(
        max_length=200, blank=True, help_text=_("e.g. Keep Scotland Beautiful")
    )
    description = models.TextField(blank=True, help_text=_("Markdown."))
    hours_required = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        default=8,
        help_text=_("Hours a learner must attend to count as trained."),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class CohortQuerySet(models.QuerySet):
    def with_stage(self):
        """Annotate each cohort's first session start, last session end and stage.

        The one statement of the sign-up rule: a cohort takes sign-ups until its
        first session starts (and its sign-up deadline, if it has one, has not
        passed); then it is running until its last session ends, and finished.
        A cohort with no sessions yet takes sign-ups ("dates to be announced").
        """
        now = timezone.now()
        sessions = Session.objects.filter(cohort=OuterRef("pk")).order_by()
        return self.annotate(
            first_starts_at=Subquery(
                sessions.order_by("starts_at").values("starts_at")[:1]
            ),
            last_ends_at=Subquery(
                sessions.annotate(ends_at=SESSION_ENDS_AT)
                .order_by("-ends_at")
                .values("ends_at")[:1]
            ),
        ).annotate(
            stage=Case(
                When(last_ends_at__lte=now, then=Value(Cohort.Stage.FINISHED)),
                When(first_starts_at__lte=now, then=Value(Cohort.Stage.RUNNING)),
                When(
                    signup_deadline__lt=timezone.localdate(),
                    then=Value(Cohort.Stage.CLOSED),
                ),
                default=Value(Cohort.Stage.TAKING_SIGNUPS),
                output_field=models.CharField(),
            )
        )

    def taking_signups(self):
        return self.with_stage().filter(stage=Cohort.Stage.TAKING_SIGNUPS)

    def not_taking_signups(self):
        return self.with_stage().exclude(stage=Cohort.Stage.TAKING_SIGNUPS)

    def run_by(self, user):
        """Cohorts this person may run: all for coordinators, else those they train."""
        if not user.is_authenticated:
            return self.none()
        if user.has_perm("training.run_training"):
            return self
        return self.filter(trainer=user)

    def certifiable_by(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.has_perm("training.certify_learners"):
            return self
        return self.filter(trainer=user)


class Cohort(models.Model):
    class Mode(models.TextChoices):
        ONLINE = "online", _("Online")
        IN_PERSON = "in_person", _("In person")

    class Stage(models.TextChoices):
        """Where a cohort is, computed by CohortQuerySet.with_stage (not stored)."""

        TAKING_SIGNUPS = "taking_signups", _("Taking sign-ups")
        CLOSED = "closed", _("Sign-ups closed")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_cohorts",
        limit_choices_to={"kind": Organisation.Kind.COUNCIL},
        help_text=_(
            "The council this cohort is for; leave empty for a cross-city cohort."
        ),
    )
    mode = models.CharField(max_length=20, choices=Mode.choices, default=Mode.IN_PERSON)
    location = models.CharField(max_length=200, blank=True)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_cohorts_trained",
    )
    capacity = models.PositiveIntegerField(default=20)
    signup_deadline = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("run_training", "Can run training cohorts"),
            ("certify_learners", "Can send evidence and certify learners"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("training:cohort", args=[self.pk])

    @property
    def audience(self) -> str:
        return str(self.organisation) if self.organisation_id else "Cross-city"

    @property
    def is_full(self) -> bool:
        """Every place is taken: a new sign-up joins the waiting list. Reads
        ``taken``, the confirmed enrolments (annotated by training.queries,
        counted under the cohort's lock by training.services)."""
        return self.taken >= self.capacity

    # The properties below read the annotations of CohortQuerySet.with_stage().

    @property
    def takes_signups(self) -> bool:
        return self.stage == self.Stage.TAKING_SIGNUPS

    def get_stage_display(self) -> str:
        return self.Stage(self.stage).label

    @property
    def signup_refusal(self) -> str:
        """Why this cohort takes no sign-ups, in words for the person trying."""
        if self.stage == self.Stage.CLOSED:
            return (
                f"Sign-ups to {self.name} closed on "
                f"{self.signup_deadline:%-d %B %Y}: choose another cohort."
            )
        if self.stage in (self.Stage.RUNNING, self.Stage.FINISHED):
            started = timezone.localtime(self.first_starts_at)
            return (
                f"{self.name} is {self.get_stage_display().lower()}: its first "
                f"session was on {started:%-d %B %Y}, so it no longer takes "
                "sign-ups. Choose a cohort that has not started yet."
            )
        return ""

    @property
    def evidence_due_on(self) -> date | None:
        """The last day for the trainer to send evidence to the Project: the
        evidence clock starts when the last session ends."""
        if self.last_ends_at is None:
            return None
        return timezone.localdate(self.last_ends_at) + timedelta(days=SEND_WITHIN_DAYS)

    def evidence_days_left(self, today: date | None = None) -> int | None:
        """Days until evidence is due: 0 on the last day, negative when late, None
        until the last session has ended."""
        if self.stage != self.Stage.FINISHED:
            return None
        return (self.evidence_due_on - (today or timezone.localdate())).days


class Session(models.Model):
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="sessions"
    )
    title = models.CharField(max_length=200, blank=True)
    starts_at = models.DateTimeField()
    hours = models.DecimalField(max_digits=4, decimal_places=1, default=4)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self):
        return self.title or f"Session on {timezone.localtime(self.starts_at):%d %B %Y}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(hours=float(self.hours))


# A session lasts its hours; the same sum as Session.ends_at, in SQL.
SESSION_ENDS_AT = ExpressionWrapper(
    F("starts_at") + F("hours") * Value(timedelta(hours=1)),
    output_field=DateTimeField(),
)


class EnrolmentQuerySet(models.QuerySet):
    def active(self):
        """A place or a waiting-list place: every enrolment not cancelled."""
        return self.exclude(status=Enrolment.Status.CANCELLED)


class Enrolment(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("Waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="enrolments"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    # Kept in step with the Attendance rows by services.record_attendance, so the
    # figures page counts "trained" in one aggregate query.
    hours_attended = models.DecimalField(max_digits=4, decimal_places=1, default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "member"], name="one_enrolment_per_cohort"
            )
        ]
        indexes = [models.Index(fields=["cohort", "status", "created_at"])]

    def __str__(self):
        return f"{self.member} in {self.cohort}"

    @property
    def is_trained(self) -> bool:
        return self.hours_attended >= self.cohort.course.hours_required


class Attendance(models.Model):
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="attendances"
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendances"
    )
    hours = models.DecimalField(max_digits=4, decimal_places=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "session"], name="one_attendance_per_session"
            )
        ]

    def __str__(self):
        return f"{self.hours} hours at {self.session}"


class Evidence(models.Model):
    """The learner's evidence form, then what the Project decided."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted to the trainer")
        SENT = "sent", _("Sent to the Carbon Literacy Project")
        RETURNED = "returned", _("More evidence needed")
        CERTIFIED = "certified", _("Certified")

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="evidence"
    )
    learning = models.TextField(
        _("What did you learn about climate change that surprised or moved you?"),
        blank=True,
    )
    role = models.TextField(
        _(
            "How does climate change affect your council and your role as an elected "
            "member?"
        ),
        blank=True,
    )
    sharing = models.TextField(
        _("How will you share what you learnt with others?"), blank=True
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    certificate_number = models.CharField(max_length=50, blank=True)
    certified_on = models.DateField(null=True, blank=True)
    return_note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = _("evidence")
        indexes = [models.Index(fields=["status", "certified_on"])]

    def __str__(self):
        return f"Evidence of {self.enrolment.member}"

    @property
    def is_editable(self) -> bool:
        """The learner may still change it: a draft, or returned for more."""
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class Pledge(models.Model):
    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("As an individual")
        GROUP = "group", _("Influencing a group")

    class Category(models.TextChoices):
        TRANSPORT = "transport", _("Transport")
        ENERGY = "energy", _("Energy")
        BUILDINGS = "buildings", _("Buildings and heat")
        PROCUREMENT = "procurement", _("Procurement")
        WASTE = "waste", _("Waste and circular economy")
        FOOD = "food", _("Food")
        NATURE = "nature", _("Nature and land")
        INFLUENCE = "influence", _("Influence and policy")

    class Progress(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        UNDER_WAY = "under_way", _("Under way")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    evidence = models.ForeignKey(
        Evidence, on_delete=models.CASCADE, related_name="pledges"
    )
    # Blank is allowed while the evidence is a draft; submitting checks them all.
    kind = models.CharField(max_length=20, choices=Kind.choices, blank=True)
    category = models.CharField(max_length=20, choices=Category.choices, blank=True)
    action = models.TextField(_("the action you pledge"), blank=True)
    target_date = models.DateField(null=True, blank=True)
    progress = models.CharField(
        max_length=20, choices=Progress.choices, default=Progress.NOT_STARTED
    )
    progress_note = models.CharField(max_length=300, blank=True)
    progress_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["category", "progress"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.action[:50]}"


class PledgeFollowup(models.Model):
    """One request to update pledges, at 3, 6 or 12 months; the row makes it once."""

    evidence = models.ForeignKey(
        Evidence, on_delete=models.CASCADE, related_name="followups"
    )
    months = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["months"]
        constraints = [
            models.UniqueConstraint(
                fields=["evidence", "months"], name="one_followup_per_milestone"
            )
        ]

    def __str__(self):
        return f"{self.months}-month follow-up"


class SignupIntent(models.Model):
    """A cohort someone chose before they had an approved account, so their home
    page can take them back to it once they are approved."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.member} wants {self.cohort}"


class EvidenceReminder(models.Model):
    """One reminder to a learner to write their evidence, on a day of the evidence
    clock (EVIDENCE_REMINDER_DAYS); the row makes it once."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="evidence_reminders"
    )
    day = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "day"], name="one_evidence_reminder_per_day"
            )
        ]

    def __str__(self):
        return f"Day {self.day} evidence reminder"
