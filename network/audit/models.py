"""One row per decision or staff change (network.audit.record writes them)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Append-only: the database refuses UPDATE and DELETE on this table, so a
    second decision on a member is a second row, never an edit of the first.

    About members, the row holds ids, never names or addresses: a member's
    erasure keeps their row as a tombstone (so ``actor`` may PROTECT it), and the
    trail can then be kept as it is. ``target_label`` names other things (a case
    study's title) as they were when it happened.
    """

    class Action(models.TextChoices):
        MEMBER_APPROVED = "member.approved", _("Member approved")
        MEMBER_REJECTED = "member.rejected", _("Member rejected")
        MEMBER_SUSPENDED = "member.suspended", _("Member suspended")
        MEMBER_ADDED = "member.added", _("Member added by an admin")
        MEMBER_CHANGED = "member.changed", _("Member changed by an admin")
        MEMBER_ROLES_CHANGED = "member.roles_changed", _("Member's roles changed")
        MEMBER_EXPORTED = "member.exported", _("Member's data exported")
        MEMBER_ERASED = "member.erased", _("Member erased")
        GROUP_ADDED = "group.added", _("Group added")
        GROUP_CHANGED = "group.changed", _("Group's name or permissions changed")
        GROUP_DELETED = "group.deleted", _("Group deleted")
        ORGANISATION_ADDED = "organisation.added", _("Organisation added")
        ORGANISATION_CHANGED = "organisation.changed", _("Organisation changed")
        ORGANISATION_DELETED = "organisation.deleted", _("Organisation deleted")
        THREAD_MODERATED = "thread.moderated", _("Thread moderated")
        POST_HIDDEN = "post.hidden", _("Post hidden")
        POST_SHOWN = "post.shown", _("Post shown again")
        FLAGS_RESOLVED = "flags.resolved", _("Reports on a post resolved")
        CASE_STUDY_PUBLISHED = "casestudy.published", _("Case study published")
        CASE_STUDY_RETURNED = "casestudy.returned", _("Case study returned to authors")
        CASE_STUDY_UNPUBLISHED = "casestudy.unpublished", _("Case study unpublished")
        EVIDENCE_CERTIFIED = "evidence.certified", _("Learner certified")
        EVIDENCE_RETURNED = "evidence.returned", _("Evidence returned for more")

    # Null when the portal itself acted (retention, a scheduled job).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(max_length=40, choices=Action.choices)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+"
    )
    # Not a foreign key: the thing may be deleted later, its history may not.
    target_id = models.CharField(max_length=64)
    target = GenericForeignKey("target_type", "target_id")
    target_label = models.CharField(max_length=200)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "created_at"]),
            models.Index(fields=["action", "created_at"]),
            models.Index(fields=["created_at"]),
        ]

    def __str__(self):
        return f"{self.get_action_display()}: {self.target_label}"
