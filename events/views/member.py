"""Event pages for members: lists, the calendar, the event page and a
member's own registration."""

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kit import parts, versions
from kit.uploads import serve_private_file
from network.forums.queries import discussion_for

from .. import queries, services
from ..forms import FeedbackForm, RegistrationForm
from ..ical import build_calendar, ics_response
from ..models import MANAGE_PERMISSION, Event, Registration, Session
from .common import PER_PAGE, one_day, visible_event


def _upcoming(tokens, *, manager: bool) -> list[int]:
    """Ids of the upcoming events, kept under the events version until the first
    of them ends (it then leaves the list, with no change to any data)."""
    return versions.cached(
        "events:upcoming",
        tokens,
        lambda: queries.upcoming_events(manager=manager, now=timezone.now()),
        expires=lambda upcoming: upcoming.until,
        manager=manager,
    ).ids


def event_list(request):
    """Upcoming events, soonest first, with the member's own status on each.

    A page of events is the same for every member with the same statuses on it
    (the part "events-list-page", keyed by the page's events and statuses).
    """
    can_manage = request.user.has_perm(MANAGE_PERMISSION)
    known = parts.tokens(versions.EVENTS, versions.PEOPLE)
    ids = _upcoming(
        (known[versions.EVENTS], known[versions.PEOPLE]), manager=can_manage
    )
    page = Paginator(ids, PER_PAGE).get_page(request.GET.get("page"))
    mine = queries.my_statuses(request.user, known[versions.EVENTS])
    body = parts.render(
        request,
        "events-list-page",
        known=known,
        events=list(page.object_list),
        page=page.number,
        pages=page.paginator.num_pages,
        statuses=sorted((pk, mine[pk]) for pk in page.object_list if pk in mine),
    )
    context = {"page": page, "body": body, "can_manage": can_manage, "tab": "upcoming"}
    return render(request, "events/event_list.html", context)


@parts.renders("events-list-page")
def _event_list_part(*, events, page, pages, statuses) -> dict:
    mine = dict(statuses)
    rows = queries.events_in_order(events)
    for event in rows:
        event.my_status = mine.get(event.pk, "")
    # The pages' links need only the page's number and how many there are.
    shown = Paginator(range(pages), 1).page(page)
    shown.object_list = rows
    return {"events": rows, "page": shown}


