from django.conf import settings

from .privacy.notice import has_unread_version


def portal(request):
    user = getattr(request, "user", None)
    return {
        "site_name": settings.SITE_NAME,
        "privacy_notice_version": settings.PRIVACY_NOTICE_VERSION,
        # The member's own row, already loaded: no query.
        "privacy_notice_changed": bool(user and has_unread_version(user)),
    }
