"""Coordinator pages: events, their agendas, registrations and feedback."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from .. import queries, services
from ..forms import CancelEventForm, EmailRegistrantsForm, EventForm, SessionForm
from ..models import Event, Session
from .common import manage_required, one_day


@manage_required
def event_create(request):
    form = EventForm(request.POST or None)
    if form.is_valid():
        event = form.save(commit=False)
        services.save_event(
            event,
            by=request.user,
            themes=form.cleaned_data["themes"],
            drivers=form.cleaned_data["drivers"],
            coordinators=form.cleaned_data["coordinators"],
        )
        messages.success(request, _("Event saved as a draft. Add its agenda next."))
        return redirect(event)
    return render(request, "events/event_form.html", {"form": form, "event": None})


@manage_required
def event_edit(request, pk):
    event = get_object_or_404(Event, pk=pk)
    form = EventForm(request.POST or None, instance=event)
    if form.is_valid():
        event = form.save(commit=False)
        services.save_event(
            event,
            themes=form.cleaned_data["themes"],
            drivers=form.cleaned_data["drivers"],
            coordinators=form.cleaned_data["coordinators"],
        )
        messages.success(request, _("Event updated."))
        return redirect(event)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@manage_required
@require_POST
def event_publish(request, pk):
    event = get_object_or_404(Event, pk=pk)
    if services.publish_event(event):
        messages.success(request, _("Event published: members can now see it."))
    return redirect(event)


@manage_required
def event_cancel(request, pk):
    event = get_object_or_404(Event.objects.exclude(state=Event.State.CANCELLED), pk=pk)
    form = CancelEventForm(request.POST or None)
    if form.is_valid():
        services.cancel_event(event, reason=form.cleaned_data["reason"])
        messages.success(request, _("Event cancelled; everyone registered is told."))
        return redirect(event)
    count = event.registrations.active().count()
    return render(
        request,
        "events/event_cancel.html",
        {"event": event, "form": form, "count": count},
    )


@manage_required
def session_create(request, pk):
    event = get_object_or_404(Event, pk=pk)
    return _session_form(request, event, Session())


@manage_required
def session_edit(request, pk, session_pk):
    event = get_object_or_404(Event, pk=pk)
    session = get_object_or_404(Session, pk=session_pk, event=event)
    return _session_form(request, event, session)


def _session_form(request, event, session):
    if session.pk is None and request.method == "GET":
        # A new session starts where the last one ended.
        last = event.sessions.order_by("-ends_at").first()
        start = last.ends_at if last else event.starts_at
        session.starts_at = start
        session.ends_at = min(start + (one_day() / 48), event.ends_at)
    form = SessionForm(
        request.POST or None, request.FILES or None, instance=session, event=event
    )
    if form.is_valid():
        services.save_session(
            form.save(commit=False),
            speaker_members=form.cleaned_data["speaker_members"],
            guest_speakers=form.cleaned_data["guest_speakers"],
        )
        messages.success(request, _("Session saved."))
        return redirect(f"{event.get_absolute_url()}#agenda")
    return render(
        request,
        "events/session_form.html",
        {"form": form, "event": event, "session": session},
    )


@manage_required
@require_POST
def session_delete(request, pk, session_pk):
    session = get_object_or_404(Session, pk=session_pk, event_id=pk)
    services.delete_session(session)
    messages.success(request, _("Session removed from the agenda."))
    return redirect("events:detail", pk=pk)


@manage_required
def registration_list(request, pk):
    """Registrations, the waiting list in order, and attendance on the day."""
    event = get_object_or_404(Event, pk=pk)
    page = Paginator(queries.registrations_for_event(event), 100).get_page(
        request.GET.get("page")
    )
    if request.method == "POST":
        attended = {int(v) for v in request.POST.getlist("attended") if v.isdecimal()}
        on_page = {int(v) for v in request.POST.getlist("on_page") if v.isdecimal()}
        with transaction.atomic():
            for registration in event.registrations.confirmed().filter(pk__in=on_page):
                services.record_attendance(
                    registration, attended=registration.pk in attended
                )
        messages.success(request, _("Attendance saved."))
        return redirect(request.get_full_path())
    counts = {
        "confirmed": event.registrations.confirmed().count(),
        "waiting": event.registrations.waiting().count(),
        "attended": event.registrations.filter(attended=True).count(),
    }
    context = {
        "event": event,
        "page": page,
        "counts": counts,
        "shows_needs": event.shows_needs_to(request.user),
    }
    return render(request, "events/registration_list.html", context)


@manage_required
def email_registrants(request, pk):
    event = get_object_or_404(Event, pk=pk)
    form = EmailRegistrantsForm(request.POST or None)
    if form.is_valid():
        count = services.email_registrants(
            event,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            statuses=form.cleaned_data["statuses"],
            sent_by=request.user,
        )
        messages.success(
            request,
            ngettext(
                "Message sent to %(count)d person.",
                "Message sent to %(count)d people.",
                count,
            )
            % {"count": count},
        )
        return redirect("events:registrations", pk=event.pk)
    return render(
        request, "events/email_registrants.html", {"event": event, "form": form}
    )


@manage_required
def feedback_results(request, pk):
    event = get_object_or_404(Event, pk=pk)
    summary = queries.feedback_summary(event)
    return render(
        request,
        "events/feedback_results.html",
        {"event": event, "summary": summary},
    )


# --- Links to the other areas --------------------------------------------------


@manage_required
@require_POST
def session_to_case_study(request, pk, session_pk):
    """A coordinator turns a talk into a draft case study for its speaker."""
    session = get_object_or_404(
        Session.objects.select_related("event").prefetch_related(
            "speakers__member__organisation"
        ),
        pk=session_pk,
        event_id=pk,
    )
    try:
        case_study = services.draft_case_study_from_session(session, by=request.user)
    except services.RegistrationError as error:
        messages.error(request, str(error))
        return redirect("events:detail", pk=pk)
    messages.success(
        request, _("Draft case study created; its speaker can now finish it.")
    )
    return redirect(case_study)
