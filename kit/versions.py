"""Shared renderings cached under data version tokens.

Most of what a page shows is the same for every member who may see it: a thread's
posts, the events list, the directory, the training figures. Rendering it costs far
more than reading a cached copy, so it is cached under the tokens of the data it was
made from (portal.models.DataVersion). Each app's signals call ``changed()`` in the
same transaction as every change to its data, and every page reads the tokens first
(one query for all it needs), so a change shows on the next request in every worker
process: there is no stale copy to expire, and the per-process cache needs no
shared server. What differs per member (their registration, their own posts' edit
links) stays outside the cached part or is a key of it. Rendered page parts are
declared in kit/parts.py; this module keeps the tokens and cached values.
"""

import hashlib
import json
import secrets
from collections.abc import Callable, Iterable
from contextvars import ContextVar

from django.core.cache import caches
from django.utils import timezone
from django.utils.translation import get_language

from .batching import collected
from .models import DataVersion

CATALOGUE = "catalogue"  # case studies, with their themes and tags
FORUMS = "forums"  # forums, threads and posts
EVENTS = "events"  # events, their agenda, speakers and registrations
PEOPLE = "people"  # members' names, roles, organisations and expertise
TRAINING = "training"  # courses, cohorts, enrolments, evidence, certificates
ALL = (CATALOGUE, FORUMS, EVENTS, PEOPLE, TRAINING)

# Every change makes new keys, so the hour only bounds memory.
CACHE_SECONDS = 60 * 60
# The per-process cache alias (settings.CACHES): rendered parts stay in each
# worker's memory; only rate limits and sessions' helpers use the shared default.
PAGE_CACHE = "pages"


def page_cache():
    return caches[PAGE_CACHE]


def tokens(*names: str) -> tuple[int, ...]:
    """The current tokens of the named data, in order: one indexed query."""
    found = dict(
        DataVersion.objects.filter(name__in=names).values_list("name", "token")
    )
    return tuple(found.get(name, 0) for name in names)


# The names changed inside ``changes_batched()``, or None outside it.
_batched: ContextVar[set[str] | None] = ContextVar("batched_versions", default=None)


def changed(*names: str) -> None:
    """Give the named data new tokens, in the caller's transaction."""
    batch = _batched.get()
    if batch is not None:
        batch.update(names)
        return
    DataVersion.objects.bulk_create(
        [DataVersion(name=name, token=secrets.randbits(62)) for name in names],
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=["token"],
    )


def changes_batched():
    """Inside, ``changed()`` only notes the names; each changes once, on leaving.

    For bulk loads that render nothing in between (the demo data: a thousand
    saves would otherwise write a thousand tokens). Use it inside the load's
    transaction, so the new tokens commit with the data.
    """
    return collected(_batched, _change_all)


def _change_all(names: set[str]) -> None:
    if names:
        changed(*sorted(names))


def cache_key(name: str, versions: Iterable[int], **key) -> str:
    # The active language is part of every key: a part rendered in English is
    # never served to a reader who chose Gaelic, nor the other way round.
    raw = json.dumps([list(versions), key, get_language()], sort_keys=True, default=str)
    return f"shared:{name}:{hashlib.sha256(raw.encode()).hexdigest()[:40]}"


def cached(
    name: str,
    versions: Iterable[int],
    compute: Callable,
    *,
    expires: Callable | None = None,
    **key,
):
    """``compute()``'s value, kept under ``name``, the tokens and ``key``.

    ``expires(value)``, when given, says when a value goes out of date by the
    clock alone (an upcoming event that ends), with no change to any data: a
    datetime, or None for never.
    """
    full_key = cache_key(name, versions, **key)
    cache = page_cache()
    value = cache.get(full_key)
    if value is None or (expires and _past(expires(value))):
        value = compute()
        cache.set(full_key, value, CACHE_SECONDS)
    return value


def _past(moment) -> bool:
    return moment is not None and moment <= timezone.now()
