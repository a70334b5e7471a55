from allauth.account.decorators import reauthentication_required
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from kit.admin_scale import IndexedSearchAdmin, email_is, ids_of, related_filter, words

from .audit.admin import AuditedAdmin, AuditEventInline
from .audit.services import Action, record
from .forums import admin as forums_admin  # noqa: F401  (registers discussions)
from .forums.notifications import recount_unread_notifications
from .models import City, Member, Organisation, PolicyDriver, Theme
from .models.members import pending_first
from .services import (
    ApprovalRefused,
    approve_member,
    check_approval,
    check_member,
    end_all_sessions,
    reject_member,
    suspend_member,
)


class MemberCreationForm(AdminUserCreationForm):
    class Meta:
        model = Member
        fields = ("email", "full_name")


class MemberChangeForm(UserChangeForm):
    """Django admin's member form: approving a flagged sign-up here needs the
    warnings confirmed, as the approve action does (network.services.check_approval)."""

    confirm_warnings = forms.BooleanField(
        label=_("I have checked why this sign-up was flagged"),
        required=False,
        help_text=_("Needed to approve a member flagged above."),
    )

    class Meta(UserChangeForm.Meta):
        model = Member

    def clean(self):
        cleaned = super().clean()
        approving = cleaned.get("approval_state") == Member.Approval.APPROVED and (
            self.initial.get("approval_state") != Member.Approval.APPROVED
        )
        if not approving or self.errors:
            return cleaned
        check = check_approval(
            email=cleaned.get("email", ""),
            organisation=cleaned.get("organisation"),
            member_type=cleaned.get("member_type", ""),
        )
        for refusal in check.refusals:
            self.add_error("organisation", refusal)
        if check.warnings and not cleaned.get("confirm_warnings"):
            self.add_error(
                "confirm_warnings",
                "This sign-up was flagged: "
                + " ".join(check.warnings)
                + " Tick the box to approve it anyway.",
            )
        return cleaned


@admin.register(Member)
class MemberAdmin(AuditedAdmin, IndexedSearchAdmin, UserAdmin):
    add_form = MemberCreationForm
    form = MemberChangeForm
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

    # Every decision on a member here (approve, reject, suspend, roles, a change,
    # a deletion) asks for the password or second factor again when the last
    # confirmation is more than ACCOUNT_REAUTHENTICATION_TIMEOUT old; reading does
    # not. allauth keeps the form posted and sends it on once confirmed.
    staff_decision = method_decorator(reauthentication_required(allow_get=True))

    @staff_decision
    def changeform_view(self, *args, **kwargs):
        return super().changeform_view(*args, **kwargs)

    @staff_decision
    def changelist_view(self, *args, **kwargs):
        return super().changelist_view(*args, **kwargs)

    @staff_decision
    def delete_view(self, *args, **kwargs):
        return super().delete_view(*args, **kwargs)

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
        # Through the membership table: no DISTINCT over whole members.
        related_filter("groups", _("group")),
    )
    # Shown as the search box's hint; the search itself is indexed_search.
    search_fields = ("full_name", "job_title", "bio", "email", "handle")
    search_help_text = (
        "Words of the name, job title or biography; an exact email or handle; "
        "or part of an organisation's name."
    )
    list_select_related = ("organisation",)
    readonly_fields = (
        "handle",
        "flagged_because",
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
                    "flagged_because",
                    "confirm_warnings",
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
        # Pending members first, newest first within each group: the order of
        # the member_admin_order index, so a deep page reads only its rows.
        return (pending_first().asc(), "-date_joined", "-pk")

    def indexed_search(self, queryset, term):
        organisations = ids_of(Organisation.objects.filter(name__icontains=term))
        return queryset.filter(
            Q(search_vector=words(term))
            | email_is(term)
            | Q(handle=term.lstrip("@"))
            | Q(organisation_id__in=organisations)
        )

    def _decide(self, request, queryset, service, verb):
        if not request.user.has_perm("network.approve_member"):
            self.message_user(
                request, _("You may not approve or reject members."), messages.ERROR
            )
            return
        changed = sum(
            1 for member in queryset if service(member, decided_by=request.user)
        )
        self.message_user(request, verb % {"count": changed}, messages.SUCCESS)

    @admin.display(description=_("Flagged because"))
    def flagged_because(self, obj):
        check = check_member(obj)
        reasons = check.refusals + check.warnings
        if not reasons:
            return _("Nothing: the email matches the organisation.")
        return format_html_join("", "<p>{}</p>", ((reason,) for reason in reasons))

    @admin.action(description=_("Approve selected members (and email them)"))
    def approve_selected(self, request, queryset):
        """Approve at once when nothing is flagged; otherwise first show why each
        flagged sign-up was flagged, and approve once the admin confirms."""
        if not request.user.has_perm("network.approve_member"):
            self.message_user(
                request, _("You may not approve or reject members."), messages.ERROR
            )
            return None
        waiting = [
            (member, check_member(member))
            for member in queryset.select_related("organisation")
            if member.approval_state != Member.Approval.APPROVED
        ]
        flagged = [(m, c) for m, c in waiting if c.warnings and not c.refusals]
        if flagged and request.POST.get("post") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": _("Approve flagged sign-ups?"),
                "opts": self.model._meta,
                "flagged": flagged,
                "refused": [(m, c) for m, c in waiting if c.refusals],
                "clear": [m for m, c in waiting if not c.flagged],
                "selected": queryset.values_list("pk", flat=True),
                "action": "approve_selected",
            }
            return TemplateResponse(
                request, "admin/network/member/approve_flagged.html", context
            )
        # Only what the admin saw is confirmed: a member flagged since then waits.
        confirmed = set(request.POST.getlist("confirmed"))
        approved = 0
        for member, _check in waiting:
            try:
                approved += approve_member(
                    member,
                    decided_by=request.user,
                    confirmed=str(member.pk) in confirmed,
                )
            except ApprovalRefused as refused:
                self.message_user(
                    request,
                    _("%(name)s was not approved: %(reasons)s")
                    % {"name": member.full_name, "reasons": " ".join(refused.messages)},
                    messages.ERROR,
                )
        self.message_user(
            request,
            _("%(count)d member(s) approved.") % {"count": approved},
            messages.SUCCESS,
        )
        return None

    @admin.action(description=_("Reject selected members (and email them)"))
    def reject_selected(self, request, queryset):
        self._decide(
            request,
            queryset,
            reject_member,
            _("%(count)d member(s) rejected."),
        )

    @admin.action(description=_("Suspend selected members"))
    def suspend_selected(self, request, queryset):
        self._decide(
            request,
            queryset,
            suspend_member,
            _("%(count)d member(s) suspended."),
        )

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
                # The form has checked the warnings were confirmed (clean above).
                approve_member(
                    obj,
                    decided_by=request.user,
                    confirmed=form.cleaned_data.get("confirm_warnings", False),
                )
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
        if change and {"is_active", "is_superuser"} & set(form.changed_data):
            # Moderators (active, superusers among them) see hidden posts' notifications.
            recount_unread_notifications([form.instance.pk])

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

    @admin.display(description=_("Email domains"))
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


