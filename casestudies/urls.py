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
