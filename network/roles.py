"""Roles are Django groups with permissions; code checks permissions, never names.

Each app's migrations grant its own permissions to the groups here, with
``grant_permissions`` inside a RunPython step.
"""

COORDINATORS = "Coordinators"
NETWORK_ADMINS = "Network admins"


def grant_permissions(apps, group_name: str, perms: list[str]) -> None:
    """Give a group permissions named "app_label.codename", creating any missing.

    Permissions are normally created after all migrations run; a data migration
    creates the ones it needs first, so a fresh database has them straight away.
    """
    from django.contrib.auth.management import create_permissions

    for app_label in {perm.split(".")[0] for perm in perms}:
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    for perm in perms:
        app_label, codename = perm.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def must_use_second_factor(member) -> bool:
    """Staff, superusers and anyone holding a permission (coordinators, moderators,
    network admins: every permission belongs to a role that sees other members'
    data) must sign in with a second factor. No query: permission sets are cached
    (network/backends.py)."""
    from .backends import CachedPermissionsBackend

    if not member.is_authenticated or not member.is_active:
        return False
    if member.is_staff or member.is_superuser:
        return True
    return bool(CachedPermissionsBackend().get_all_permissions(member))


def has_second_factor(member) -> bool:
    """An authenticator app or a passkey (recovery codes only back those up)."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user_id=member.pk,
        type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN],
    ).exists()
