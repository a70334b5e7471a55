"""Event pages: thin views that parse, authorise and call queries or services."""

import csv
from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kit import versions
from kit.permissions import login_not_required, permission_required_403
from kit.uploads import serve_private_file
from network.forums.queries import discussion_for

from . import queries, services
from .forms import (
    CancelEventForm,
    EmailRegistrantsForm,
    EventForm,
    FeedbackForm,
    RegistrationForm,
    SessionForm,
)
from .ical import build_calendar, ics_response
from .models import MANAGE_PERMISSION, CalendarFeed, Event, Registration, Session

manage_required = permission_required_403(MANAGE_PERMISSION)
PER_PAGE = 20


def _visible_event(request, pk) -> Event:
    return get_object_or_404(Event.objects.visible_to(request.user), pk=pk)


# --- Member pages --------------------------------------------------------------


def _upcoming(tokens, *, manager: bool) -> list[int]:
    """Ids of the upcoming events, kept under the events version until the first
    of them ends (it then leaves the list, with no change to any data)."""
    return versions.cached(
        "events-upcoming",
        tokens,
        lambda: queries.upcoming_events(manager=manager, now=timezone.now()),
        expires=lambda upcoming: upcoming.until,
        manager=manager,
    ).ids


def event_list(request):
    """Upcoming events, soonest first, with the member's own status on each.

    A page of events is the same for every member with the same registrations
    on it, so it is kept rendered under the events and people (themes) versions,
    keyed by the page's events and the member's statuses on them.
    """
    can_manage = request.user.has_perm(MANAGE_PERMISSION)
    tokens = versions.tokens(versions.EVENTS, versions.PEOPLE)
    ids = _upcoming(tokens, manager=can_manage)
    page = Paginator(ids, PER_PAGE).get_page(request.GET.get("page"))
    mine = queries.my_statuses(request.user, tokens[0])
    statuses = {pk: mine[pk] for pk in page.object_list if pk in mine}

    def render_events():
        events = queries.events_in_order(page.object_list)
        for event in events:
            event.my_status = statuses.get(event.pk, "")
            event.places_left = max(event.capacity - event.confirmed_count, 0)
        return render_to_string(
            "events/includes/_event_list_body.html", {"events": events, "page": page}
        )

    body = versions.cached_html(
        request,
        "events-list-page",
        tokens,
        render_events,
        events=list(page.object_list),
        page=page.number,
        pages=page.paginator.num_pages,
        statuses=sorted(statuses.items()),
    )
    context = {"page": page, "body": body, "can_manage": can_manage, "tab": "upcoming"}
    return render(request, "events/event_list.html", context)


