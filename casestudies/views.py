"""Thin views: parse, authorise (in the lookup), call a query or a service."""

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from kit import parts, versions
from kit.csv import csv_safe
from kit.permissions import permission_required_403
from kit.uploads import serve_private_file
from network.forums.queries import discussion_for
from network.forums.services import start_discussion_for
from network.models import Organisation

from . import pbccd, queries, services
from .forms import CaseStudyFilterForm, CaseStudyForm, PbccdYearForm, ReturnForm
from .models import PUBLISH_PERMISSION, Attachment, CaseStudy

PER_PAGE = 20


def _highlight(snippet: str) -> str:
    # Escape the member's text first, then mark the matched words.
    html = escape(snippet).replace(queries.MARK_START, "<mark>")
    return mark_safe(html.replace(queries.MARK_END, "</mark>"))  # noqa: S308


class _CountedPaginator(Paginator):
    """A paginator told its count (cached with the catalogue version), so it
    never runs COUNT(*) over every published case study."""

    def __init__(self, object_list, per_page, *, count):
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self):
        return self._known_count


def case_study_list(request):
    """The list with its filters; its body is the same for every reader of the
    same query string (the part "casestudy-list")."""
    body = parts.render(request, "casestudy-list", query=request.GET.urlencode())
    return render(request, "casestudies/case_study_list.html", {"body": body})


@parts.renders("casestudy-list")
def _list_part(*, query, tokens) -> dict:
    params = QueryDict(query)
    version = tokens[versions.CATALOGUE]
    form = CaseStudyFilterForm(params)
    filters = form.filters()
    form.set_facets(queries.facet_counts(version=version, **filters))
    listing = queries.list_ids(version=version, **filters)
    page = _CountedPaginator(listing.ids, PER_PAGE, count=listing.count).get_page(
        params.get("page")
    )
    # A deferred join: the page's ids come from the index, then only their rows.
    page.object_list = queries.case_studies_in_order(
        page.object_list, q=filters.get("q", "")
    )
    for case_study in page:
        snippet = getattr(case_study, "snippet", "")
        case_study.snippet_html = _highlight(snippet) if snippet else ""
    without_page = params.copy()
    without_page.pop("page", None)
    return {
        "form": form,
        "page": page,
        "query": without_page.urlencode(),
        "filtered": bool(filters),
        "capped": listing.capped,
        "search_limit": queries.SEARCH_CANDIDATES,
    }


CSV_HEADER = [
    "Title",
    "Link",
    "Lead organisation",
    "City",
    "Themes",
    "Tags",
    "Stage",
    "Start date",
    "Capital cost (£)",
    "Revenue cost (£)",
    "Emissions saved (tCO2e a year)",
    "Emissions confidence",
    "Published",
]


