"""Permission checks without a query per page.

Django's ModelBackend reads a member's permissions with two queries on the first
check of every request. Here the set is cached under a key made from the member's
own row (read on every request anyway): ``permissions_token`` changes whenever the
member's groups or permissions, or their groups' permissions, change
(network/signals.py), and ``is_superuser``/``is_active`` are in the key too. Every
worker therefore sees a change on its next request, without a shared cache.
"""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.core.cache import caches
from django.db.models import Q

CACHE_SECONDS = 60 * 60
# Each worker's own memory (the key changes with every change, so no copy is stale):
# the shared default cache would cost a round trip on every page.
PERMISSIONS_CACHE = "pages"


def permissions_key(member) -> str:
    return (
        f"member-permissions:{member.pk}:{member.permissions_token}:"
        f"{int(member.is_superuser)}:{int(member.is_active)}"
    )


class CachedPermissionsBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            key = permissions_key(user_obj)
            cache = caches[PERMISSIONS_CACHE]
            permissions = cache.get(key)
            if permissions is None:
                permissions = self._read_permissions(user_obj)
                cache.set(key, permissions, CACHE_SECONDS)
            user_obj._perm_cache = permissions
        return user_obj._perm_cache

    def _read_permissions(self, member) -> set[str]:
        """The member's own and their groups' permissions in one query (Django
        reads them with two)."""
        if member.is_superuser:
            return super().get_all_permissions(member)
        rows = (
            Permission.objects.filter(Q(user=member) | Q(group__user=member))
            .values_list("content_type__app_label", "codename")
            .distinct()
        )
        return {f"{app_label}.{codename}" for app_label, codename in rows}
