from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.home, name="home"),
    path("carbon-literacy/", views.signup, name="signup"),
    path("progress/", views.progress, name="progress"),
    path("progress.csv", views.progress_csv, name="progress_csv"),
    path("courses/new/", views.course_create, name="course_create"),
    path("cohorts/new/", views.cohort_edit, name="cohort_create"),
    path("cohorts/<int:pk>/", views.cohort_detail, name="cohort"),
    path("cohorts/<int:pk>/edit/", views.cohort_edit, name="cohort_edit"),
    path("cohorts/<int:pk>/join/", views.cohort_join, name="join"),
    path("sessions/<int:pk>/attendance/", views.session_attendance, name="attendance"),
    path("enrolments/<int:pk>/cancel/", views.enrolment_cancel, name="cancel"),
    path("enrolments/<int:pk>/evidence/", views.evidence_edit, name="evidence"),
    path("enrolments/<int:pk>/review/", views.evidence_review, name="review"),
    path("enrolments/<int:pk>/pledges/", views.pledge_progress, name="pledges"),
]
