from django.urls import path

from . import views

# Included into network/urls.py, so the names live in the "network" namespace.
# A profile, "ask the officer who did it" and a council's page share these
# addresses (/network/people/<pk>/, /network/people/ask/, /network/councils/...)
# but are portal's pages: portal/urls.py routes them.
urlpatterns = [
    path("people/", views.directory, name="directory"),
    path("people/profile/", views.profile_edit, name="profile_edit"),
    path("settings/", views.settings_hub, name="settings"),
]
