import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kit import parts
from kit.csv import csv_safe
from kit.permissions import login_not_required, permission_required_403

from . import queries, services
from .forms import (
    ANSWER_FIELDS,
    AttendanceForm,
    CertifyForm,
    CohortForm,
    CourseForm,
    EvidenceForm,
    PledgeForm,
    PledgeProgressForm,
    ReturnForm,
    SessionFormSet,
    check_submission,
)
from .models import SEND_WITHIN_DAYS, Attendance, Cohort, Enrolment, Evidence, Session


def home(request):
    """A learner's own path, the cohorts they may join, and the cohorts they run."""
    member = request.user
    run = Paginator(queries.cohorts_run_by(member), 20).get_page(
        request.GET.get("page")
    )
    enrolments = queries.enrolments_of(member)
    context = {
        "paths": [(e, queries.learner_steps(e)) for e in enrolments],
        "enrolled_cohorts": {e.cohort_id for e in enrolments},
        "cohorts": queries.open_cohorts() if member.is_elected_member else [],
        "recent_cohorts": queries.recent_cohorts() if member.is_elected_member else [],
        "run_page": run,
        "can_run": member.has_perm("training.run_training"),
    }
    return render(request, "training/home.html", context)


@login_not_required
def signup(request):
    """The public page: what the training is, and its cohorts to sign up to."""
    cohorts = list(queries.open_cohorts())
    for cohort in cohorts:
        join = reverse("training:join", args=[cohort.pk])
        cohort.register_url = (
            reverse("account_signup")
            + "?"
            + urlencode({"next": join, "member_type": "elected"})
        )
        cohort.login_url = reverse("account_login") + "?" + urlencode({"next": join})
        cohort.join_url = join
    context = {
        "cohorts": cohorts,
        "recent_cohorts": queries.recent_cohorts(),
        "send_within_days": SEND_WITHIN_DAYS,
    }
    return render(request, "training/signup.html", context)


