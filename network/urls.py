from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("pending/", views.pending, name="pending"),
]
