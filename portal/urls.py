import allauth.urls
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import URLResolver, include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from kit.permissions import approval_not_required
from network import views as network_views

from . import drivers, health, people, views, wellknown


def _open_to_waiting_members(patterns):
    """Account pages (email, password, sign out) stay usable while a member waits
    for approval or reads why they were refused."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _open_to_waiting_members(pattern.url_patterns)
        else:
            approval_not_required(pattern.callback)
    return patterns


portal_patterns = (
    [
        path("", views.home, name="home"),
        path("home/", views.member_home, name="member_home"),
        path("about/", views.about, name="about"),
        path("privacy/", views.privacy, name="privacy"),
        path("accessibility/", views.accessibility, name="accessibility"),
        path("cookies/", views.cookies, name="cookies"),
        path("reference/", views.reference, name="reference"),
        path("search/", views.search, name="search"),
        # A member's profile, "ask the officer who did it" (by theme, or ?tag=
        # for a free tag) and a council's page gather from several apps, so
        # they are portal's, at the /network/ addresses members bookmarked.
        path("network/people/<int:pk>/", people.profile, name="profile"),
        path("network/people/ask/", people.topic, name="topic"),
        path("network/people/ask/<slug:theme_slug>/", people.topic, name="topic"),
        path("network/councils/<slug:slug>/", people.council, name="council"),
        path("policy-drivers/", drivers.driver_list, name="drivers"),
        path("policy-drivers/<slug:slug>/", drivers.driver_detail, name="driver"),
    ],
    "portal",
)

# The 500 page from its template alone (portal/errors.py); 400, 403 and 404 are
# Django's own views with the branded templates.
handler500 = "portal.errors.server_error"

admin.site.site_header = "Net Zero Network administration"
admin.site.site_title = "Net Zero Network admin"
# One way in: /admin/login/ sends the browser to allauth's sign-in page.
admin.site.login = views.admin_login

urlpatterns = [
    path("healthz/", health.healthz, name="healthz"),
    # The footer's language switch (django.conf.urls.i18n's address and name):
    # anyone may choose English or Gaelic, signed in or not. Without a CSRF token:
    # the switch is on every page, and a token there would set a CSRF cookie on
    # every page, public ones included; a forged request can only change the
    # language, which the reader changes back with one button.
    path(
        "i18n/setlang/",
        csrf_exempt(login_not_required(set_language)),
        name="set_language",
    ),
    path("robots.txt", wellknown.robots_txt, name="robots_txt"),
    path(".well-known/security.txt", wellknown.security_txt, name="security_txt"),
    path("favicon.ico", wellknown.favicon, name="favicon"),
    path("", include(portal_patterns)),
    # Before allauth's own view at this address: the last passkey of someone who
    # must have a second factor is not removed (network.views.RemovePasskeyView).
    path(
        "accounts/2fa/webauthn/keys/<int:pk>/remove/",
        network_views.remove_passkey,
        name="mfa_remove_webauthn",
    ),
    # And allauth's list of the member's sessions, read in one query
    # (network.views.SessionsView).
    path("accounts/sessions/", network_views.sessions, name="usersessions_list"),
    path("accounts/", include(_open_to_waiting_members(allauth.urls.urlpatterns))),
    path("admin/", admin.site.urls),
    path("network/", include("network.urls")),
    path("case-studies/", include("casestudies.urls")),
    path("events/", include("events.urls")),
    path("training/", include("training.urls")),
    path("account/privacy/", include("portal.privacy.urls")),
]
