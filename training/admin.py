from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from kit.admin_scale import ScaleAdmin, picked_filter

from . import models, services


@admin.register(models.Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("name", "toolkit_version", "training_partner", "hours_required")
    list_filter = ("training_partner",)
    search_fields = ("name", "toolkit_version", "training_partner")


class SessionInline(admin.TabularInline):
    model = models.Session
    extra = 1


@admin.register(models.Cohort)
class CohortAdmin(ScaleAdmin):
    list_display = (
        "name",
        "course",
        "organisation",
        "mode",
        "trainer",
        "capacity",
        "signup_deadline",
    )
    list_filter = ("course", "mode", "organisation")
    search_fields = ("name", "course__name", "organisation__name", "trainer__full_name")
    list_select_related = ("course", "organisation", "trainer")
    autocomplete_fields = ("trainer",)
    inlines = [SessionInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A raised capacity gives its new places to the waiting list (the admin
        # saves in one transaction, so the emails go only if it all commits).
        promoted = services.promote_waiting(obj)
        if promoted:
            self.message_user(
                request,
                _("Places given from the waiting list: %(count)d, each emailed.")
                % {"count": len(promoted)},
                messages.INFO,
            )


@admin.register(models.Enrolment)
class EnrolmentAdmin(ScaleAdmin):
    # Newest first by key: the models' own orders sort every row for a page.
    ordering = ("-pk",)
    list_display = ("member", "cohort", "status", "hours_attended", "created_at")
    list_filter = ("status", picked_filter("cohort", "cohort"), "member__organisation")
    search_fields = ("member__full_name", "member__email", "cohort__name")
    list_select_related = ("member", "cohort")
    readonly_fields = ("hours_attended",)
    raw_id_fields = ("member",)
    autocomplete_fields = ("cohort",)
    actions = ["cancel"]

    @admin.action(description=_("Cancel, offering the place to the waiting list"))
    def cancel(self, request, queryset):
        for enrolment in queryset.active():
            services.cancel_enrolment(enrolment)


@admin.register(models.Attendance)
class AttendanceAdmin(ScaleAdmin):
    # Newest first by key: the models' own orders sort every row for a page.
    ordering = ("-pk",)
    list_display = ("enrolment", "session", "hours", "recorded_by", "recorded_at")
    list_filter = (picked_filter("session__cohort", "cohort"),)
    search_fields = ("enrolment__member__full_name",)
    list_select_related = (
        "enrolment__member",
        "enrolment__cohort",
        "session",
        "recorded_by",
    )
    readonly_fields = ("enrolment", "session", "hours", "recorded_by")


class PledgeInline(admin.StackedInline):
    model = models.Pledge
    extra = 0


@admin.register(models.Evidence)
class EvidenceAdmin(ScaleAdmin):
    # Newest first by key: the models' own orders sort every row for a page.
    ordering = ("-pk",)
    list_display = (
        "enrolment",
        "status",
        "submitted_at",
        "sent_at",
        "certificate_number",
        "certified_on",
    )
    list_filter = (
        "status",
        picked_filter("enrolment__cohort", "cohort"),
        "enrolment__member__organisation",
    )
    search_fields = ("enrolment__member__full_name", "certificate_number")
    list_select_related = ("enrolment__member", "enrolment__cohort")
    raw_id_fields = ("enrolment",)
    readonly_fields = (
        "status",
        "submitted_at",
        "sent_at",
        "sent_by",
        "certificate_number",
        "certified_on",
    )
    inlines = [PledgeInline]
    actions = ["mark_sent"]

    @admin.action(description=_("Mark as sent to the Carbon Literacy Project"))
    def mark_sent(self, request, queryset):
        for evidence in queryset.select_related("enrolment"):
            try:
                services.mark_sent(evidence, by=request.user)
            except (ValidationError, PermissionDenied):
                self.message_user(
                    request,
                    _("Could not mark %(evidence)s as sent.") % {"evidence": evidence},
                    messages.WARNING,
                )


@admin.register(models.Pledge)
class PledgeAdmin(ScaleAdmin):
    # Newest first by key: the models' own orders sort every row for a page.
    ordering = ("-pk",)
    list_display = ("evidence", "kind", "category", "target_date", "progress")
    list_filter = ("kind", "category", "progress")
    search_fields = ("action", "evidence__enrolment__member__full_name")
    list_select_related = ("evidence__enrolment__member", "evidence__enrolment__cohort")
    raw_id_fields = ("evidence",)


@admin.register(models.PledgeFollowup)
class PledgeFollowupAdmin(ScaleAdmin):
    # Newest first by key: the models' own orders sort every row for a page.
    ordering = ("-pk",)
    list_display = ("evidence", "months", "sent_at")
    list_filter = ("months",)
    search_fields = ("evidence__enrolment__member__full_name",)
    list_select_related = ("evidence__enrolment__member", "evidence__enrolment__cohort")
    raw_id_fields = ("evidence",)


@admin.register(models.EvidenceReminder)
class EvidenceReminderAdmin(ScaleAdmin):
    # Newest first by key: the models' own orders sort every row for a page.
    ordering = ("-pk",)
    list_display = ("enrolment", "day", "sent_at")
    list_filter = ("day",)
    search_fields = ("enrolment__member__full_name",)
    list_select_related = ("enrolment__member", "enrolment__cohort")
    raw_id_fields = ("enrolment",)
