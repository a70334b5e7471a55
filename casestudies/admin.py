from django.contrib import admin, messages
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit import admin as taggit_admin
from taggit.models import Tag, TaggedItem

from kit.admin_scale import (
    IndexedSearchAdmin,
    ScaleAdmin,
    ids_of,
    related_filter,
    words,
)
from network.models import Organisation

from . import services
from .models import PUBLISH_PERMISSION, Attachment, CaseStudy


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ("name", "file", "size", "uploaded_by", "uploaded_at")
    readonly_fields = ("size", "uploaded_by", "uploaded_at")


@admin.register(CaseStudy)
class CaseStudyAdmin(IndexedSearchAdmin):
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
        # Themes through their join table (Django's own filter removes the
        # duplicates of its join with a DISTINCT over whole rows); every
        # organisation (36) rather than those with case studies (a scan of
        # the catalogue for each page).
        related_filter("themes", _("theme")),
        "organisation",
        # Dates as a filter of fixed choices: Django's date hierarchy read the
        # first, last and every year of 100,000 publication dates per page.
        "published_at",
    )
    # Shown as the search box's hint; the search itself is indexed_search.
    search_fields = ("title", "summary", "body", "organisation__name")
    search_help_text = (
        "Words of the title, summary or text, or part of the lead organisation's name."
    )
    list_select_related = ("organisation", "city")
    # Newest first from the primary key (any other order sorts the catalogue).
    ordering = ("-pk",)
    autocomplete_fields = ("organisation", "contact", "authors", "partners", "added_by")
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
    # The list never shows the text or its vector (megabytes a page); the
    # change form shows the text, and who published it, from one query.
    list_defer = ("body", "search_vector")
    change_select_related = ("published_by",)

    def indexed_search(self, queryset, term):
        organisations = ids_of(Organisation.objects.filter(name__icontains=term))
        return queryset.filter(
            Q(search_vector=words(term)) | Q(organisation_id__in=organisations)
        )

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    @admin.action(
        description=_("Publish the selected case studies"), permissions=["publish"]
    )
    def publish_selected(self, request, queryset):
        done = sum(
            services.publish_case_study(cs, published_by=request.user)
            for cs in queryset
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d case study published.",
                "%(count)d case studies published.",
                done,
            )
            % {"count": done},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Unpublish the selected case studies"), permissions=["publish"]
    )
    def unpublish_selected(self, request, queryset):
        done = sum(
            services.unpublish_case_study(cs, unpublished_by=request.user)
            for cs in queryset
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d case study unpublished.",
                "%(count)d case studies unpublished.",
                done,
            )
            % {"count": done},
            messages.SUCCESS,
        )


@admin.register(Attachment)
class AttachmentAdmin(ScaleAdmin):
    list_display = ("name", "case_study", "size", "uploaded_by", "uploaded_at")
    list_select_related = ("case_study", "uploaded_by")
    search_fields = ("name", "case_study__title")
    list_filter = ("uploaded_at",)
    raw_id_fields = ("case_study", "uploaded_by")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer("case_study__body", "case_study__search_vector")
        )


# taggit's own TagAdmin shows every tagged item of a tag as an inline form, each
# with its own select of content types: a common tag is tagged on thousands of
# case studies and members (a minute at scale). The tag's uses are counted
# instead, from the index on the tag column.
admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(taggit_admin.TagAdmin):
    inlines = []
    readonly_fields = ("uses",)
    show_full_result_count = False

    @admin.display(description=_("Tagged on (case studies and members)"))
    def uses(self, obj):
        return TaggedItem.objects.filter(tag=obj).count() if obj.pk else 0
