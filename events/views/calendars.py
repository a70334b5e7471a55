"""Calendars: a member's secret feed addresses and the .ics feeds themselves."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kit.permissions import login_not_required

from .. import feeds, services
from ..ical import build_calendar, ics_response
from ..models import CalendarFeed, Event, Registration


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


@login_not_required
def network_feed(request, token):
    """Every published event of the network, for a member's calendar program."""
    _feed_owner(token)
    return ics_response(feeds.feed("network"))


@login_not_required
def public_feed(request):
    return ics_response(feeds.feed("public"))
