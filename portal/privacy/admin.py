"""Deleting a member in Django admin erases them (portal.privacy.erasure) instead:
a member who posted or wrote a case study could not be deleted at all (their
work is protected), and a plain delete would leave their name in others' posts."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from network.admin import MemberAdmin
from network.models import Member

from .erasure import erase_member


class ErasingMemberAdmin(MemberAdmin):
    def get_deleted_objects(self, objs, request):
        """The confirmation page lists the members to erase; nothing blocks it."""
        to_delete = [
            f"{obj} (erased: their work stays as “Former member”)" for obj in objs
        ]
        return to_delete, {Member._meta.verbose_name_plural: len(to_delete)}, set(), []

    def delete_model(self, request, obj):
        erase_member(obj, by=request.user, reason="erased by an administrator")

    def delete_queryset(self, request, queryset):
        for member in queryset:
            erase_member(member, by=request.user, reason="erased by an administrator")
        messages.info(
            request, _("Erased members stay as nameless “Former member” rows.")
        )


def install() -> None:
    """Called from portal's AppConfig.ready, after admin found network's admin."""
    if admin.site.is_registered(Member):
        admin.site.unregister(Member)
    admin.site.register(Member, ErasingMemberAdmin)