@admin.register(PolicyDriver)
class PolicyDriverAdmin(admin.ModelAdmin):
    list_display = ("short_name", "name", "kind", "order")
    list_editable = ("order",)
    list_filter = ("kind",)
    search_fields = ("name", "short_name")
    prepopulated_fields = {"slug": ("short_name",)}


# --- Roles: Django's groups, with their members, every change on the record ------


class GroupForm(forms.ModelForm):
    """Django's group form plus its members (picked by search, never a select of
    every member: only those chosen are in the page)."""

    members = forms.ModelMultipleChoiceField(
        queryset=Member.objects.all(),
        required=False,
        # The search of the member admin, through the membership table's own
        # foreign key to members (the autocomplete view needs a forward key).
        widget=AutocompleteSelectMultiple(
            Member.groups.through._meta.get_field("member"), admin.site
        ),
        help_text=_("Everyone in the group has its permissions."),
    )

    class Meta:
        model = Group
        fields = ("name", "permissions", "members")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["members"] = list(
                self.instance.user_set.values_list("pk", flat=True)
            )


def record_membership_changes(actor, group: Group, added, removed, *, old_name=None):
    """One role-change event per member who joined or left ``group``, as the
    member admin records a change of their groups: the member's groups before and
    after, by name (so each member's history shows it, wherever it was made)."""
    added, removed = set(added), set(removed)
    now_in: dict[int, list[str]] = {pk: [] for pk in added | removed}
    for member_id, name in Member.groups.through.objects.filter(
        member_id__in=now_in
    ).values_list("member_id", "group__name"):
        now_in[member_id].append(name)
    for member in Member.objects.filter(pk__in=now_in).order_by("pk"):
        after = sorted(now_in[member.pk])
        if member.pk in added:
            before = sorted(set(after) - {group.name})
        else:
            before = sorted({*after, old_name or group.name})
        record(
            actor,
            Action.MEMBER_ROLES_CHANGED,
            member,
            {"groups": before},
            {"groups": after},
        )


admin.site.unregister(Group)


@admin.register(Group)
class PortalGroupAdmin(AuditedAdmin, GroupAdmin):
    """Roles are groups (network.roles): a change of a group's permissions or
    name, its members, an addition or a deletion each leaves an audit event."""

    form = GroupForm
    fieldsets = ((None, {"fields": ("name", "permissions", "members")}),)
    inlines = [AuditEventInline]
    audit_actions = {
        "added": Action.GROUP_ADDED,
        "changed": Action.GROUP_CHANGED,
    }
    # Members are recorded one event per member (record_membership_changes).
    audit_skipped = ("members",)

    staff_decision = method_decorator(reauthentication_required(allow_get=True))

    @staff_decision
    def changeform_view(self, *args, **kwargs):
        return super().changeform_view(*args, **kwargs)

    @staff_decision
    def delete_view(self, *args, **kwargs):
        return super().delete_view(*args, **kwargs)

    def get_inlines(self, request, obj):
        return self.inlines if obj else []  # a new group has no history yet

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        group = form.instance
        before = set(form.initial.get("members") or [])
        after = {member.pk for member in form.cleaned_data.get("members") or []}
        if before == after:
            return
        # Through the relation's manager, so the m2m signals renew the members'
        # cached permissions and unread counts (network.signals).
        group.user_set.remove(*(before - after))
        group.user_set.add(*(after - before))
        old_name = form.initial.get("name") if change else None
        record_membership_changes(
            request.user, group, after - before, before - after, old_name=old_name
        )

    def delete_model(self, request, obj):
        self._record_deletion(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for group in queryset:
            self._record_deletion(request, group)
        super().delete_queryset(request, queryset)

    def _record_deletion(self, request, group):
        """The group as it was, then its members' role changes: cleared through
        the manager first, so their cached permissions are renewed (a plain
        delete would drop the rows without the m2m signals)."""
        members = list(group.user_set.values_list("pk", flat=True))
        record(
            request.user,
            Action.GROUP_DELETED,
            group,
            {
                "name": group.name,
                "permissions": sorted(str(perm) for perm in group.permissions.all()),
                "members": [f"Member {pk}" for pk in sorted(members)],
            },
        )
        group.user_set.clear()
        record_membership_changes(request.user, group, (), members)
