from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.db.models import Case, IntegerField, Value, When

from .audit.admin import AuditedAdmin, AuditEventInline
from .audit.services import Action
from .forums import admin as forums_admin  # noqa: F401  (registers discussions)
from .models import City, Member, Organisation, Theme
from .services import (
    approve_member,
    end_all_sessions,
    reject_member,
    suspend_member,
)


class MemberCreationForm(AdminUserCreationForm):
    class Meta:
        model = Member
        fields = ("email", "full_name")


@admin.register(Member)
class MemberAdmin(AuditedAdmin, UserAdmin):
    add_form = MemberCreationForm
    inlines = [AuditEventInline]
    audit_actions = {
        "added": Action.MEMBER_ADDED,
        "changed": Action.MEMBER_CHANGED,
        "roles": Action.MEMBER_ROLES_CHANGED,
    }
    audit_roles = (
        "is_active",
        "is_staff",
        "is_superuser",
        "groups",
        "user_permissions",
    )
    audit_skipped = ("approval_state",)
    audit_withheld = ("email", "full_name", "job_title", "bio", "expertise")
    list_display = (
        "full_name",
        "email",
        "organisation",
        "member_type",
        "approval_state",
        "needs_review",
        "date_joined",
    )
    list_filter = (
        "approval_state",
        "member_type",
        "needs_review",
        "organisation__city",
        "organisation",
        "is_staff",
        "groups",
    )
    search_fields = ("full_name", "handle", "email", "job_title", "organisation__name")
    list_select_related = ("organisation",)
    readonly_fields = (
        "handle",
        "decided_by",
        "decided_at",
        "last_login",
        "date_joined",
    )
    ordering = ("full_name",)
    actions = ["approve_selected", "reject_selected", "suspend_selected"]
    autocomplete_fields = ("organisation",)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            "Member",
            {
                "fields": (
                    "full_name",
                    "handle",
                    "job_title",
                    "organisation",
                    "member_type",
                    "bio",
                    "expertise",
                    "show_email",
                )
            },
        ),
        (
            "Approval",
            {
                "fields": (
                    "approval_state",
                    "needs_review",
                    "decision_note",
                    "decided_by",
                    "decided_at",
                )
            },
        ),
        (
            "Permissions",
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "password1", "password2"),
            },
        ),
    )

    def get_ordering(self, request):
        # Pending members first, newest first within each group.
        pending_first = Case(
            When(approval_state=Member.Approval.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return (pending_first.asc(), "-date_joined")

    def _decide(self, request, queryset, service, verb):
        if not request.user.has_perm("network.approve_member"):
            self.message_user(
                request, "You may not approve or reject members.", messages.ERROR
            )
            return
        changed = sum(
            1 for member in queryset if service(member, decided_by=request.user)
        )
        self.message_user(request, f"{changed} member(s) {verb}.", messages.SUCCESS)

    @admin.action(description="Approve selected members (and email them)")
    def approve_selected(self, request, queryset):
        self._decide(request, queryset, approve_member, "approved")

    @admin.action(description="Reject selected members (and email them)")
    def reject_selected(self, request, queryset):
        self._decide(request, queryset, reject_member, "rejected")

    @admin.action(description="Suspend selected members")
    def suspend_selected(self, request, queryset):
        self._decide(request, queryset, suspend_member, "suspended")

    def save_model(self, request, obj, form, change):
        # A state changed by hand goes through the same services (email, who/when).
        if change and "approval_state" in form.changed_data:
            new_state = obj.approval_state
            obj.approval_state = form.initial["approval_state"]
            super().save_model(request, obj, form, change)
            service = {
                Member.Approval.APPROVED: approve_member,
                Member.Approval.REJECTED: reject_member,
                Member.Approval.SUSPENDED: suspend_member,
            }.get(new_state)
            if service is approve_member:
                service(obj, decided_by=request.user)
            elif service:
                # The note typed beside the decision is the decision's reason.
                service(obj, decided_by=request.user, note=obj.decision_note)
            else:
                obj.approval_state = new_state
                obj.save(update_fields=["approval_state"])
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and "is_active" in form.changed_data and not form.instance.is_active:
            end_all_sessions(form.instance)  # deactivated: signed out everywhere

    def audit_skipped_fields(self, form):
        # A decision's note is recorded with the decision (network.services).
        if "approval_state" in form.changed_data:
            return (*self.audit_skipped, "decision_note")
        return self.audit_skipped

    def get_inlines(self, request, obj):
        # The history belongs to an existing member; the add form has none.
        return self.inlines if obj else []


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin, admin.ModelAdmin):
    inlines = [AuditEventInline]
    audit_actions = {
        "added": Action.ORGANISATION_ADDED,
        "changed": Action.ORGANISATION_CHANGED,
        "deleted": Action.ORGANISATION_DELETED,
    }
    list_display = (
        "name",
        "kind",
        "city",
        "domains",
        "character",
        "population_thousands",
        "councillors",
    )
    list_filter = ("kind", "city", "character")
    search_fields = ("name", "gss_code", "email_domains")
    prepopulated_fields = {"slug": ("name",)}
    list_select_related = ("city",)

    @admin.display(description="Email domains")
    def domains(self, obj):
        return ", ".join(obj.email_domains)


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ("name", "latitude", "longitude")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("name", "order")
    list_editable = ("order",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