def cohort_join(request, pk):
    """Confirm a place (or a waiting-list place) on a cohort; a cohort that has
    started (or whose sign-up deadline passed) says so and takes no one."""
    cohort = queries.cohort_for_signup(pk)
    if cohort is None:
        raise Http404
    enrolment = (
        Enrolment.objects.filter(cohort=cohort, member=request.user).active().first()
    )
    if request.method == "POST":
        if not request.user.is_elected_member:
            raise PermissionDenied
        try:
            enrolment = services.enrol(cohort, request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("training:join", pk=cohort.pk)
        if enrolment.status == Enrolment.Status.CONFIRMED:
            messages.success(
                request, _("You have a place on %(cohort)s.") % {"cohort": cohort}
            )
        else:
            messages.info(
                request,
                _(
                    "%(cohort)s is full: you are on its waiting list and we will "
                    "email you if a place comes up."
                )
                % {"cohort": cohort},
            )
        return redirect("training:home")
    context = {"cohort": cohort, "enrolment": enrolment}
    return render(request, "training/cohort_join.html", context)


@require_POST
def enrolment_cancel(request, pk):
    enrolment = get_object_or_404(
        Enrolment.objects.active(),
        pk=pk,
        member=request.user,
    )
    services.cancel_enrolment(enrolment)
    messages.success(
        request, _("You have left %(cohort)s.") % {"cohort": enrolment.cohort}
    )
    return redirect("training:home")


# Running cohorts ---------------------------------------------------------------


def cohort_detail(request, pk):
    """A trainer's or coordinator's view of a cohort: sessions, learners, and
    once the last session has ended, whose evidence is due and by when."""
    cohort = queries.cohort_run_by(request.user, pk)
    if cohort is None:
        raise Http404
    learners = list(queries.cohort_learners(cohort))
    context = {
        "cohort": cohort,
        "sessions": list(cohort.sessions.all()),
        "learners": learners,
        "evidence_due": queries.evidence_due(cohort, learners),
        "send_within_days": SEND_WITHIN_DAYS,
        "can_edit": request.user.has_perm("training.run_training"),
        "can_certify": Cohort.objects.certifiable_by(request.user)
        .filter(pk=cohort.pk)
        .exists(),
    }
    return render(request, "training/cohort_detail.html", context)


@permission_required_403("training.run_training")
def course_create(request):
    form = CourseForm(request.POST or None)
    if form.is_valid():
        course = form.save()
        messages.success(
            request,
            _("Course %(course)s added; now add its cohorts.") % {"course": course},
        )
        return redirect("training:cohort_create")
    return render(request, "training/course_form.html", {"form": form})


@permission_required_403("training.run_training")
def cohort_edit(request, pk=None):
    cohort = get_object_or_404(Cohort, pk=pk) if pk else None
    form = CohortForm(request.POST or None, instance=cohort)
    formset = SessionFormSet(request.POST or None, instance=cohort, prefix="sessions")
    if form.is_valid() and formset.is_valid():
        cohort = form.save(commit=False)
        promoted = services.save_cohort(
            cohort,
            sessions=formset.save(commit=False),
            removed=formset.deleted_objects,
        )
        messages.success(request, _("Saved %(cohort)s.") % {"cohort": cohort})
        if promoted:
            messages.info(
                request,
                _("Places given from the waiting list: %(count)d, each emailed.")
                % {"count": len(promoted)},
            )
        return redirect(cohort)
    context = {"form": form, "formset": formset, "cohort": cohort}
    return render(request, "training/cohort_form.html", context)


def session_attendance(request, pk):
    """Record hours attended: the cohort's trainer or a coordinator."""
    session = get_object_or_404(
        Session.objects.select_related("cohort"),
        pk=pk,
        cohort__in=Cohort.objects.run_by(request.user),
    )
    enrolments = list(
        session.cohort.enrolments.filter(status=Enrolment.Status.CONFIRMED)
        .select_related("member")
        .order_by("member__full_name")
    )
    recorded = dict(
        Attendance.objects.filter(session=session).values_list("enrolment_id", "hours")
    )
    form = AttendanceForm(
        request.POST or None,
        session=session,
        enrolments=enrolments,
        initial_hours=recorded,
    )
    if form.is_valid():
        services.record_attendance(session, form.hours(), recorded_by=request.user)
        messages.success(request, _("Attendance saved."))
        return redirect(session.cohort)
    context = {"session": session, "cohort": session.cohort, "form": form}
    return render(request, "training/attendance_form.html", context)


# Evidence ------------------------------------------------------------------------


def _own_enrolment(request, pk):
    """Only the learner themself: anyone else gets a 404."""
    return get_object_or_404(
        Enrolment.objects.select_related("cohort__course"),
        pk=pk,
        member=request.user,
        status=Enrolment.Status.CONFIRMED,
    )


def evidence_edit(request, pk):
    """The learner's evidence form: answers and two pledges; draft or submit."""
    enrolment = _own_enrolment(request, pk)
    evidence = services.evidence_for(enrolment)
    pledges = list(evidence.pledges.all())
    data = request.POST if request.method == "POST" and evidence.is_editable else None
    form = EvidenceForm(data, instance=evidence)
    pledge_forms = _pledge_forms(data, pledges)
    if data is not None and form.is_valid() and all(f.is_valid() for f in pledge_forms):
        submit = "submit" in request.POST
        if _saved_evidence(form, pledge_forms, evidence, submit=submit):
            if submit:
                messages.success(request, _("Submitted: your trainer will check it."))
                return redirect("training:home")
            messages.success(request, _("Draft saved."))
            return redirect("training:evidence", pk=enrolment.pk)
    context = {
        "enrolment": enrolment,
        "evidence": evidence,
        "form": form,
        "pledge_forms": pledge_forms,
        "pledges": pledges,
    }
    return render(request, "training/evidence_form.html", context)


def _pledge_forms(data, pledges) -> list:
    """The individual pledge, then the group one."""
    return [
        PledgeForm(
            data,
            prefix=f"pledge{i}",
            instance=pledges[i - 1] if len(pledges) >= i else None,
            initial={"kind": ["individual", "group"][i - 1]},
        )
        for i in (1, 2)
    ]


def _saved_evidence(form, pledge_forms, evidence, *, submit: bool) -> bool:
    """Save the valid forms; False, with the reasons on the forms, if refused."""
    if submit and not check_submission(form, pledge_forms):
        return False
    try:
        services.save_evidence(
            evidence,
            answers={f: form.cleaned_data[f] for f in ANSWER_FIELDS},
            pledges=[f.pledge_data() for f in pledge_forms],
            submit=submit,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


def evidence_review(request, pk):
    """The trainer's page: send to the Project, then certify or return."""
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("cohort__course", "member", "evidence"),
        pk=pk,
        cohort__in=Cohort.objects.certifiable_by(request.user),
        evidence__isnull=False,
    )
    evidence = enrolment.evidence
    certify_form = CertifyForm(request.POST if "certify" in request.POST else None)
    return_form = ReturnForm(request.POST if "return" in request.POST else None)
    if request.method == "POST":
        try:
            done = _review_step(request, enrolment, certify_form, return_form)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if done:
                return done
    context = {
        "enrolment": enrolment,
        "evidence": evidence,
        "pledges": list(evidence.pledges.all()),
        "warning": queries.send_warning(evidence)
        if evidence.status == Evidence.Status.SUBMITTED
        else "",
        "certify_form": certify_form,
        "return_form": return_form,
    }
    return render(request, "training/evidence_review.html", context)


def _review_step(request, enrolment, certify_form, return_form):
    """Send, certify or return, as the button pressed says: where to go next,
    or None when a form has errors to show."""
    evidence = enrolment.evidence
    if "send" in request.POST:
        services.mark_sent(evidence, by=request.user)
        messages.success(request, _("Marked as sent to the Project."))
        return redirect("training:review", pk=enrolment.pk)
    if "certify" in request.POST and certify_form.is_valid():
        services.certify(evidence, by=request.user, **certify_form.cleaned_data)
        messages.success(
            request, _("%(member)s is certified.") % {"member": enrolment.member}
        )
        return redirect(enrolment.cohort)
    if "return" in request.POST and return_form.is_valid():
        services.return_for_more(
            evidence, by=request.user, note=return_form.cleaned_data["note"]
        )
        messages.success(request, _("Returned to the learner for more evidence."))
        return redirect(enrolment.cohort)
    return None


def pledge_progress(request, pk):
    """After certification: how each pledge is going."""
    enrolment = get_object_or_404(
        Enrolment.objects.prefetch_related(Prefetch("evidence__pledges")),
        pk=pk,
        member=request.user,
        evidence__status=Evidence.Status.CERTIFIED,
    )
    pledges = list(enrolment.evidence.pledges.all())
    forms = [
        PledgeProgressForm(request.POST or None, instance=p, prefix=f"p{p.pk}")
        for p in pledges
    ]
    if request.method == "POST" and all(f.is_valid() for f in forms):
        for form in forms:
            services.update_pledge_progress(
                form.instance,
                progress=form.cleaned_data["progress"],
                note=form.cleaned_data["progress_note"],
            )
        messages.success(request, _("Thank you: your pledges are up to date."))
        return redirect("training:home")
    context = {"enrolment": enrolment, "forms": forms}
    return render(request, "training/pledge_progress.html", context)


# Figures -------------------------------------------------------------------------


def progress(request):
    """Per council and per city: totals only, never who. The same for every
    reader (the part "training-progress")."""
    body = parts.render(request, "training-progress")
    return render(request, "training/progress.html", {"body": body})


@parts.renders("training-progress")
def _progress_part() -> dict:
    return queries.progress_figures()


def progress_csv(request):
    figures = queries.progress_figures()
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="training-progress.csv"'
    writer = csv.writer(response)
    columns = ["councillors", "enrolled", "trained", "evidence_sent", "certified"]
    writer.writerow(["level", "name", *columns, "certified_percent"])
    for level, rows in [("council", figures["councils"]), ("city", figures["cities"])]:
        for row in rows:
            writer.writerow(
                [
                    level,
                    csv_safe(row["name"]),
                    *[csv_safe(row[c]) for c in columns],
                    csv_safe(row["certified_percent"]),
                ]
            )
    writer.writerow([])
    writer.writerow(["pledge category", "pledges", "done"])
    for row in figures["pledges"]:
        writer.writerow([csv_safe(row["category"]), row["total"], row["done"]])
    return response
