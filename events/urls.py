from django.urls import path

from .views import calendars, coordinator, exports, member, public

app_name = "events"

urlpatterns = [
    path("", member.event_list, name="list"),
    path("past/", member.event_past, name="past"),
    path("calendar/", member.event_calendar, name="calendar"),
    path("new/", coordinator.event_create, name="create"),
    path("my-calendar/", calendars.my_calendar, name="my_calendar"),
    path("my-calendar/reset/", calendars.my_calendar_reset, name="my_calendar_reset"),
    path("feed/public.ics", calendars.public_feed, name="public_feed"),
    path("feed/<str:token>/mine.ics", calendars.member_feed, name="member_feed"),
    path("feed/<str:token>/network.ics", calendars.network_feed, name="network_feed"),
    path("public/", public.public_list, name="public_list"),
    path("public/<int:pk>/", public.public_detail, name="public_detail"),
    path("<int:pk>/", member.event_detail, name="detail"),
    path("<int:pk>/event.ics", member.event_ics, name="ics"),
    path("<int:pk>/register/", member.event_register, name="register"),
    path(
        "<int:pk>/registration/", member.registration_update, name="registration_update"
    ),
    path(
        "<int:pk>/registration/cancel/",
        member.registration_cancel,
        name="registration_cancel",
    ),
    path("<int:pk>/feedback/", member.event_feedback, name="feedback"),
    path("<int:pk>/discuss/", member.event_discuss, name="discuss"),
    path("<int:pk>/edit/", coordinator.event_edit, name="edit"),
    path("<int:pk>/publish/", coordinator.event_publish, name="publish"),
    path("<int:pk>/cancel/", coordinator.event_cancel, name="cancel"),
    path("<int:pk>/sessions/new/", coordinator.session_create, name="session_create"),
    path(
        "<int:pk>/sessions/<int:session_pk>/edit/",
        coordinator.session_edit,
        name="session_edit",
    ),
    path(
        "<int:pk>/sessions/<int:session_pk>/delete/",
        coordinator.session_delete,
        name="session_delete",
    ),
    path(
        "<int:pk>/sessions/<int:session_pk>/slides/",
        member.session_slides,
        name="session_slides",
    ),
    path(
        "<int:pk>/sessions/<int:session_pk>/case-study/",
        coordinator.session_to_case_study,
        name="session_to_case_study",
    ),
    path(
        "<int:pk>/registrations/", coordinator.registration_list, name="registrations"
    ),
    path(
        "<int:pk>/registrations.csv", exports.registration_csv, name="registrations_csv"
    ),
    path("<int:pk>/needs.csv", exports.needs_csv, name="needs_csv"),
    path("<int:pk>/email/", coordinator.email_registrants, name="email_registrants"),
    path(
        "<int:pk>/feedback/results/",
        coordinator.feedback_results,
        name="feedback_results",
    ),
]
