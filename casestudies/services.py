"""Writes to the case-study library, each with its side effects. The pages, Django
admin's actions and other apps (events turn a talk into a draft) all call these."""

from collections.abc import Iterable
from pathlib import PurePath

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kit import versions
from kit.mail import send_templated_email
from network.audit.services import Action, record
from network.models import Member, Organisation

from .models import PUBLISH_PERMISSION, Attachment, CaseStudy

Status = CaseStudy.Status


def catalogue_changed() -> None:
    """A new catalogue version: figures cached over the published case studies
    are recomputed on their next read (called on every change, see signals.py)."""
    versions.changed(versions.CATALOGUE)


def _email_authors(case_study: CaseStudy, template: str, **context) -> None:
    addresses = list(case_study.authors.values_list("email", flat=True))
    # Queued in the caller's transaction: a rolled-back change tells nobody.
    send_templated_email(
        f"casestudies/email/{template}",
        addresses,
        {"case_study": case_study, **context},
    )


def reviewers():
    """Approved members who may publish, directly or through a group."""
    return (
        Member.objects.approved()
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__codename="publish_casestudy")
            | Q(groups__permissions__codename="publish_casestudy")
        )
        .distinct()
    )


@transaction.atomic
def add_attachments(
    case_study: CaseStudy,
    files: Iterable[tuple[str, File]],
    *,
    uploaded_by: Member | None = None,
) -> list[Attachment]:
    """Store files (already checked by the form) beside the case study."""
    added = []
    for filename, content in files:
        name = PurePath(filename).name
        attachment = Attachment(
            case_study=case_study, name=name, uploaded_by=uploaded_by
        )
        attachment.size = getattr(content, "size", 0) or 0
        attachment.file.save(name, content, save=False)
        attachment.save()
        added.append(attachment)
    return added


def remove_attachments(attachments: Iterable[Attachment]) -> None:
    for attachment in attachments:
        attachment.file.delete(save=False)
        attachment.delete()


@transaction.atomic
def create_draft_case_study(
    *,
    title: str,
    summary: str,
    body: str,
    authors: Iterable[Member],
    organisation: Organisation | None,
    themes=(),
    drivers=(),
    attachments: Iterable[tuple[str, File]] = (),
    tags: Iterable[str] = (),
    partners=(),
    **details,
) -> CaseStudy:
    """A new draft, seen only by its authors and reviewers until it is published.

    ``details`` are any other model fields (stage, dates, costs, emissions...).
    """
    authors = list(authors)
    details.setdefault("contact", authors[0] if authors else None)
    case_study = CaseStudy.objects.create(
        title=title,
        summary=summary,
        body=body,
        organisation=organisation,
        status=Status.DRAFT,
        **details,
    )
    case_study.authors.set(authors)
    case_study.themes.set(themes)
    case_study.drivers.set(drivers)
    case_study.partners.set(partners)
    if tags:
        case_study.tags.set(list(tags))
    add_attachments(
        case_study, attachments, uploaded_by=authors[0] if authors else None
    )
    return case_study


def start_case_study(
    *,
    author: Member,
    co_authors: Iterable[Member] = (),
    attachments: Iterable[tuple[str, File]] = (),
    **fields,
) -> CaseStudy:
    """A member's new draft, written with their co-authors; learning from outside
    the network remembers who added it. ``fields`` are create_draft_case_study's."""
    if fields.get("place", CaseStudy.Place.NETWORK) != CaseStudy.Place.NETWORK:
        fields["added_by"] = author
    return create_draft_case_study(
        authors=[author, *co_authors], attachments=attachments, **fields
    )


@transaction.atomic
def save_case_study_edit(
    case_study: CaseStudy,
    *,
    edited_by: Member,
    co_authors: Iterable[Member],
    themes,
    drivers,
    partners,
    tags: Iterable[str],
    attachments: Iterable[tuple[str, File]] = (),
    removed_attachments: Iterable[Attachment] = (),
    changed: bool = True,
) -> bool:
    """Save an edit: ``case_study`` with its changed fields set (not yet saved),
    its themes, drivers, partners and tags, its co-authors, files added and
    removed. A reviewer who fixes a detail does not become an author.

    True when the edit (``changed``) of a published case study by an author sent
    it back to the reviewers (``resubmit_after_edit``).
    """
    was_author = case_study.authors.filter(pk=edited_by.pk).exists()
    if case_study.is_outside and case_study.added_by_id is None:
        case_study.added_by = edited_by
    case_study.save()
    case_study.themes.set(themes)
    case_study.drivers.set(drivers)
    case_study.partners.set(partners)
    case_study.tags.set(list(tags))
    case_study.authors.set([*co_authors, *([edited_by] if was_author else [])])
    add_attachments(case_study, attachments, uploaded_by=edited_by)
    remove_attachments(removed_attachments)
    return changed and resubmit_after_edit(case_study, edited_by=edited_by)