def event_past(request):
    """Past events and what they left behind: slides and recordings."""
    page = Paginator(
        queries.past_events_with_materials(viewer=request.user), PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(request, "events/event_past.html", {"page": page, "tab": "past"})


def event_calendar(request):
    """A month of events as a table, no script needed: the same for every member
    of a role on the same day (the part "events-calendar"; today is marked)."""
    month = queries.parse_month(request.GET.get("month"))
    body = parts.render(
        request,
        "events-calendar",
        month=month.isoformat(),
        manager=request.user.has_perm(MANAGE_PERMISSION),
        today=timezone.localdate().isoformat(),
    )
    return render(request, "events/event_calendar.html", {"month": month, "body": body})


@parts.renders("events-calendar")
def _calendar_part(*, month, manager, today) -> dict:
    month = date.fromisoformat(month)
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return {
        "month": month,
        "weeks": queries.month_calendar(month.year, month.month, manager=manager),
        "previous": (month.replace(day=1) - one_day()).replace(day=1),
        "following": following,
        "tab": "calendar",
        "today": today,
    }


def event_detail(request, pk):
    return _event_page(request, pk)


def _event_page(request, pk, *, form=None):
    """The event page; a refused registration form comes back in ``form`` with
    its errors and what the member typed.

    All but the member's own place (their registration, its form) is the same
    for every member of a role: the parts "event-head" (it stops counting places
    left once the event is over) and "event-agenda".
    """
    can_manage = request.user.has_perm(MANAGE_PERMISSION)
    known = parts.tokens(versions.EVENTS, versions.PEOPLE, versions.FORUMS)
    event = _shared_event(pk, known[versions.EVENTS])
    if event is None or not event.is_visible_for_role(manager=can_manage):
        raise Http404
    key = {"known": known, "event_id": pk, "manager": can_manage}
    context = {
        "event": event,
        "head": parts.render(request, "event-head", past=event.is_past, **key),
        "agenda": parts.render(request, "event-agenda", **key),
        "places_left": event.places_left,
        **_own_place(request, event, form, known[versions.EVENTS]),
    }
    return render(request, "events/event_detail.html", context)


def _shared_event(pk, events: int) -> Event | None:
    """The event row with its counts, the same for everyone: any change to an
    event or a registration makes a new key."""
    return versions.cached(
        "events:event", (events,), lambda: queries.event_or_none(pk), pk=pk
    )


def _own_place(request, event, form, events: int) -> dict:
    """The member's registration, its form and what they may do with it."""
    member = request.user
    # Only a member with a place (or on the waiting list) has a registration to
    # read: the others cost no query.
    registration = (
        queries.registration_for(event, member)
        if event.pk in queries.my_statuses(member, events)
        else None
    )
    opens_at, closes_at = event.registration_window()
    return {
        "registration": registration,
        "waiting_position": registration and queries.waiting_position(registration),
        "is_for_me": event.is_for(member),
        "registration_open": event.registration_is_open(),
        "opens_at": opens_at,
        "not_yet_open": bool(opens_at and opens_at > timezone.now()),
        "closes_at": closes_at,
        "form": form
        if form is not None or registration is None
        else RegistrationForm(instance=registration),
        # A blank form is the same for everyone: rendered once, no form built.
        "blank_form": (
            parts.render(request, "event-registration-form")
            if form is None and not registration
            else ""
        ),
        "can_give_feedback": bool(
            registration and registration.attended and event.is_past
        ),
    }


@parts.renders("event-registration-form")
def _registration_form_part() -> dict:
    return {"form": RegistrationForm()}


@parts.renders("event-head")
def _event_head_part(*, event_id, manager, past, tokens) -> dict:
    event = _shared_event(event_id, tokens[versions.EVENTS])
    return {
        "event": event,
        "can_manage": manager,
        "past": past,
        "places_left": event.places_left,
        "themes": list(event.themes.all()),
    }


@parts.renders("event-agenda")
def _event_agenda_part(*, event_id, manager, tokens) -> dict:
    event = _shared_event(event_id, tokens[versions.EVENTS])
    return {
        "event": event,
        "can_manage": manager,
        "places_left": event.places_left,
        "sessions": queries.agenda(event),
        "discussion": discussion_for(event),
    }


def event_ics(request, pk):
    """One event as an .ics file the member's calendar program can import."""
    event = visible_event(request, pk)
    confirmed = Registration.objects.confirmed().filter(
        event=event, member=request.user
    )
    links = frozenset([event.pk]) if confirmed.exists() else frozenset()
    cal = build_calendar([event], name=event.title, joining_links=links)
    return ics_response(cal, filename=f"event-{event.pk}.ics")


@require_POST
def event_register(request, pk):
    event = visible_event(request, pk)
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
    event = visible_event(request, pk)
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
    event = visible_event(request, pk)
    registration = get_object_or_404(
        Registration.objects.active(), event=event, member=request.user
    )
    services.cancel_registration(registration)
    messages.success(request, _("Your registration is cancelled."))
    return redirect(event)


def event_feedback(request, pk):
    event = visible_event(request, pk)
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
    event = visible_event(request, pk)
    session = get_object_or_404(Session, pk=session_pk, event=event)
    if not session.slides:
        raise Http404
    return serve_private_file(session.slides, download_name=session.slides_name)


@require_POST
def event_discuss(request, pk):
    """Open (or find) the discussion thread about this event."""
    event = get_object_or_404(Event.objects.published(), pk=pk)
    thread = services.start_event_discussion(event, started_by=request.user)
    return redirect(thread)
