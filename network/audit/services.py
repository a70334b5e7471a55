"""The one writer of the audit trail."""

import json

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from .models import AuditEvent

Action = AuditEvent.Action


def record(
    actor,
    action: str,
    target: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    *,
    label: str = "",
) -> AuditEvent:
    """Add one event to the trail; call it inside the change's transaction, so a
    rolled-back decision leaves no record and a recorded one always happened.

    ``actor`` is the member who acted (None: the portal itself). ``before`` and
    ``after`` hold the fields that changed, as plain values; never a member's
    name, address or a secret (see AuditEvent). ``label`` names the target
    when its own name would name a person.
    """
    if action not in Action.values:
        raise ValueError(f"Unknown audit action {action!r}")
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=True),
        target_id=str(target.pk),
        target_label=(label or target_label(target))[:200],
        before=_plain(before or {}),
        after=_plain(after or {}),
    )


def target_label(target: models.Model) -> str:
    """A member is named by id: the trail outlives their name (erasure)."""
    from django.contrib.auth import get_user_model

    if isinstance(target, get_user_model()):
        return f"Member {target.pk}"
    return str(target)


def _plain(values: dict) -> dict:
    """JSON values: dates as ISO text, model instances as their id and name."""

    def convert(value):
        if isinstance(value, models.Model):
            return {"id": value.pk, "label": target_label(value)}
        if isinstance(value, models.QuerySet | set):  # no order of its own
            return sorted((convert(item) for item in value), key=str)
        if isinstance(value, list | tuple):
            return [convert(item) for item in value]
        return value

    converted = {key: convert(value) for key, value in values.items()}
    return json.loads(json.dumps(converted, cls=DjangoJSONEncoder))
