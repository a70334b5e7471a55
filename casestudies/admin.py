from django.contrib import admin, messages

from . import services
from .models import PUBLISH_PERMISSION, Attachment, CaseStudy


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ("name", "file", "size", "uploaded_by", "uploaded_at")
    readonly_fields = ("size", "uploaded_by", "uploaded_at")


@admin.register(CaseStudy)
class CaseStudyAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "organisation",
        "city",
        "stage",
        "status",
        "emissions_saved",
        "emissions_confidence",
        "published_at",
        "updated_at",
    )
    list_filter = (
        "place",
        "status",
        "stage",
        "emissions_confidence",
        "city",
        "themes",
        ("organisation", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("title", "summary", "organisation__name", "authors__full_name")
    list_select_related = ("organisation", "city")
    date_hierarchy = "published_at"
    autocomplete_fields = ("organisation", "contact", "authors", "partners")
    filter_horizontal = ("themes", "drivers")
    readonly_fields = (
        "status",
        "submitted_at",
        "published_at",
        "published_by",
        "created_at",
        "updated_at",
    )
    inlines = [AttachmentInline]
    actions = ["publish_selected", "unpublish_selected"]

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    @admin.action(
        description="Publish the selected case studies", permissions=["publish"]
    )
    def publish_selected(self, request, queryset):
        done = sum(
            services.publish_case_study(cs, published_by=request.user)
            for cs in queryset
        )
        self.message_user(
            request, f"{done} case study(ies) published.", messages.SUCCESS
        )

    @admin.action(
        description="Unpublish the selected case studies", permissions=["publish"]
    )
    def unpublish_selected(self, request, queryset):
        done = sum(
            services.unpublish_case_study(cs, unpublished_by=request.user)
            for cs in queryset
        )
        self.message_user(
            request, f"{done} case study(ies) unpublished.", messages.SUCCESS
        )


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ("name", "case_study", "size", "uploaded_by", "uploaded_at")
    list_select_related = ("case_study", "uploaded_by")
    search_fields = ("name", "case_study__title")
    list_filter = ("uploaded_at",)
    raw_id_fields = ("case_study",)
