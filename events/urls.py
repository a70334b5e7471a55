from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("past/", views.event_past, name="past"),
    path("calendar/", views.event_calendar, name="calendar"),
    path("new/", views.event_create, name="create"),
    path("my-calendar/", views.my_calendar, name="my_calendar"),
    path("my-calendar/reset/", views.my_calendar_reset, name="my_calendar_reset"),
    path("feed/public.ics", views.public_feed, name="public_feed"),
    path("feed/<str:token>/mine.ics", views.member_feed, name="member_feed"),
    path("feed/<str:token>/network.ics", views.network_feed, name="network_feed"),
    path("public/", views.public_list, name="public_list"),
    path("public/<int:pk>/", views.public_detail, name="public_detail"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/event.ics", views.event_ics, name="ics"),
    path("<int:pk>/register/", views.event_register, name="register"),
    path(
        "<int:pk>/registration/", views.registration_update, name="registration_update"
    ),
    path(
        "<int:pk>/registration/cancel/",
        views.registration_cancel,
        name="registration_cancel",
    ),
    path("<int:pk>/feedback/", views.event_feedback, name="feedback"),
    path("<int:pk>/discuss/", views.event_discuss, name="discuss"),
    path("<int:pk>/edit/", views.event_edit, name="edit"),
    path("<int:pk>/publish/", views.event_publish, name="publish"),
    path("<int:pk>/cancel/", views.event_cancel, name="cancel"),
    path("<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path(
        "<int:pk>/sessions/<int:session_pk>/edit/",
        views.session_edit,
        name="session_edit",
    ),
    path(
        "<int:pk>/sessions/<int:session_pk>/delete/",
        views.session_delete,
        name="session_delete",
    ),
    path(
        "<int:pk>/sessions/<int:session_pk>/slides/",
        views.session_slides,
        name="session_slides",
    ),
    path(
        "<int:pk>/sessions/<int:session_pk>/case-study/",
        views.session_to_case_study,
        name="session_to_case_study",
    ),
    path("<int:pk>/registrations/", views.registration_list, name="registrations"),
    path(
        "<int:pk>/registrations.csv", views.registration_csv, name="registrations_csv"
    ),
    path("<int:pk>/needs.csv", views.needs_csv, name="needs_csv"),
    path("<int:pk>/email/", views.email_registrants, name="email_registrants"),
    path("<int:pk>/feedback/results/", views.feedback_results, name="feedback_results"),
]
