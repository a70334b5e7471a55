from django.contrib import admin, messages
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kit.admin_scale import (
    IndexedSearchAdmin,
    ScaleAdmin,
    email_is,
    ids_of,
    picked_filter,
    words,
)
from network.models import Member
from network.models.members import name_title_vector

from . import services
from .models import CalendarFeed, Event, Feedback, Registration, Session, Speaker


def registrations_matching(registrations, term):
    """Registrations of the members (name words, exact email) or events (title
    words) the term names: each side an indexed lookup of a few ids."""
    members = Member.objects.annotate(name_title=name_title_vector()).filter(
        Q(name_title=words(term)) | email_is(term)
    )
    events = Event.objects.filter(search_vector=words(term))
    return registrations.filter(
        Q(member_id__in=ids_of(members)) | Q(event_id__in=ids_of(events))
    )


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ("starts_at", "ends_at", "title", "slides", "recording_url")
    show_change_link = True


@admin.register(Event)
class EventAdmin(IndexedSearchAdmin):
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
    date_hierarchy = "starts_at"
    filter_horizontal = ("themes", "drivers")
    autocomplete_fields = ("coordinators",)
    readonly_fields = ("created_by", "created_at", "published_at", "cancelled_at")
    inlines = [SessionInline]
    actions = ["publish_selected", "cancel_selected"]
    # Sorting 5,000 events by date with their text and vector spilt to disk.
    list_defer = ("description", "search_vector")

    def indexed_search(self, queryset, term):
        return queryset.filter(search_vector=words(term))

    def save_model(self, request, obj, form, change):
        services.save_event(obj, by=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        event = form.instance
        if not change and event.created_by_id:  # the form's empty list replaced them
            event.coordinators.add(event.created_by_id)
        services.update_search_vector(event)

    @admin.action(description=_("Publish selected events"), permissions=["change"])
    def publish_selected(self, request, queryset):
        count = sum(services.publish_event(event) for event in queryset)
        self.message_user(
            request,
            ngettext("%(count)d event published.", "%(count)d events published.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Cancel selected events (emails registrants)"),
        permissions=["change"],
    )
    def cancel_selected(self, request, queryset):
        count = sum(services.cancel_event(event) for event in queryset)
        self.message_user(
            request,
            ngettext("%(count)d event cancelled.", "%(count)d events cancelled.", count)
            % {"count": count},
            messages.SUCCESS,
        )


class SpeakerInline(admin.TabularInline):
    model = Speaker
    extra = 0
    autocomplete_fields = ("member",)


@admin.register(Session)
class SessionAdmin(ScaleAdmin):
    list_display = ("title", "event", "starts_at", "ends_at")
    list_filter = ("event__state",)
    search_fields = ("title", "description", "event__title")
    list_select_related = ("event",)
    # 17,527 sessions sorted by time, each with its event's text and vector.
    list_defer = ("description", "event__description", "event__search_vector")
    autocomplete_fields = ("event",)
    inlines = [SpeakerInline]


@admin.register(Registration)
class RegistrationAdmin(IndexedSearchAdmin):
    list_display = (
        "member",
        "event",
        "status",
        "registered_at",
        "attended",
        "reminder_sent_at",
    )
    # The event is picked from its own admin page's link or by search, never
    # from a list of every event.
    list_filter = ("status", "attended", picked_filter("event", "event"))
    search_fields = ("member__full_name", "member__email", "event__title")
    search_help_text = "Words of the member's name or the event; an exact email."
    list_select_related = ("member", "event")
    raw_id_fields = ("member", "event")
    # Needs can be health data: only the event's coordinators see them, on its
    # registrations page, never the admins here.
    exclude = ("access_needs", "dietary_needs", "needs_consent_at")
    actions = ["cancel_selected"]
    # Newest first from the primary key: ordering by registered_at sorted all
    # 300,000 registrations (with their members and events) for every page.
    ordering = ("-pk",)

    def indexed_search(self, queryset, term):
        return registrations_matching(queryset, term)

    @admin.action(
        description=_("Cancel selected registrations (promotes the waiting list)"),
        permissions=["change"],
    )
    def cancel_selected(self, request, queryset):
        promoted = []
        for registration in queryset:
            promoted += services.cancel_registration(registration)
        self.message_user(
            request,
            _("Cancelled; %(count)d promoted from the waiting list.")
            % {"count": len(promoted)},
            messages.SUCCESS,
        )


@admin.register(Feedback)
class FeedbackAdmin(IndexedSearchAdmin):
    list_display = ("registration", "rating", "created_at")
    list_filter = ("rating", picked_filter("event", "event"))
    search_fields = ("registration__member__full_name", "registration__event__title")
    search_help_text = "Words of the member's name or the event; an exact email."
    list_select_related = ("registration__member", "registration__event")
    raw_id_fields = ("registration", "event")
    ordering = ("-pk",)

    def indexed_search(self, queryset, term):
        registrations = registrations_matching(Registration.objects.all(), term)
        return queryset.filter(registration__in=registrations.values("pk"))


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ScaleAdmin):
    list_display = ("member", "created_at")
    search_fields = ("member__full_name", "member__email")
    list_select_related = ("member",)
    raw_id_fields = ("member",)
    exclude = ("token",)
