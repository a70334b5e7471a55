"""Members' @handles: how a post names one member and no other.

A handle is the member's full name in lower case with accents dropped and every run
of other characters turned into one dot ("Iain MacLeod" is ``iain.macleod``, "Seán
Ó Briain" is ``sean.o.briain``). When that is taken, the member gets the next free
numbered one: ``gillian.murray.2``, ``gillian.murray.3``, ... Handles are stored on
the member (``Member.handle``, unique), so a mention is one indexed lookup and two
members with the same name are never both named by it.

The model (on save), the migration that gave existing members their handles and
the scale loader (tools/scale/loader.py) all number handles with these rules.
"""

import re
import unicodedata
from collections.abc import Iterable

from django.db import connections
from django.db.models import Q

MAX_LENGTH = 160
# Leaves room for a number within MAX_LENGTH.
BASE_MAX_LENGTH = 150
# A name with no letters or digits a handle can hold (say, one written only in
# another script) still needs a handle that can be typed.
FALLBACK = "member"

_OTHER = re.compile(r"[^a-z0-9]+")


def handle_base(full_name: str) -> str:
    """The handle a name gives before any number: ``Iain MacLeod`` -> ``iain.macleod``."""
    folded = unicodedata.normalize("NFKD", (full_name or "").lower())
    ascii_name = folded.encode("ascii", "ignore").decode("ascii")
    base = _OTHER.sub(".", ascii_name).strip(".")
    return base[:BASE_MAX_LENGTH].strip(".") or FALLBACK


def is_form_of(handle: str, base: str) -> bool:
    """Whether ``handle`` is ``base`` itself or one of its numbered forms, as a
    member renamed from "Iain Macleod" to "Iain MacLeod" keeps ``iain.macleod.2``."""
    if handle == base:
        return True
    prefix, _, number = handle.rpartition(".")
    return prefix == base and number.isascii() and number.isdigit()


def numbered_forms_pattern(base: str) -> str:
    """A PostgreSQL regular expression for ``base`` and its numbered forms."""
    return rf"^{re.escape(base)}(\.[0-9]+)?$"


class HandleAllocator:
    """Hands out free handles in the order asked, never one already taken.

    Given every handle in use, the same names asked in the same order get the
    same handles: the backfill asks in member id order, so it is deterministic.
    """

    def __init__(self, taken: Iterable[str] = ()):
        self.taken = set(taken)
        # The next number worth trying per base, so a thousand members with one
        # name cost a thousand steps, not half a million.
        self._next_number: dict[str, int] = {}

    def __call__(self, full_name: str) -> str:
        base = handle_base(full_name)
        handle = base
        if handle in self.taken:
            number = self._next_number.get(base, 2)
            while f"{base}.{number}" in self.taken:
                number += 1
            handle = f"{base}.{number}"
            self._next_number[base] = number + 1
        self.taken.add(handle)
        return handle


def fill_missing_handles(model, using: str, batch_size: int = 10_000) -> int:
    """Give every member without a handle one, in id order, in batches; return how
    many. Used by the migration that added handles, on the historical model."""
    members = model._base_manager.using(using)
    missing = Q(handle=None) | Q(handle="")
    allocate = HandleAllocator(
        members.exclude(missing).values_list("handle", flat=True)
    )
    rows = list(members.filter(missing).order_by("pk").values_list("pk", "full_name"))
    connection = connections[using]
    quote = connection.ops.quote_name
    # One UPDATE per batch from two arrays: bulk_update's CASE per row is
    # quadratic in the batch size.
    sql = (
        f"UPDATE {quote(model._meta.db_table)} AS m "
        f"SET {quote(model._meta.get_field('handle').column)} = v.handle "
        "FROM unnest(%s::bigint[], %s::text[]) AS v(id, handle) "
        f"WHERE m.{quote(model._meta.pk.column)} = v.id"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            chunk = rows[start : start + batch_size]
            cursor.execute(
                sql, [[pk for pk, _ in chunk], [allocate(name) for _, name in chunk]]
            )
    return len(rows)
