"""PostgreSQL COPY into Django models' tables, with progress lines and index handling.

Columns come from the models' ``_meta``, so a renamed column or table follows the
model. Fields a loader does not name are filled with the field's default (or NULL,
or ""), computed once; a new NOT NULL field without a default makes the loader fail
loudly instead of writing rows the application could not read.
"""

import time
from collections.abc import Iterable, Sequence

from django.db import connection, models
from django.utils import timezone


class Progress:
    """A progress line per batch on the command's stdout: count, rate, ETA."""

    def __init__(self, stdout, label: str, total: int, every: float = 3.0):
        self.stdout, self.label, self.total, self.every = stdout, label, total, every
        self.done = 0
        self.started = self.last = time.monotonic()

    def add(self, count: int) -> None:
        self.done += count
        now = time.monotonic()
        if now - self.last >= self.every:
            self.last = now
            self._line(now)

    def _line(self, now, final=False):
        elapsed = max(now - self.started, 1e-6)
        rate = self.done / elapsed
        if final:
            tail = f"done in {elapsed:,.1f} s"
        else:
            left = (self.total - self.done) / rate if rate else 0
            tail = f"ETA {int(left) // 60}:{int(left) % 60:02d}"
        percent = 100 * self.done / self.total if self.total else 100
        self.stdout.write(
            f"  {self.label}: {self.done:,}/{self.total:,} ({percent:.0f}%) "
            f"{rate:,.0f} rows/s, {tail}"
        )
        self.stdout.flush()

    def finish(self) -> float:
        now = time.monotonic()
        self._line(now, final=True)
        return now - self.started


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


class Table:
    """A model's table as COPY sees it: the named fields, then constant fillers."""

    def __init__(self, model: type[models.Model], fields: Sequence[str]):
        self.model = model
        meta = model._meta
        self.db_table = meta.db_table
        named = [meta.get_field(name) for name in fields]
        self.columns = [f.column for f in named]
        now = timezone.now()
        self.fillers = []
        for field in meta.concrete_fields:
            if field in named or getattr(field, "generated", False):
                continue
            if field.primary_key:
                continue  # the identity column numbers rows itself
            self.columns.append(field.column)
            self.fillers.append(self._filler(field, now))
        self.fillers = tuple(self.fillers)

    @staticmethod
    def _filler(field, now):
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return now
        if field.has_default():
            return field.get_default()
        if field.null:
            return None
        if (
            isinstance(field, models.CharField | models.TextField | models.FileField)
            and field.blank
        ):
            return ""
        raise ValueError(
            f"{field.model.__name__}.{field.name} is NOT NULL without a default: "
            "the scale loader must fill it (tools/scale/loader.py)."
        )

    def copy_sql(self) -> str:
        columns = ", ".join(_quote(c) for c in self.columns)
        return f"COPY {_quote(self.db_table)} ({columns}) FROM STDIN"


def copy_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[tuple],
    progress: Progress | None = None,
    batch: int = 5000,
) -> int:
    """COPY the rows (tuples in the order of ``fields``) into the model's table."""
    table = Table(model, fields)
    fillers = table.fillers
    count = 0
    connection.ensure_connection()
    raw = connection.connection
    with raw.cursor() as cursor, cursor.copy(table.copy_sql()) as copy:
        write = copy.write_row
        if fillers:
            for row in rows:
                write(row + fillers)
                count += 1
                if progress and count % batch == 0:
                    progress.add(batch)
        else:
            for row in rows:
                write(row)
                count += 1
                if progress and count % batch == 0:
                    progress.add(batch)
    if progress:
        progress.add(count % batch)
    return count


def next_id(model: type[models.Model]) -> int:
    """The first free primary key: rows loaded get explicit ids from here."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COALESCE(MAX({_quote(model._meta.pk.column)}), 0) + 1 "
            f"FROM {_quote(model._meta.db_table)}"
        )
        return cursor.fetchone()[0]


def reset_sequence(model: type[models.Model]) -> None:
    """Move the table's identity sequence past the ids the loader chose itself."""
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, %s), "
            f"GREATEST((SELECT MAX({_quote(pk)}) FROM {_quote(table)}), 1))",
            [table, pk],
        )


def secondary_indexes(model: type[models.Model]) -> list[tuple[str, str]]:
    """(name, definition) of the table's indexes that back no constraint."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef
            FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = %s
              AND NOT EXISTS (
                SELECT 1 FROM pg_constraint c
                WHERE c.conname = i.indexname AND c.conrelid = %s::regclass)
            ORDER BY i.indexname
            """,
            [model._meta.db_table, model._meta.db_table],
        )
        return cursor.fetchall()


class IndexesDropped:
    """Drop a table's secondary indexes for a bulk load and build them afterwards.

    Used inside the loader's transaction, so a failed load leaves them in place.
    """

    def __init__(self, model, stdout, enabled=True):
        self.model, self.stdout, self.enabled = model, stdout, enabled
        self.indexes = []
        self.build_seconds = 0.0

    def __enter__(self):
        if self.enabled:
            self.indexes = secondary_indexes(self.model)
            with connection.cursor() as cursor:
                for name, _definition in self.indexes:
                    cursor.execute(f"DROP INDEX {_quote(name)}")
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None or not self.indexes:
            return False
        started = time.monotonic()
        with connection.cursor() as cursor:
            for _name, definition in self.indexes:
                cursor.execute(definition)
        self.build_seconds = time.monotonic() - started
        self.stdout.write(
            f"  rebuilt {len(self.indexes)} indexes on {self.model._meta.db_table} "
            f"in {self.build_seconds:,.1f} s"
        )
        self.stdout.flush()
        return False
