from django.urls import path

from . import views
from .audit.urls import urlpatterns as audit_patterns
from .conversations.urls import urlpatterns as conversation_patterns
from .forums.urls import urlpatterns as forum_patterns
from .people.urls import urlpatterns as people_patterns

app_name = "network"

urlpatterns = [
    path("pending/", views.pending, name="pending"),
    *audit_patterns,
    *conversation_patterns,
    *forum_patterns,
    *people_patterns,
]