def event_past(request):
    """Past events and what they left behind: slides and recordings."""
    page = Paginator(
        queries.past_events_with_materials(viewer=request.user), PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(request, "events/event_past.html", {"page": page, "tab": "past"})


def event_calendar(request):
    """A month of events as a table, no script needed.

    The month is the same for every member of a role, so it is kept rendered
    under the events version, keyed by the month and by today (marked in it).
    """
    month = queries.parse_month(request.GET.get("month"))
    can_manage = request.user.has_perm(MANAGE_PERMISSION)

    def render_month():
        weeks = queries.month_calendar(month.year, month.month, manager=can_manage)
        previous = (month.replace(day=1) - _one_day()).replace(day=1)
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        context = {
            "month": month,
            "weeks": weeks,
            "previous": previous,
            "following": following,
            "tab": "calendar",
        }
        return render_to_string("events/includes/_calendar_body.html", context)

    body = versions.cached_html(
        request,
        "events-calendar",
        versions.tokens(versions.EVENTS),
        render_month,
        month=month.isoformat(),
        manager=can_manage,
        today=timezone.localdate().isoformat(),
    )
    return render(request, "events/event_calendar.html", {"month": month, "body": body})


def _one_day():
    return timedelta(days=1)


def event_detail(request, pk):
    return _event_page(request, pk)


def _event_page(request, pk, *, form=None):
    """The event page; a refused registration form comes back in ``form`` with
    its errors and what the member typed.

    All but the member's own place (their registration, its form) is the same
    for every member of a role, so it is kept rendered under the events, people
    (speakers, themes) and forums (its discussion) versions, keyed by the event,
    the role and whether it is over (it then stops counting places left).
    """
    can_manage = request.user.has_perm(MANAGE_PERMISSION)
    tokens = versions.tokens(versions.EVENTS, versions.PEOPLE, versions.FORUMS)
    # The event row (with its counts) is shared too: any change makes a new key.
    event = versions.cached(
        "event", tokens[:1], lambda: queries.event_or_none(pk), pk=pk
    )
    if event is None or not event.is_visible_for_role(manager=can_manage):
        raise Http404
    places_left = max(event.capacity - event.confirmed_count, 0)
    shared = {
        "event": event,
        "can_manage": can_manage,
        "places_left": places_left,
        "csrf_token": versions.CSRF_PLACEHOLDER,
    }
    head = versions.cached_html(
        request,
        "event-head",
        tokens,
        lambda: render_to_string(
            "events/includes/_event_head.html",
            {**shared, "themes": list(event.themes.all())},
        ),
        pk=pk,
        manager=can_manage,
        past=event.is_past,
    )
    rest = versions.cached_html(
        request,
        "event-agenda",
        tokens,
        lambda: render_to_string(
            "events/includes/_event_agenda.html",
            {
                **shared,
                "sessions": queries.agenda(event),
                "discussion": discussion_for(event),
            },
        ),
        pk=pk,
        manager=can_manage,
    )
    # Only a member with a place (or on the waiting list) has a registration to
    # read: the others cost no query.
    registration = (
        queries.registration_for(event, request.user)
        if event.pk in queries.my_statuses(request.user, tokens[0])
        else None
    )
    if registration and registration.status == Registration.Status.CANCELLED:
        registration = None
    opens_at, closes_at = event.registration_window()
    context = {
        "event": event,
        "head": head,
        "agenda": rest,
        "registration": registration,
        "waiting_position": registration and queries.waiting_position(registration),
        "is_for_me": event.is_for(request.user),
        "registration_open": event.registration_is_open(),
        "opens_at": opens_at,
        "not_yet_open": bool(opens_at and opens_at > timezone.now()),
        "closes_at": closes_at,
        "places_left": places_left,
        # A blank form is the same for everyone: rendered once, no form built.
        "form": form
        if form is not None or registration is None
        else RegistrationForm(instance=registration),
        "blank_form": (
            _blank_registration_form() if form is None and not registration else ""
        ),
        "can_give_feedback": bool(
            registration and registration.attended and event.is_past
        ),
    }
    return render(request, "events/event_detail.html", context)


def _blank_registration_form() -> SafeString:
    """The empty registration form's fields, the same for everyone: rendered once."""
    return mark_safe(  # noqa: S308 (rendered by our template, escaped there)
        versions.cached(
            "blank-registration-form",
            (),
            lambda: render_to_string(
                "events/includes/_registration_fields.html",
                {"form": RegistrationForm()},
            ),
        )
    )


def event_ics(request, pk):
    """One event as an .ics file the member's calendar program can import."""
    event = _visible_event(request, pk)
    confirmed = Registration.objects.confirmed().filter(
        event=event, member=request.user
    )
    links = frozenset([event.pk]) if confirmed.exists() else frozenset()
    cal = build_calendar([event], name=event.title, joining_links=links)
    return ics_response(cal, filename=f"event-{event.pk}.ics")


@require_POST
def event_register(request, pk):
    event = _visible_event(request, pk)
    form = RegistrationForm(request.POST)
    if not form.is_valid():
        return _event_page(request, pk, form=form)
    try:
        registration = services.register(event, request.user, **form.cleaned_data)
    except services.RegistrationError as error:
        messages.error(request, str(error))
        return redirect(event)
    if registration.status == Registration.Status.CONFIRMED:
        messages.success(
            request, _("You are registered. A confirmation is on its way.")
        )
    else:
        messages.info(
            request,
            _(
                "The event is full, so you are on the waiting list. We will email you "
                "if a place comes up."
            ),
        )
    return redirect(event)


@require_POST
def registration_update(request, pk):
    event = _visible_event(request, pk)
    registration = get_object_or_404(
        Registration.objects.active(), event=event, member=request.user
    )
    form = RegistrationForm(request.POST, instance=registration)
    if not form.is_valid():
        return _event_page(request, pk, form=form)
    services.update_needs(registration, **form.cleaned_data)
    messages.success(request, _("Your needs are updated."))
    return redirect(event)


@require_POST
def registration_cancel(request, pk):
    event = _visible_event(request, pk)
    registration = get_object_or_404(
        Registration.objects.active(), event=event, member=request.user
    )
    services.cancel_registration(registration)
    messages.success(request, _("Your registration is cancelled."))
    return redirect(event)


def event_feedback(request, pk):
    event = _visible_event(request, pk)
    registration = get_object_or_404(
        Registration.objects.confirmed(),
        event=event,
        member=request.user,
        attended=True,
    )
    existing = getattr(registration, "feedback", None)
    initial = (
        {"rating": existing.rating, "comment": existing.comment} if existing else {}
    )
    form = FeedbackForm(request.POST or None, initial=initial)
    if form.is_valid():
        services.give_feedback(registration, **form.cleaned_data)
        messages.success(request, _("Thank you for your feedback."))
        return redirect(event)
    return render(request, "events/event_feedback.html", {"event": event, "form": form})


def session_slides(request, pk, session_pk):
    """Slides are private files: only for those who may see the event."""
    event = _visible_event(request, pk)
    session = get_object_or_404(Session, pk=session_pk, event=event)
    if not session.slides:
        raise Http404
    return serve_private_file(session.slides, download_name=session.slides_name)


# --- Calendars -----------------------------------------------------------------


def my_calendar(request):
    """The member's secret calendar addresses, and a way to reset them."""
    feed = services.calendar_feed_for(request.user)
    return render(
        request,
        "events/my_calendar.html",
        {
            "feed_url": request.build_absolute_uri(
                reverse("events:member_feed", args=[feed.token])
            ),
            "network_feed_url": request.build_absolute_uri(
                reverse("events:network_feed", args=[feed.token])
            ),
            "public_feed_url": request.build_absolute_uri(
                reverse("events:public_feed")
            ),
        },
    )


@require_POST
def my_calendar_reset(request):
    services.reset_calendar_feed(request.user)
    messages.success(
        request, _("Your calendar address is reset: the old one no longer works.")
    )
    return redirect("events:my_calendar")


def _feed_owner(token):
    feed = get_object_or_404(CalendarFeed.objects.select_related("member"), token=token)
    if not feed.member.is_approved:
        raise Http404
    return feed.member


@login_not_required
def member_feed(request, token):
    """The events a member registered for; the secret token is the key."""
    member = _feed_owner(token)
    registrations = (
        Registration.objects.active()
        .filter(member=member, event__state=Event.State.PUBLISHED)
        .select_related("event")
    )
    events = [r.event for r in registrations]
    links = frozenset(
        r.event_id for r in registrations if r.status == Registration.Status.CONFIRMED
    )
    cal = build_calendar(events, name="My network events", joining_links=links)
    return ics_response(cal)


# Feeds hold upcoming events and those of the last FEED_PAST_DAYS: a calendar
# program keeps what it has already shown, and a feed of every event ever would
# grow without end (5,000 events made a 1.2 MB feed that took 0.7 s).
FEED_PAST_DAYS = 180


def _shared_feed(name: str, events, title: str) -> bytes:
    """The same feed for everyone who may read it, made once a day and again
    after any change to events."""
    (token,) = versions.tokens(versions.EVENTS)
    today = timezone.localdate()
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    return versions.cached(
        f"events:feed:{name}",
        (token,),
        lambda: build_calendar(events.filter(ends_at__gte=since), name=title).to_ical(),
        day=today.isoformat(),
    )


@login_not_required
def network_feed(request, token):
    """Every published event of the network, for a member's calendar program."""
    _feed_owner(token)
    feed = _shared_feed("network", Event.objects.published(), "Net Zero Network events")
    return ics_response(feed)


@login_not_required
def public_feed(request):
    feed = _shared_feed(
        "public", Event.objects.public(), "Net Zero Network public events"
    )
    return ics_response(feed)


# --- Public pages --------------------------------------------------------------


@login_not_required
def public_list(request):
    page = Paginator(queries.public_events(), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "events/public_list.html", {"page": page})


@login_not_required
def public_detail(request, pk):
    event = get_object_or_404(
        Event.objects.public().prefetch_related(
            "themes", "sessions__speakers__member__organisation"
        ),
        pk=pk,
    )
    return render(request, "events/public_detail.html", {"event": event})


# --- Coordinator pages ---------------------------------------------------------


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
        session.ends_at = min(start + (_one_day() / 48), event.ends_at)
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


def _csv_safe(value) -> str:
    """Spreadsheet programs run cells that start with these as formulas."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_response(filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Names and addresses, perhaps health data: never kept by a browser or proxy.
    response["Cache-Control"] = "no-store"
    return response


@manage_required
def registration_csv(request, pk):
    """Who registered, without their needs: those leave only in ``needs_csv``."""
    event = get_object_or_404(Event, pk=pk)
    response = _csv_response(f"event-{event.pk}-registrations.csv")
    writer = csv.writer(response)
    writer.writerow(
        [
            "Name",
            "Email",
            "Organisation",
            "Job title",
            "Status",
            "Registered (UK time)",
            "Attended",
        ]
    )
    for r in queries.registrations_for_event(event).iterator():
        member = r.member
        writer.writerow(
            _csv_safe(value)
            for value in [
                member.full_name,
                member.email,
                member.organisation.name if member.organisation_id else "",
                member.job_title,
                r.get_status_display(),
                timezone.localtime(r.registered_at).strftime("%Y-%m-%d %H:%M"),
                "yes" if r.attended else "no",
            ]
        )
    return response


@manage_required
def needs_csv(request, pk):
    """Confirmed registrants' access and dietary needs, for the venue or caterer:
    only for the coordinators running the event, and only the names and needs."""
    event = get_object_or_404(Event, pk=pk)
    if not event.shows_needs_to(request.user):
        raise PermissionDenied("Only the coordinators running this event see needs.")
    response = _csv_response(f"event-{event.pk}-needs.csv")
    response.write("\ufeff")  # so spreadsheet programs read it as UTF-8
    writer = csv.writer(response)
    writer.writerow(["Name", "Access needs", "Dietary needs"])
    for r in queries.needs_for_event(event).iterator():
        writer.writerow(
            _csv_safe(value)
            for value in [r.member.full_name, r.access_needs, r.dietary_needs]
        )
    return response


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


@require_POST
def event_discuss(request, pk):
    """Open (or find) the discussion thread about this event."""
    event = get_object_or_404(Event.objects.published(), pk=pk)
    thread = services.start_event_discussion(event, started_by=request.user)
    return redirect(thread)
