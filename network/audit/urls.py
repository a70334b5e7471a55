from django.urls import path

from . import views

# Included into network/urls.py: the names live in the "network" namespace.
urlpatterns = [
    path("audit/", views.audit_trail, name="audit_trail"),
]
