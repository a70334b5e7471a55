from django.urls import path

from . import views

app_name = "casestudies"

urlpatterns = [
    path("", views.case_study_list, name="list"),
    path("download.csv", views.case_study_csv, name="csv"),
    path("new/", views.case_study_create, name="create"),
    path("mine/", views.my_case_studies, name="mine"),
    path("review/", views.review_queue, name="review_queue"),
    path("impact/", views.impact, name="impact"),
    # The PBCCD report's projects table, for a council's members and coordinators.
    path("pbccd/<slug:slug>/", views.pbccd_projects, name="pbccd"),
    path("pbccd/<slug:slug>/<int:year>.csv", views.pbccd_csv, name="pbccd_csv"),
    path("pbccd/<slug:slug>/<int:year>.xlsx", views.pbccd_xlsx, name="pbccd_xlsx"),
    path("<int:pk>/", views.case_study_detail, name="detail"),
    path("<int:pk>/edit/", views.case_study_edit, name="edit"),
    path("<int:pk>/submit/", views.case_study_submit, name="submit"),
    path("<int:pk>/publish/", views.case_study_publish, name="publish"),
    path("<int:pk>/return/", views.case_study_return, name="return"),
    path("<int:pk>/unpublish/", views.case_study_unpublish, name="unpublish"),
    path("<int:pk>/discuss/", views.case_study_discuss, name="discuss"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
]
