"""Tags for the demo data, made in bulk: the tag manager looks each name up and
creates it in savepoints one at a time, which was most of the demo's queries."""

from django.db.models.functions import Lower
from django.utils.text import slugify
from taggit.models import Tag


def ensure_tags(names) -> dict[str, Tag]:
    """{name: Tag} for every name, creating the missing ones in one query (tags
    match case-insensitively, as the portal's tag managers do)."""
    wanted = {name.lower(): name for name in names}

    def existing():
        return {
            tag.lower_name: tag
            for tag in Tag.objects.annotate(lower_name=Lower("name")).filter(
                lower_name__in=list(wanted)
            )
        }

    found = existing()
    missing = [
        Tag(name=name, slug=slugify(name)[:100])
        for lower, name in wanted.items()
        if lower not in found
    ]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        found = existing()
    tags = {}
    for lower, name in wanted.items():
        # A slug another tag already had: let the manager make a unique one.
        tags[name] = found.get(lower) or Tag.objects.create(name=name)
    return tags
