"""Deferring repeated work to the end of a block: inside ``collected(var, flush)``
callers add to the set held in ``var`` instead of acting at once, and on leaving
the outermost block ``flush(items)`` runs once (not when the block raised). Nested
blocks join the outer one. Used for data version tokens and the catalogue counts
during bulk loads."""

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar


@contextmanager
def collected(var: ContextVar, flush: Callable[[set], None]):
    if var.get() is not None:  # already collecting: the outer block flushes
        yield
        return
    items: set = set()
    reset = var.set(items)
    try:
        yield
    finally:
        var.reset(reset)
    flush(items)
