"""The shared calendar feeds: every published event for members, the public events
for anyone. Each is the same bytes for every reader, kept in the shared cache under
the events' token and the day.

Building one takes 0.5-1.4 s at the scale data (1,400 events, a 1.2 MB file, most of
it the icalendar library folding lines), and any change to events, a registration
included, makes it out of date. So a request never builds it while a copy exists:
after a change, readers get the last copy while a job builds the new one, once
however many ask. Calendar programs poll, and keep what they have already shown.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from procrastinate.contrib.django import app
from procrastinate.exceptions import AlreadyEnqueued

from kit import versions

from .ical import build_calendar
from .models import Event

# Feeds hold upcoming events and those of the last FEED_PAST_DAYS: a calendar
# program keeps what it has already shown, and a feed of every event ever would
# grow without end (5,000 events made a 1.2 MB feed that took 0.7 s).
FEED_PAST_DAYS = 180
# The last copy is served after a change until the job has built the new one.
LAST_COPY_SECONDS = 7 * 24 * 60 * 60

FEEDS = {
    "network": (Event.objects.published, "Net Zero Network events"),
    "public": (Event.objects.public, "Net Zero Network public events"),
}


def _current_key(name: str) -> str:
    (token,) = versions.tokens(versions.EVENTS)
    day = timezone.localdate().isoformat()
    return versions.cache_key(f"events:feed:{name}", (token,), day=day)


def _last_key(name: str) -> str:
    return versions.cache_key(f"events:feed:{name}:last", ())


def feed(name: str) -> bytes:
    """The feed as it is now, or its last copy while the new one is built."""
    cache = versions.page_cache()
    current = cache.get(_current_key(name))
    if current is not None:
        return current
    last = cache.get(_last_key(name))
    if last is None:  # never built, or the cache was emptied: nothing to serve
        return build(name)
    _queue_build(name)
    return last


def build(name: str) -> bytes:
    """Build the feed and keep it, as the current one and as the last copy."""
    key = _current_key(name)  # read first: a change meanwhile makes a new key
    events, title = FEEDS[name]
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    body = build_calendar(events().filter(ends_at__gte=since), name=title).to_ical()
    cache = versions.page_cache()
    cache.set(key, body, versions.CACHE_SECONDS)
    cache.set(_last_key(name), body, LAST_COPY_SECONDS)
    return body


@app.task(queue="feeds")
def build_feed(name: str) -> int:
    """The job: build one feed (its size in bytes, for the job's record)."""
    return len(build(name))


def _queue_build(name: str) -> None:
    try:
        with transaction.atomic():  # a refused insert must not spoil the request's
            build_feed.configure(queueing_lock=f"events-feed:{name}").defer(name=name)
    except AlreadyEnqueued:
        pass  # one build is waiting already: it reads the newest data when it runs
