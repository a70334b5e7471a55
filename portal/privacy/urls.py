from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("erase/", views.erase, name="erase"),
    path("erased/", views.erased, name="erased"),
    path("export/", views.export, name="export"),
    path("export/<str:token>/", views.export_download, name="export_download"),
]
