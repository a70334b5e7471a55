"""Case-study factories: valid defaults, any field can be overridden."""

import itertools
from datetime import date

from django.core.files.base import ContentFile
from django.utils import timezone

from casestudies.models import Attachment, CaseStudy
from tests.factories import make_member, organisation

_ids = itertools.count(1)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_case_study(
    *,
    authors=None,
    themes=(),
    tags=(),
    status=CaseStudy.Status.PUBLISHED,
    **fields,
) -> CaseStudy:
    n = next(_ids)
    fields.setdefault("title", f"Case study {n}")
    fields.setdefault("summary", f"Summary of case study {n}.")
    fields.setdefault("body", f"What happened in project {n}.")
    if "organisation" not in fields:
        fields["organisation"] = organisation("Dundee City Council")
    fields.setdefault("start_date", date(2021, 4, 1))
    if status == CaseStudy.Status.PUBLISHED:
        fields.setdefault("published_at", timezone.now())
    case_study = CaseStudy.objects.create(status=status, **fields)
    case_study.authors.set(authors if authors is not None else [make_member()])
    case_study.themes.set(themes)
    if tags:
        case_study.tags.set(list(tags))
    return case_study


def make_attachment(case_study, *, name="report.pdf", content=PDF_BYTES) -> Attachment:
    attachment = Attachment(case_study=case_study, name=name, size=len(content))
    attachment.file.save(name, ContentFile(content), save=False)
    attachment.save()
    return attachment
