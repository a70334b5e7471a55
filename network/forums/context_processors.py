"""The unread notification count in the navigation, for approved members only."""


def notifications(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and user.is_approved):
        return {}
    # Kept on the member's own row (Member.unread_notifications): no query here.
    return {
        "unread_notifications": user.unread_notifications,
        "unread_messages": user.unread_messages,
    }