def _lock_status(case_study: CaseStudy) -> None:
    """Take the case study's row lock and re-read its status (call inside
    transaction.atomic). Two clicks, or two reviewers at once, then change it one
    after the other, and the second sees the first's change instead of repeating
    it and its emails."""
    case_study.refresh_from_db(
        fields=["status"], from_queryset=CaseStudy.objects.select_for_update()
    )


@transaction.atomic
def submit_for_review(case_study: CaseStudy, *, submitted_by: Member) -> bool:
    """Ask the reviewers to look at a draft. False if it was not a draft."""
    _lock_status(case_study)
    if case_study.status != Status.DRAFT:
        return False
    case_study.status = Status.SUBMITTED
    case_study.submitted_at = timezone.now()
    case_study.save(update_fields=["status", "submitted_at", "updated_at"])
    _email_reviewers(case_study, submitted_by=submitted_by)
    return True


def _email_reviewers(case_study: CaseStudy, *, submitted_by: Member, **context):
    addresses = list(reviewers().values_list("email", flat=True))
    send_templated_email(
        "casestudies/email/submitted",
        addresses,
        {"case_study": case_study, "submitted_by": submitted_by, **context},
    )


def edit_sends_back_for_review(case_study: CaseStudy, *, editor: Member) -> bool:
    """Whether saving this editor's changes takes the case study out of the library."""
    return case_study.is_published and not editor.has_perm(PUBLISH_PERMISSION)


@transaction.atomic
def resubmit_after_edit(case_study: CaseStudy, *, edited_by: Member) -> bool:
    """An author's change to a published case study goes to the reviewers before
    the network reads it: it leaves the library until one of them publishes it
    again. A reviewer's own edit stays published, as they could publish it anyway.
    False if the case study stays as it was."""
    _lock_status(case_study)
    if not edit_sends_back_for_review(case_study, editor=edited_by):
        return False
    case_study.status = Status.SUBMITTED
    case_study.submitted_at = timezone.now()
    # As on unpublishing: nothing reads a case study out of review as published.
    case_study.published_at = None
    case_study.published_by = None
    case_study.save(
        update_fields=[
            "status",
            "submitted_at",
            "published_at",
            "published_by",
            "updated_at",
        ]
    )
    _email_reviewers(case_study, submitted_by=edited_by, edited_after_publishing=True)
    return True


def _check_reviewer(member: Member) -> None:
    if not member.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied(_("Only reviewers may publish case studies."))


@transaction.atomic
def publish_case_study(case_study: CaseStudy, *, published_by: Member) -> bool:
    """Publish a draft or a submitted case study and tell its authors."""
    _check_reviewer(published_by)
    _lock_status(case_study)
    if case_study.status == Status.PUBLISHED:
        return False
    before = {"status": case_study.status}
    case_study.status = Status.PUBLISHED
    case_study.published_at = timezone.now()
    case_study.published_by = published_by
    case_study.review_comments = ""
    case_study.save(
        update_fields=[
            "status",
            "published_at",
            "published_by",
            "review_comments",
            "updated_at",
        ]
    )
    _email_authors(case_study, "published", reviewer=published_by)
    after = {"status": case_study.status}
    record(published_by, Action.CASE_STUDY_PUBLISHED, case_study, before, after)
    return True


@transaction.atomic
def return_case_study(
    case_study: CaseStudy, *, returned_by: Member, comments: str
) -> bool:
    """Send a submitted case study back to its authors as a draft, with comments."""
    _check_reviewer(returned_by)
    _lock_status(case_study)
    if case_study.status != Status.SUBMITTED:
        return False
    case_study.status = Status.DRAFT
    case_study.review_comments = comments
    case_study.save(update_fields=["status", "review_comments", "updated_at"])
    _email_authors(case_study, "returned", reviewer=returned_by, comments=comments)
    before = {"status": Status.SUBMITTED}
    after = {"status": Status.DRAFT, "comments": comments}
    record(returned_by, Action.CASE_STUDY_RETURNED, case_study, before, after)
    return True


@transaction.atomic
def unpublish_case_study(case_study: CaseStudy, *, unpublished_by: Member) -> bool:
    """Take a published case study back to draft: only authors and reviewers see it."""
    _check_reviewer(unpublished_by)
    _lock_status(case_study)
    if case_study.status != Status.PUBLISHED:
        return False
    case_study.status = Status.DRAFT
    case_study.published_at = None
    case_study.published_by = None
    case_study.save(
        update_fields=["status", "published_at", "published_by", "updated_at"]
    )
    before, after = {"status": Status.PUBLISHED}, {"status": Status.DRAFT}
    record(unpublished_by, Action.CASE_STUDY_UNPUBLISHED, case_study, before, after)
    return True
