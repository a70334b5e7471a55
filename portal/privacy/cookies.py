"""Every cookie the portal sets: the cookie page renders this list, and the
browser test fails on any cookie not in it. All are strictly necessary, so the
portal asks no consent for them (PECR regulation 6(4))."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Cookie:
    name: str
    purpose: str
    lasts: str


def cookies() -> list[Cookie]:
    return [
        Cookie(
            settings.SESSION_COOKIE_NAME,
            "Keeps you signed in as you move from page to page.",
            f"{settings.SESSION_COOKIE_AGE // 3600} hours at most, "
            f"{settings.PORTAL_SESSION_IDLE_SECONDS // 60} minutes without "
            "activity, or until you sign out",
        ),
        Cookie(
            settings.CSRF_COOKIE_NAME,
            "Makes sure a form you send came from the portal's own page.",
            "1 year",
        ),
        Cookie(
            "messages",
            "Carries a short confirmation (such as “Your profile is saved”) "
            "to the next page.",
            "Until the next page is shown",
        ),
        # TODO(#16): add the language cookie when the portal offers Gaelic.
    ]
