from django.contrib import admin, messages

from . import services
from .models import CalendarFeed, Event, Feedback, Registration, Session, Speaker


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ("starts_at", "ends_at", "title", "slides", "recording_url")
    show_change_link = True


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "starts_at",
        "format",
        "audience",
        "state",
        "is_public",
        "capacity",
    )
    list_filter = ("state", "format", "audience", "is_public", "themes")
    search_fields = ("title", "description", "venue")
    list_select_related = ("created_by",)
    date_hierarchy = "starts_at"
    filter_horizontal = ("themes", "drivers")
    autocomplete_fields = ("coordinators",)
    readonly_fields = ("created_by", "created_at", "published_at", "cancelled_at")
    inlines = [SessionInline]
    actions = ["publish_selected", "cancel_selected"]

    def save_model(self, request, obj, form, change):
        services.save_event(obj, by=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        event = form.instance
        if not change and event.created_by_id:  # the form's empty list replaced them
            event.coordinators.add(event.created_by_id)
        services.update_search_vector(event)

    @admin.action(description="Publish selected events", permissions=["change"])
    def publish_selected(self, request, queryset):
        count = sum(services.publish_event(event) for event in queryset)
        self.message_user(request, f"{count} event(s) published.", messages.SUCCESS)

    @admin.action(
        description="Cancel selected events (emails registrants)",
        permissions=["change"],
    )
    def cancel_selected(self, request, queryset):
        count = sum(services.cancel_event(event) for event in queryset)
        self.message_user(request, f"{count} event(s) cancelled.", messages.SUCCESS)


class SpeakerInline(admin.TabularInline):
    model = Speaker
    extra = 0
    autocomplete_fields = ("member",)


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("title", "event", "starts_at", "ends_at")
    list_filter = ("event__state",)
    search_fields = ("title", "description", "event__title")
    list_select_related = ("event",)
    inlines = [SpeakerInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = (
        "member",
        "event",
        "status",
        "registered_at",
        "attended",
        "reminder_sent_at",
    )
    list_filter = ("status", "attended", "event")
    search_fields = ("member__full_name", "member__email", "event__title")
    list_select_related = ("member", "event")
    raw_id_fields = ("member", "event")
    # Needs can be health data: only the event's coordinators see them, on its
    # registrations page, never the admins here.
    exclude = ("access_needs", "dietary_needs", "needs_consent_at")
    actions = ["cancel_selected"]

    @admin.action(
        description="Cancel selected registrations (promotes the waiting list)",
        permissions=["change"],
    )
    def cancel_selected(self, request, queryset):
        promoted = []
        for registration in queryset:
            promoted += services.cancel_registration(registration)
        self.message_user(
            request,
            f"Cancelled; {len(promoted)} promoted from the waiting list.",
            messages.SUCCESS,
        )


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("registration", "rating", "created_at")
    list_filter = ("rating", "registration__event")
    search_fields = ("comment", "registration__member__full_name")
    list_select_related = ("registration__member", "registration__event")


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ("member", "created_at")
    search_fields = ("member__full_name", "member__email")
    list_select_related = ("member",)
    exclude = ("token",)
