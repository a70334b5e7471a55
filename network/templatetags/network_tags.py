"""Template tags that read the network's own data."""

import json

from django import template

from network.models import Organisation

register = template.Library()


@register.simple_tag
def organisation_domains_json():
    """{"glasgow.gov.uk": 12, ...} for the sign-up form's organisation pre-selection."""
    mapping = {}
    for pk, domains in Organisation.objects.values_list("pk", "email_domains"):
        for domain in domains:
            mapping[domain] = pk
    return json.dumps(mapping)
