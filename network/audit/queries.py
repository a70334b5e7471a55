"""Reads of the audit trail outside Django admin."""

from django.db.models import QuerySet

from .models import AuditEvent

Action = AuditEvent.Action

# Coordinators read the part of the trail on what they run: the holders of the
# permission that lets them take a kind of decision see every such decision,
# theirs and their colleagues'. Decisions on members and organisations, exports
# and erasures are for admins, in Django admin.
PARTS = {
    "network.moderate_forums": (
        Action.THREAD_MODERATED,
        Action.POST_HIDDEN,
        Action.POST_SHOWN,
        Action.FLAGS_RESOLVED,
    ),
    "casestudies.publish_casestudy": (
        Action.CASE_STUDY_PUBLISHED,
        Action.CASE_STUDY_RETURNED,
        Action.CASE_STUDY_UNPUBLISHED,
    ),
    "training.certify_learners": (
        Action.EVIDENCE_CERTIFIED,
        Action.EVIDENCE_RETURNED,
    ),
}


def readable_actions(member) -> list[str]:
    return [
        action
        for permission, actions in PARTS.items()
        if member.has_perm(permission)
        for action in actions
    ]


def events_for_coordinator(member) -> QuerySet[AuditEvent]:
    """The events this member may read outside admin, newest first."""
    return AuditEvent.objects.filter(
        action__in=readable_actions(member)
    ).select_related("actor")
