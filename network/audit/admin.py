"""The audit trail in Django admin: read-only for everyone, superusers included
(the database would refuse a change anyway)."""

import json

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kit.admin_scale import ScaleAdmin

from .models import AuditEvent
from .services import record, target_label


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _values(values: dict) -> str:
    return json.dumps(values, ensure_ascii=False, sort_keys=True) if values else ""


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnly, ScaleAdmin):
    list_display = ("created_at", "actor", "action", "target_label", "changes")
    # The time as a filter of fixed choices: a date hierarchy reads every
    # event's year for each page, and the trail only grows.
    list_filter = ("action", "target_type", "created_at")
    search_fields = ("target_label", "target_id")
    list_select_related = ("actor",)
    fields = (
        "created_at",
        "actor",
        "action",
        "target_type",
        "target_id",
        "target_label",
        "before",
        "after",
    )
    show_full_result_count = False

    @admin.display(description=_("Before → after"))
    def changes(self, obj):
        return format_html("{} → {}", _values(obj.before), _values(obj.after))


class AuditEventInline(ReadOnly, GenericTabularInline):
    """Every decision and admin change about the object, oldest first."""

    model = AuditEvent
    ct_field = "target_type"
    ct_fk_field = "target_id"
    fields = ("created_at", "actor", "action", "changes")
    readonly_fields = fields
    ordering = ("created_at", "pk")
    extra = 0
    verbose_name = _("audit event")
    verbose_name_plural = _("History (audit trail)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    @admin.display(description=_("Before → after"))
    def changes(self, obj):
        return format_html("{} → {}", _values(obj.before), _values(obj.after))


class AuditedAdmin:
    """Records every change an admin saves in the model's form (after its
    many-to-many fields are saved) and every delete, with the changed fields'
    values before and after.

    ``audit_roles``: fields whose change is a role change (their own action);
    ``audit_skipped``: fields a service records itself (an approval);
    ``audit_withheld``: personal fields, recorded only as changed, never their
    values (the trail outlives a member's erasure).
    """

    audit_actions: dict[str, str] = {}
    audit_roles: tuple[str, ...] = ()
    audit_skipped: tuple[str, ...] = ()
    audit_withheld: tuple[str, ...] = ()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        skipped = self.audit_skipped_fields(form)
        changed = [
            name
            for name in form.changed_data
            if name not in skipped and "password" not in name
        ]
        roles = [name for name in changed if name in self.audit_roles]
        others = [name for name in changed if name not in self.audit_roles]
        if roles and "roles" in self.audit_actions:
            before, after = _before_after(form, roles, self.audit_withheld)
            record(
                request.user, self.audit_actions["roles"], form.instance, before, after
            )
        if others or not change:
            action = self.audit_actions["changed" if change else "added"]
            before, after = _before_after(form, others, self.audit_withheld)
            record(request.user, action, form.instance, before if change else {}, after)

    def audit_skipped_fields(self, form) -> tuple[str, ...]:
        return self.audit_skipped

    def delete_model(self, request, obj):
        if "deleted" in self.audit_actions:
            record(request.user, self.audit_actions["deleted"], obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        if "deleted" in self.audit_actions:
            for obj in queryset:
                record(request.user, self.audit_actions["deleted"], obj)
        super().delete_queryset(request, queryset)


def _before_after(form, names, withheld) -> tuple[dict, dict]:
    before, after = {}, {}
    for name in names:
        if name in withheld:
            before[name] = after[name] = "(changed)"
            continue
        before[name] = _shown(form, name, form.initial.get(name))
        after[name] = _shown(form, name, form.cleaned_data.get(name))
    return before, after


def _shown(form, name, value):
    """A choice of objects as their names, whether the form holds ids (its
    initial values) or objects (what was saved)."""
    field = form.fields.get(name)
    queryset = getattr(field, "queryset", None)
    if queryset is None or value is None:
        return value
    many = isinstance(value, list | tuple | set) or hasattr(value, "model")
    items = list(value) if many else [value]
    ids = [getattr(item, "pk", item) for item in items]
    labels = sorted(
        target_label(obj) for obj in queryset.model._base_manager.filter(pk__in=ids)
    )
    return labels if many else (labels[0] if labels else None)
