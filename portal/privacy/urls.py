from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("erase/", views.erase, name="erase"),
    path("erased/", views.erased, name="erased"),
    path("export/", views.export, name="export"),
    path("notice/read/", views.notice_read, name="notice_read"),
    path("export/<str:token>/", views.export_download, name="export_download"),
]
