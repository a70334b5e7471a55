"""The portal's addresses plus one view that fails, for the error page tests."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from portal.urls import handler500
from portal.urls import urlpatterns as portal_urlpatterns

__all__ = ["handler500", "urlpatterns"]


@login_not_required
def broken(request):
    raise RuntimeError("A bug in a view")


urlpatterns = [path("broken/", broken), *portal_urlpatterns]