def case_study_csv(request):
    """The filtered list (every page) as a spreadsheet, streamed: the whole
    catalogue is 100,000 rows, sent as they come from one query's cursor, a
    chunk of rows (queries.EXPORT_CHUNK) per piece of the response."""
    filters = CaseStudyFilterForm(request.GET).filters()
    site = request.build_absolute_uri("/")[:-1]
    # One reverse() for every row's link, which differs only by its id (a
    # reverse() per row is seconds of the whole catalogue's export).
    link = site + reverse("casestudies:detail", args=[123456789]).replace(
        "123456789", "{}"
    )
    # The choices' labels are lazy: translated once here, in the request's
    # language, not twice a row (170,000 gettext calls were a second and more).
    labels = (
        {value: str(label) for value, label in CaseStudy.Stage.choices},
        {value: str(label) for value, label in CaseStudy.Confidence.choices},
    )
    chunks = queries.export_case_study_chunks(**filters)
    response = StreamingHttpResponse(
        _csv_pieces(chunks, link, labels), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="case-studies.csv"'
    return response


def _csv_pieces(chunks, link: str, labels):
    """The header, then one piece of text per chunk of rows (a piece per row
    was 100,000 trips through the response's encoding)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    yield buffer.getvalue()
    for chunk in chunks:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([_csv_row(case_study, link, labels) for case_study in chunk])
        yield buffer.getvalue()


def _csv_row(cs: tuple, link: str, labels) -> list:
    """One spreadsheet row from a tuple of queries.EXPORT_FIELDS with the day
    published and the theme and tag names (each one text). Only text a member
    wrote goes through csv_safe; ids, the choices' labels, dates and numbers
    are written as they are."""
    (
        pk,
        title,
        organisation,
        source_organisation,
        city,
        stage,
        start_date,
        capital_cost,
        revenue_cost,
        emissions_saved,
        confidence,
        published_on,
        themes,
        tags,
    ) = cs
    stages, confidences = labels
    return [
        csv_safe(title),
        link.format(pk),
        csv_safe(organisation or source_organisation),
        csv_safe(city),
        csv_safe(themes),
        csv_safe(tags),
        stages.get(stage, stage),
        "" if start_date is None else start_date,
        "" if capital_cost is None else capital_cost,
        "" if revenue_cost is None else revenue_cost,
        "" if emissions_saved is None else emissions_saved,
        confidences.get(confidence, ""),
        "" if published_on is None else published_on,
    ]


def case_study_detail(request, pk):
    """Anyone who may see the case study (published: every member). A published
    one's body is the same for every reader (the part "casestudy-detail"); the
    buttons are the reader's own."""
    user = request.user
    known = parts.tokens(versions.CATALOGUE, versions.PEOPLE, versions.FORUMS)
    case_study = _heading_for(user, pk, known[versions.CATALOGUE])
    if case_study.is_published:
        shared = parts.get(request, "casestudy-detail", known=known, case_study_id=pk)
        body_html, author_ids = shared.html, shared.kept["author_ids"]
        discussion_url = _discussion_url(case_study, known[versions.FORUMS])
    else:  # a draft or one in review: its authors and the reviewers only
        context = _detail_context(queries.case_study_for_reading(user, pk).get())
        body_html = render_to_string(DETAIL_BODY, context)
        author_ids, discussion_url = context["author_ids"], ""
    is_author = user.pk in author_ids
    can_review = user.has_perm(PUBLISH_PERMISSION)
    context = {
        "case_study": case_study,
        "body_html": body_html,
        "is_author": is_author,
        "can_edit": is_author or can_review,
        "can_review": can_review,
        "discussion_url": discussion_url,
        "ask_authors_query": _ask_authors_query(case_study, author_ids, user),
    }
    return render(request, "casestudies/case_study_detail.html", context)


DETAIL_BODY = "casestudies/includes/_detail_body.html"


def _heading_for(user, pk, catalogue: int) -> CaseStudy:
    """The title, summary and status: a published one's kept under the catalogue
    version (every member may read it, and reviewers any); any other looked up
    with the reader's rights."""
    heading = versions.cached(
        "casestudies:heading",
        (catalogue,),
        lambda: (
            CaseStudy.objects.filter(pk=pk).only(*queries.HEADING_FIELDS).first() or ""
        ),
        pk=pk,
    )
    # The rule for one case study read without its authors: shown from the
    # cached copy when the reader may see it whoever wrote it.
    if heading and heading.is_visible_for_role(
        reviewer=user.has_perm(PUBLISH_PERMISSION), authored=False
    ):
        return heading
    return get_object_or_404(
        queries.case_study_for_reading(user, pk, heading_only=True)
    )


def _discussion_url(case_study, forums: int) -> str:
    return versions.cached(
        "casestudies:discussion",
        (forums,),
        lambda: getattr(discussion_for(case_study), "get_absolute_url", str)(),
        pk=case_study.pk,
    )


def _ask_authors_query(case_study, author_ids, user) -> str:
    others = [i for i in author_ids if i != user.pk]
    if not case_study.is_published or not others:
        return ""
    subject = (
        gettext("About your case study: %(title)s") % {"title": case_study.title}
    )[:200]
    return urlencode({"to": others, "subject": subject}, doseq=True)


@parts.renders("casestudy-detail")
def _detail_part(*, case_study_id) -> dict:
    return _detail_context(queries.case_study_for_reading(None, case_study_id).get())


def _detail_context(case_study) -> dict:
    authors = list(case_study.authors.all())
    return {
        "case_study": case_study,
        "authors": authors,
        "author_ids": [author.pk for author in authors],
        "related": queries.related_case_studies(case_study)
        if case_study.is_published
        else [],
    }


def _save_form(form, *, author, case_study=None):
    """Save the form through the services; True in the second place when an
    author's change to a published case study sent it back to the reviewers."""
    data = dict(form.cleaned_data)
    co_authors = list(data.pop("co_authors"))
    files = [(f.name, f) for f in data.pop("attachments")]
    removed = data.pop("remove_attachments", ())
    if case_study is None:
        created = services.start_case_study(
            author=author, co_authors=co_authors, attachments=files, **data
        )
        return created, False
    resubmitted = services.save_case_study_edit(
        form.save(commit=False),
        edited_by=author,
        co_authors=co_authors,
        **{name: data[name] for name in ("themes", "drivers", "partners", "tags")},
        attachments=files,
        removed_attachments=removed,
        changed=form.has_changed(),
    )
    return case_study, resubmitted


def case_study_create(request):
    form = CaseStudyForm(
        request.POST or None, request.FILES or None, author=request.user
    )
    if form.is_valid():
        case_study, _ = _save_form(form, author=request.user)
        messages.success(
            request,
            gettext("Draft saved. Only you, your co-authors and reviewers can see it."),
        )
        return redirect(case_study)
    return render(
        request, "casestudies/case_study_form.html", {"form": form, "case_study": None}
    )


SAVED = gettext_lazy("Changes saved.")
RESUBMITTED = gettext_lazy(
    "Changes saved. As it was published, it has gone back to the reviewers: the "
    "network sees it again once a coordinator publishes it."
)


def case_study_edit(request, pk):
    case_studies = CaseStudy.objects.editable_by(request.user).select_related("contact")
    case_study = get_object_or_404(case_studies, pk=pk)
    form = CaseStudyForm(
        request.POST or None,
        request.FILES or None,
        instance=case_study,
        author=request.user,
    )
    if form.is_valid():
        case_study, resubmitted = _save_form(
            form, author=request.user, case_study=case_study
        )
        messages.success(request, RESUBMITTED if resubmitted else SAVED)
        return redirect(case_study)
    context = {
        "form": form,
        "case_study": case_study,
        "sends_back": services.edit_sends_back_for_review(
            case_study, editor=request.user
        ),
    }
    return render(request, "casestudies/case_study_form.html", context)


@require_POST
def case_study_submit(request, pk):
    case_study = get_object_or_404(CaseStudy.objects.authored_by(request.user), pk=pk)
    if services.submit_for_review(case_study, submitted_by=request.user):
        messages.success(
            request, gettext("Submitted for review. The reviewers have been told.")
        )
    else:
        messages.info(request, gettext("Only a draft can be submitted for review."))
    return redirect(case_study)


def my_case_studies(request):
    page = Paginator(queries.my_case_studies(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "casestudies/case_study_mine.html", {"page": page})


@permission_required_403(PUBLISH_PERMISSION)
def review_queue(request):
    page = Paginator(queries.review_queue(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "casestudies/case_study_review_queue.html", {"page": page})


@require_POST
@permission_required_403(PUBLISH_PERMISSION)
def case_study_publish(request, pk):
    case_study = get_object_or_404(CaseStudy, pk=pk)
    if services.publish_case_study(case_study, published_by=request.user):
        messages.success(request, gettext("Published. The authors have been told."))
    return redirect(case_study)


@permission_required_403(PUBLISH_PERMISSION)
def case_study_return(request, pk):
    case_study = get_object_or_404(CaseStudy, pk=pk, status=CaseStudy.Status.SUBMITTED)
    form = ReturnForm(request.POST or None)
    if form.is_valid():
        services.return_case_study(
            case_study, returned_by=request.user, comments=form.cleaned_data["comments"]
        )
        messages.success(
            request, gettext("Returned to the authors with your comments.")
        )
        return redirect("casestudies:review_queue")
    context = {"case_study": case_study, "form": form}
    return render(request, "casestudies/case_study_return.html", context)


@require_POST
@permission_required_403(PUBLISH_PERMISSION)
def case_study_unpublish(request, pk):
    case_study = get_object_or_404(CaseStudy, pk=pk)
    if services.unpublish_case_study(case_study, unpublished_by=request.user):
        messages.success(
            request, gettext("Unpublished: only the authors and reviewers see it.")
        )
    return redirect(case_study)


def attachment_download(request, pk, attachment_pk):
    """Only someone who may read the case study gets its files."""
    case_study = get_object_or_404(CaseStudy.objects.visible_to(request.user), pk=pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, case_study=case_study)
    try:
        return serve_private_file(attachment.file, download_name=attachment.name)
    except FileNotFoundError as missing:
        raise Http404("The file is missing.") from missing


def impact(request):
    """Every member: the same figures and charts for all (the part
    "casestudy-impact")."""
    body = parts.render(request, "casestudy-impact")
    return render(request, "casestudies/impact.html", {"body_html": body})


@parts.renders("casestudy-impact")
def _impact_part() -> dict:
    return queries.impact_figures()


@require_POST
def case_study_discuss(request, pk):
    """Open (or join) the thread about a published case study."""
    case_study = get_object_or_404(CaseStudy.objects.published(), pk=pk)
    body = (
        f"A thread to discuss the case study [{case_study.title}]"
        f"({case_study.get_absolute_url()}).\n\n{case_study.summary}"
    )
    thread = start_discussion_for(
        case_study, started_by=request.user, title=case_study.title, body=body
    )
    return redirect(thread)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _council_for_pbccd(request, slug):
    """A council's members and coordinators only: a council that does not exist
    is a 404, another council's member gets a 403."""
    council = get_object_or_404(Organisation, slug=slug, kind=Organisation.Kind.COUNCIL)
    user = request.user
    if user.organisation_id != council.pk and not user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied
    return council


def _pbccd_year(request):
    form = PbccdYearForm(request.GET or None)
    if form.is_valid() and form.cleaned_data["year"]:
        return form, form.cleaned_data["year"]
    return form, pbccd.latest_reporting_year(timezone.localdate())


def pbccd_projects(request, slug):
    """The PBCCD projects table for a council and reporting year, with what is
    missing from each case study, and the downloads."""
    council = _council_for_pbccd(request, slug)
    form, year = _pbccd_year(request)
    context = {
        "council": council,
        "form": form,
        "year": year,
        "year_label": pbccd.reporting_year_label(year),
        # The same for everyone who may see it: kept rendered (part
        # "casestudy-pbccd"), the access check above it.
        "table": parts.render(
            request, "casestudy-pbccd", council_id=council.pk, year=year
        ),
    }
    return render(request, "casestudies/pbccd_projects.html", context)


@parts.renders("casestudy-pbccd")
def _pbccd_part(*, council_id, year) -> dict:
    council = Organisation.objects.get(pk=council_id)
    rows = pbccd.projects_table(council, year)
    return {
        "council": council,
        "year_label": pbccd.reporting_year_label(year),
        "rows": rows,
        "headings": pbccd.HEADINGS,
        "incomplete": [row for row in rows if row.missing],
        "most_rows": pbccd.MOST_ROWS,
    }


def _pbccd_download(request, slug, year, kind):
    council = _council_for_pbccd(request, slug)
    if not 1990 <= year <= 2100:
        raise Http404("No such reporting year.")
    name = f"pbccd-projects-{council.slug}-{pbccd.reporting_year_label(year)}"
    name = name.replace("/", "-")
    # The same file for everyone who may have it: kept until the case studies or
    # the council's name change.
    content = versions.cached(
        "pbccd:file",
        versions.tokens(versions.CATALOGUE, versions.PEOPLE),
        lambda: _pbccd_file(council, year, kind),
        council=council.pk,
        year=year,
        kind=kind,
    )
    types = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX}
    response = HttpResponse(content, content_type=types[kind])
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


def _pbccd_file(council, year: int, kind: str) -> bytes:
    rows = pbccd.projects_table(council, year)
    if kind == "csv":
        return pbccd.as_csv(rows)
    title = f"{council.name}: PBCCD projects {pbccd.reporting_year_label(year)}"
    return pbccd.as_xlsx(rows, title=title)


def pbccd_csv(request, slug, year):
    return _pbccd_download(request, slug, year, "csv")


def pbccd_xlsx(request, slug, year):
    return _pbccd_download(request, slug, year, "xlsx")
