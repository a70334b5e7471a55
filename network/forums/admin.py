"""Discussions in Django admin; moderation actions call the same services as views."""

from django.contrib import admin
from django.db.models import Q

from kit.admin_scale import IndexedSearchAdmin, ScaleAdmin, words
from network.models import (
    Flag,
    Forum,
    Member,
    ModerationAction,
    Notification,
    Post,
    Thread,
)
from network.models.members import name_title_vector

from . import services


def members_named(term: str):
    """Ids of the members whose name or job title has the words (a GIN index)."""
    return (
        Member.objects.annotate(name_title=name_title_vector())
        .filter(name_title=words(term))
        .values("pk")
    )


class RecountsUnread:
    """Hiding, showing or moving a post, thread or forum here changes which
    notifications members may see: the same recount as the moderators' actions."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            services.visibility_saved(obj, form.changed_data)


@admin.register(Forum)
class ForumAdmin(RecountsUnread, admin.ModelAdmin):
    list_display = ("name", "order", "theme", "moderators_only")
    list_editable = ("order",)
    list_filter = ("moderators_only", "theme")
    search_fields = ("name", "description")
    list_select_related = ("theme",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Thread)
class ThreadAdmin(RecountsUnread, ScaleAdmin):
    list_display = (
        "title",
        "forum",
        "author",
        "post_count",
        "last_post_at",
        "is_question",
        "has_answer",
        "is_pinned",
        "is_locked",
        "is_hidden",
    )
    list_filter = ("forum", "is_question", "is_pinned", "is_locked", "is_hidden")
    search_fields = ("title", "author__full_name")
    list_select_related = ("forum", "author")
    readonly_fields = ("post_count", "has_answer", "content_type", "object_id")
    raw_id_fields = ("author",)


@admin.register(Post)
class PostAdmin(RecountsUnread, IndexedSearchAdmin):
    list_display = ("__str__", "author", "created_at", "is_hidden", "is_deleted")
    list_filter = ("is_hidden", "is_deleted", "is_answer", "thread__forum")
    search_fields = ("body", "author__full_name")
    search_help_text = "Words of the post, or of its author's name."
    list_select_related = ("thread", "author")
    # Newest first from the primary key, a million posts never sorted.
    ordering = ("-pk",)

    def indexed_search(self, queryset, term):
        return queryset.filter(
            Q(search_vector=words(term)) | Q(author_id__in=members_named(term))
        )

    def get_queryset(self, request):
        return super().get_queryset(request).defer("search_vector", "body_html")

    # Text changes go through the site (edit keeps revisions); admin hides posts.
    readonly_fields = ("thread", "number", "author", "body", "quoted", "edited_at")
    exclude = ("search_vector", "body_html")


@admin.register(Flag)
class FlagAdmin(ScaleAdmin):
    list_display = ("post", "flagged_by", "reason", "created_at", "resolved_at")
    list_filter = ("resolved_at",)
    search_fields = ("reason", "post__body", "flagged_by__full_name")
    list_select_related = ("post__thread", "flagged_by")
    raw_id_fields = ("post", "flagged_by", "resolved_by")


@admin.register(ModerationAction)
class ModerationActionAdmin(ScaleAdmin):
    list_display = ("thread", "action", "moderator", "reason", "created_at")
    list_filter = ("action",)
    search_fields = ("thread__title", "reason", "moderator__full_name")
    list_select_related = ("thread", "moderator")
    raw_id_fields = ("thread", "post", "moderator")


@admin.register(Notification)
class NotificationAdmin(IndexedSearchAdmin):
    list_display = ("recipient", "kind", "actor", "post", "created_at", "read_at")
    list_filter = ("kind",)
    search_fields = ("recipient__full_name", "actor__full_name")
    search_help_text = "Words of the recipient's or the actor's name."
    list_select_related = ("recipient", "actor", "post__thread")
    raw_id_fields = ("recipient", "actor", "post")
    ordering = ("-pk",)

    def indexed_search(self, queryset, term):
        named = members_named(term)
        return queryset.filter(Q(recipient_id__in=named) | Q(actor_id__in=named))
