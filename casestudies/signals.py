"""Every change to a case study, or to its themes or tags, changes the catalogue
version, so the figures cached over the published catalogue (facet counts, list
counts, impact) are recomputed, and recounts the case studies it touched in the
kept counts (counts.py). Signals rather than calls in each service, so the admin,
the edit form, the factories and the services all count; within the same
transaction as the change, so no worker caches figures under a token that outlives
the data they came from, and no count outlives its case study."""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed, post_delete, post_save
from taggit.models import TaggedItem

from .counts import recount_case_studies
from .models import Attachment, CaseStudy
from .services import catalogue_changed

# The relations a case study's filter values come from (the others only show).
COUNTED = ("themes", "drivers")


def _changed(*case_study_ids) -> None:
    catalogue_changed()
    recount_case_studies(case_study_ids)


def _case_study_saved(sender, instance, **kwargs):
    _changed(instance.pk)


def _shown_only_changed(sender, **kwargs):
    catalogue_changed()


def _related_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear" and reverse:
        # From the theme's side a clear names no case studies: note them first.
        instance._cleared_case_studies = list(
            sender.objects.filter(
                **{_other_end(sender, instance): instance.pk}
            ).values_list("casestudy_id", flat=True)
        )
    if not action.startswith("post_"):
        return
    if not reverse:
        _changed(instance.pk)
    elif action == "post_clear":
        _changed(*getattr(instance, "_cleared_case_studies", ()))
    else:
        _changed(*(pk_set or ()))


def _other_end(through, instance) -> str:
    """The through table's column for the instance at the far end (a theme's)."""
    field = next(f for f in through._meta.fields if f.related_model is type(instance))
    return field.attname


def _tags_changed(sender, instance, action, model, pk_set, **kwargs):
    # taggit sends these for the tags of every model; only ours matter.
    if not action.startswith("post_"):
        return
    if isinstance(instance, CaseStudy):
        _changed(instance.pk)
    elif model is CaseStudy:
        _changed(*(pk_set or ()))


def _tagged_item_changed(sender, instance, **kwargs):
    # get_for_id is cached: no query per tag.
    if (
        ContentType.objects.get_for_id(instance.content_type_id).model_class()
        is CaseStudy
    ):
        _changed(instance.object_id)


def connect():
    post_save.connect(_case_study_saved, sender=CaseStudy, dispatch_uid="cs-save")
    post_delete.connect(_case_study_saved, sender=CaseStudy, dispatch_uid="cs-del")
    for name in COUNTED:
        m2m_changed.connect(
            _related_changed,
            sender=getattr(CaseStudy, name).through,
            dispatch_uid=f"cs-{name}",
        )
    # Partners and authors show on the pages cached under the version.
    for name in ("partners", "authors"):
        m2m_changed.connect(
            _shown_only_changed,
            sender=getattr(CaseStudy, name).through,
            dispatch_uid=f"cs-{name}",
        )
    post_save.connect(_shown_only_changed, sender=Attachment, dispatch_uid="cs-att")
    post_delete.connect(
        _shown_only_changed, sender=Attachment, dispatch_uid="cs-att-del"
    )
    m2m_changed.connect(_tags_changed, sender=TaggedItem, dispatch_uid="cs-tags")
    post_save.connect(_tagged_item_changed, sender=TaggedItem, dispatch_uid="cs-tag")
    post_delete.connect(
        _tagged_item_changed, sender=TaggedItem, dispatch_uid="cs-tag-del"
    )
