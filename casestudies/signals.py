"""Every change to a case study, or to its themes or tags, changes the catalogue
version, so the figures cached over the published catalogue (facet counts, list
counts, impact) are recomputed. Signals rather than calls in each service, so the
admin, the edit form, the factories and the services all count; within the same
transaction as the change, so no worker caches figures under a token that outlives
the data they came from."""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed, post_delete, post_save
from taggit.models import TaggedItem

from .models import Attachment, CaseStudy
from .services import catalogue_changed


def _case_study_saved(sender, **kwargs):
    catalogue_changed()


def _themes_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        catalogue_changed()


def _tags_changed(sender, instance, action, model, **kwargs):
    # taggit sends these for the tags of every model; only ours matter.
    if action.startswith("post_") and (
        isinstance(instance, CaseStudy) or model is CaseStudy
    ):
        catalogue_changed()


def _tagged_item_changed(sender, instance, **kwargs):
    # get_for_id is cached: no query per tag.
    if (
        ContentType.objects.get_for_id(instance.content_type_id).model_class()
        is CaseStudy
    ):
        catalogue_changed()


def connect():
    post_save.connect(_case_study_saved, sender=CaseStudy, dispatch_uid="cs-save")
    post_delete.connect(_case_study_saved, sender=CaseStudy, dispatch_uid="cs-del")
    # Themes, partners and authors show on the pages cached under the version.
    for name in ("themes", "drivers", "partners", "authors"):
        m2m_changed.connect(
            _themes_changed,
            sender=getattr(CaseStudy, name).through,
            dispatch_uid=f"cs-{name}",
        )
    post_save.connect(_case_study_saved, sender=Attachment, dispatch_uid="cs-att")
    post_delete.connect(_case_study_saved, sender=Attachment, dispatch_uid="cs-att-del")
    m2m_changed.connect(_tags_changed, sender=TaggedItem, dispatch_uid="cs-tags")
    post_save.connect(_tagged_item_changed, sender=TaggedItem, dispatch_uid="cs-tag")
    post_delete.connect(
        _tagged_item_changed, sender=TaggedItem, dispatch_uid="cs-tag-del"
    )
