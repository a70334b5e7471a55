"""Which changes give which data a new version token (kit/versions.py).

Every save or delete of these models, and every change to their many-to-many
relations and tags, calls ``versions.changed`` in the same transaction, whether it
comes from the site, a service, Django admin or a management command. Writes made
with ``QuerySet.update()`` send no signal: the services that use one for shared data
call ``versions.changed`` themselves. Case studies keep their own signals
(casestudies/signals.py), which change the catalogue token.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed, post_delete, post_save
from taggit.models import TaggedItem

from kit import versions

# Per-member state (read marks, subscriptions, notifications, calendar feeds) is
# never part of a shared rendering, so it changes no token.
MODELS = {
    versions.FORUMS: ["network.Forum", "network.Thread", "network.Post"],
    versions.PEOPLE: [
        "network.Member",
        "network.Organisation",
        "network.City",
        "network.Theme",
        "network.PolicyDriver",
    ],
    versions.EVENTS: [
        "events.Event",
        "events.Session",
        "events.Speaker",
        "events.Registration",
        "events.Feedback",
    ],
    versions.TRAINING: [
        "training.Course",
        "training.Cohort",
        "training.Session",
        "training.Enrolment",
        "training.Attendance",
        "training.Evidence",
        "training.Pledge",
    ],
}
# A member's own row also keeps counters that no shared page shows.
MEMBER_BOOKKEEPING = {
    "last_login",
    "unread_notifications",
    "unread_messages",
    "permissions_token",
    "reading_token",
}


def _token_for(model):
    return _TOKENS.get(model._meta.label)


_TOKENS = {label: name for name, labels in MODELS.items() for label in labels}


def _saved(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw:
        return
    if (
        sender._meta.label == "network.Member"
        and update_fields is not None
        and set(update_fields) <= MEMBER_BOOKKEEPING
    ):
        return
    versions.changed(_token_for(sender))


def _relation_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        versions.changed(_RELATIONS[sender])


def _tagged(sender, instance, action=None, **kwargs):
    """A tag added to or removed from a thread, a member (expertise)..."""
    if action is not None and not action.startswith("post_"):
        return
    if isinstance(instance, TaggedItem):
        tagged = ContentType.objects.get_for_id(instance.content_type_id).model_class()
    else:  # m2m_changed from a TaggableManager: the tagged object itself
        tagged = type(instance)
    token = _token_for(tagged) if tagged else None
    if token:
        versions.changed(token)


_RELATIONS = {}


def connect():
    for name, labels in MODELS.items():
        for label in labels:
            model = apps.get_model(label)
            post_save.connect(_saved, sender=model, dispatch_uid=f"v-save-{label}")
            post_delete.connect(_saved, sender=model, dispatch_uid=f"v-del-{label}")
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                if through is TaggedItem or not through._meta.auto_created:
                    continue
                _RELATIONS[through] = name
                m2m_changed.connect(
                    _relation_changed, sender=through, dispatch_uid=f"v-m2m-{through}"
                )
    post_save.connect(_tagged, sender=TaggedItem, dispatch_uid="v-tag-save")
    post_delete.connect(_tagged, sender=TaggedItem, dispatch_uid="v-tag-del")
    m2m_changed.connect(_tagged, sender=TaggedItem, dispatch_uid="v-tag-m2m")
