"""The shared cache on Redis keeps working while Redis does not answer: the database
table stands in (so sign-in limits still count across workers) and the log says so."""

import logging
import socket

import pytest

from kit.cache import RedisWithFallback

pytestmark = pytest.mark.django_db

DATABASE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "portal_cache",
}


def redis_cache(settings, url):
    settings.CACHES = {
        **settings.CACHES,
        "database": DATABASE,
    }
    return RedisWithFallback(url, {"FALLBACK": "database", "KEY_PREFIX": "t"})


def redis_answers():
    try:
        socket.create_connection(("127.0.0.1", 6379), 0.5).close()
    except OSError:
        return False
    return True


def test_redis_down_falls_back_to_the_table_and_says_so_once(settings, caplog):
    cache = redis_cache(settings, "redis://127.0.0.1:9/0")  # nothing listens there
    with caplog.at_level(logging.WARNING, logger="portal.cache"):
        cache.set("failures:olivia", 5)
        assert cache.get("failures:olivia") == 5
        assert cache.incr("failures:olivia") == 6
    warnings = [r.getMessage() for r in caplog.records if r.name == "portal.cache"]
    assert len(warnings) == 1
    assert "Redis is unavailable" in warnings[0] and "'database'" in warnings[0]
    # What it counted is in the shared table, where every worker and host reads it.
    from django.core.cache import caches

    assert caches["database"].get("failures:olivia") == 6


@pytest.mark.skipif(not redis_answers(), reason="no Redis at 127.0.0.1:6379")
def test_redis_up_is_used_and_the_table_is_not(settings):
    cache = redis_cache(settings, "redis://127.0.0.1:6379/15")
    cache.set("drill:up", "redis")
    assert cache.get("drill:up") == "redis"
    from django.core.cache import caches

    assert caches["database"].get("drill:up") is None
    cache.delete("drill:up")
