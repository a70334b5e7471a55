import secrets

from allauth.account.signals import email_confirmed
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from .forums.jobs import recount_unread
from .models import Member
from .services import notify_approvers


@receiver(email_confirmed)
def tell_approvers_once_verified(request, email_address, **kwargs):
    """Only a verified address puts someone in the approval queue."""
    if email_address.primary:
        notify_approvers(email_address.user)


# --- A role change: new permission sets, and the unread count ------------------
# Groups and permissions change in Django admin's widgets (and the demo data):
# these signals are the one hook every path passes. They renew the permission
# cache's token and queue the unread recount (network.forums.jobs.recount_unread),
# which grows with a group's members. Hiding, showing and moving posts recount in
# network/forums/services.py (visibility_saved).


def _members_concerned(instance, model, pk_set) -> set[int]:
    if isinstance(instance, Member):  # member.groups / member.user_permissions
        return {instance.pk}
    if model is Member and pk_set is not None:  # group.user_set.add(...) and so on
        return set(pk_set)
    if isinstance(instance, Group) or model is Member:
        return set(instance.user_set.values_list("pk", flat=True))
    # permission.group_set: the members of those groups
    groups = pk_set if pk_set is not None else instance.group_set.all()
    return set(Member.objects.filter(groups__in=groups).values_list("pk", flat=True))


def _roles_changed(member_ids) -> None:
    """New cached permission sets (network.backends) at once, and a job for the
    unread counts: a member who gains or loses the moderator role sees more or
    fewer notifications."""
    member_ids = set(member_ids)
    if not member_ids:
        return
    Member.objects.filter(pk__in=member_ids).update(
        permissions_token=secrets.randbits(62)
    )
    recount_unread.defer(member_ids=sorted(member_ids))


@receiver(m2m_changed, sender=Member.groups.through)
@receiver(m2m_changed, sender=Member.user_permissions.through)
@receiver(m2m_changed, sender=Group.permissions.through)
def after_role_change(sender, instance, action, model, pk_set, **kwargs):
    if action == "pre_clear":  # afterwards the relation no longer names them
        instance._roles_changed_for = _members_concerned(instance, model, None)
    elif action == "post_clear":
        _roles_changed(instance.__dict__.pop("_roles_changed_for", ()))
    elif action in {"post_add", "post_remove"}:
        _roles_changed(_members_concerned(instance, model, pk_set))
