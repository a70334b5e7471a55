from django.urls import path

from . import views

# Included into network/urls.py, so the names live in the "network" namespace.
urlpatterns = [
    path("people/", views.directory, name="directory"),
    path("people/<int:pk>/", views.profile, name="profile"),
    path("people/profile/", views.profile_edit, name="profile_edit"),
    # Ask the officer who did it: by theme, or ?tag= for a free tag.
    path("people/ask/", views.topic, name="topic"),
    path("people/ask/<slug:theme_slug>/", views.topic, name="topic"),
    path("councils/<slug:slug>/", views.council, name="council"),
    path("settings/", views.settings_hub, name="settings"),
]
