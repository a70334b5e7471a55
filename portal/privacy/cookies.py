"""Every cookie the portal sets: the cookie page renders this list, and the
browser test fails on any cookie not in it. All are strictly necessary, so the
portal asks no consent for them (PECR regulation 6(4))."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Cookie:
    name: str
    purpose: str
    lasts: str


def cookies() -> list[Cookie]:
    return [
        Cookie(
            settings.SESSION_COOKIE_NAME,
            _("Keeps you signed in as you move from page to page."),
            _(
                "%(hours)s hours at most, %(minutes)s minutes without activity, "
                "or until you sign out"
            )
            % {
                "hours": settings.SESSION_COOKIE_AGE // 3600,
                "minutes": settings.PORTAL_SESSION_IDLE_SECONDS // 60,
            },
        ),
        Cookie(
            settings.CSRF_COOKIE_NAME,
            _("Makes sure a form you send came from the portal's own page."),
            _("1 year"),
        ),
        Cookie(
            "messages",
            _(
                "Carries a short confirmation (such as “Your profile is saved”) "
                "to the next page."
            ),
            _("Until the next page is shown"),
        ),
        Cookie(
            settings.LANGUAGE_COOKIE_NAME,
            _(
                "Remembers the language you chose, English or Gaelic. It is set "
                "only when you choose one."
            ),
            _("1 year"),
        ),
    ]
