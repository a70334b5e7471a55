"""The shared cache on Redis, falling back to the database table while Redis does not
answer: pages keep working and sign-in limits keep counting across every worker and
host (in PostgreSQL instead), and the log says so once when Redis goes and once when
it is back. Django's own RedisCache raises on a Redis outage; this catches that."""

import logging
import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("portal.cache")

REDIS_DOWN = (RedisConnectionError, RedisTimeoutError)
# After a failure, go straight to the fallback for this long rather than paying a
# connection attempt on every call; then try Redis again.
RETRY_AFTER_S = 5.0

OPERATIONS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "decr",
    "set_many",
    "delete_many",
    "clear",
    "get_or_set",
)


class RedisWithFallback(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._fallback_alias = params.get("FALLBACK", "database")
        self._down_until = 0.0
        self._down = False

    @property
    def fallback(self):
        return caches[self._fallback_alias]

    def _call(self, name, *args, **kwargs):
        if self._down and time.monotonic() < self._down_until:
            return getattr(self.fallback, name)(*args, **kwargs)
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except REDIS_DOWN as exc:
            if not self._down:
                logger.warning(
                    "Redis is unavailable (%s): the shared cache falls back to the "
                    "database table %r until Redis answers again.",
                    exc,
                    self._fallback_alias,
                )
            self._down = True
            self._down_until = time.monotonic() + RETRY_AFTER_S
            return getattr(self.fallback, name)(*args, **kwargs)
        if self._down:
            self._down = False
            logger.warning("Redis answers again: the shared cache is back on Redis.")
        return result


def _delegate(name):
    def method(self, *args, **kwargs):
        return self._call(name, *args, **kwargs)

    method.__name__ = name
    return method


for _name in OPERATIONS:
    setattr(RedisWithFallback, _name, _delegate(_name))
