"""The unread notification count in the navigation, for approved members only."""

from django.utils.functional import SimpleLazyObject


def notifications(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and user.is_approved):
        return {}
    from .queries import unread_notification_count

    # Lazy: one count query, and only when a page actually shows the navigation.
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: unread_notification_count(user)
        )
    }
