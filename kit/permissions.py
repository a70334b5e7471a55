"""Who may see a page. Every view needs an approved member unless marked here.

* ``login_not_required`` (Django's): open to anyone, signed in or not.
* ``approval_not_required``: for signed-in members who are still waiting, or who
  were refused (their account pages, the pending page).

``network.middleware.ApprovedMemberMiddleware`` enforces the default.
"""

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied

__all__ = [
    "approval_not_required",
    "login_not_required",
    "permission_required_403",
]


def approval_not_required(view_func):
    view_func.approval_required = False
    return view_func


def permission_required_403(perm: str):
    """An approved member without the permission gets a 403, not a login loop."""

    def decorator(view_func):
        @wraps(view_func)
        def wrapper(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view_func(request, *args, **kwargs)

        return wrapper

    return decorator
