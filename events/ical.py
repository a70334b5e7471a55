"""iCalendar (RFC 5545) files for events, with Scotland's time zone included so
calendar programs place the event right on either side of the clock changes."""

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

LONDON = ZoneInfo("Europe/London")


def _uid(event) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"event-{event.pk}@{host}"


def build_calendar(events, *, name: str, joining_links: frozenset = frozenset()):
    """A VCALENDAR of ``events``; the joining link goes only into events whose ids
    are in ``joining_links`` (those the reader holds a confirmed place at)."""
    cal = Calendar()
    cal.add("prodid", "-//Scottish Cities Net Zero Network//Events//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/London")
    now = timezone.now()
    for event in events:
        item = VEvent()
        item.add("uid", _uid(event))
        item.add("dtstamp", now)
        item.add("dtstart", event.starts_at.astimezone(LONDON))
        item.add("dtend", event.ends_at.astimezone(LONDON))
        item.add("summary", event.title)
        url = f"{settings.SITE_URL}{event.get_absolute_url()}"
        description = event.description
        if event.pk in joining_links and event.online_url:
            description = f"{description}\n\nJoin online: {event.online_url}"
        item.add("description", f"{description}\n\n{url}".strip())
        item.add("url", url)
        location = ", ".join(
            part for part in [event.venue, " ".join(event.address.split())] if part
        )
        if not location and event.has_online_part:
            location = "Online"
        if location:
            item.add("location", location)
        item.add("status", "CONFIRMED")
        cal.add_component(item)
    # The VTIMEZONE for Europe/London, so the file stands on its own.
    cal.add_missing_timezones()
    return cal


def ics_response(cal, *, filename: str | None = None) -> HttpResponse:
    """``cal`` is a Calendar or its bytes (a feed kept in the cache)."""
    body = cal if isinstance(cal, bytes) else cal.to_ical()
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
