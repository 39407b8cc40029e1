"""Bulk writing for the city load (``COPY`` on PostgreSQL), and the report of what it wrote."""

import csv
import io
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max


@dataclass
class Report:
    """What the load wrote: rows and seconds per model."""

    rows: Counter = field(default_factory=Counter)
    seconds: Counter = field(default_factory=Counter)
    total_seconds: float = 0.0
    already_loaded: int = 0

    def lines(self) -> list[str]:
        if self.already_loaded:
            return [
                f"City data is already loaded ({self.already_loaded} member companies): nothing "
                "written. Recreate the database for a fresh load."
            ]
        lines = [
            f"  {label:<36} {self.rows[label]:>9,} rows {secs:7.1f} s"
            if label in self.rows
            else f"  {label:<51} {secs:7.1f} s"
            for label, secs in self.seconds.items()
        ]
        lines.append(
            f"  {'total':<36} {sum(self.rows.values()):>9,} rows {self.total_seconds:7.1f} s"
        )
        return lines


class Writer:
    """Writes rows (tuples in the order of ``columns``, primary key first) in bulk.

    PostgreSQL gets ``COPY … FROM STDIN`` in CSV (written by the ``csv`` module, in C), several
    times faster than INSERT; other databases get ``bulk_create``. Primary keys are chosen by
    the caller from ``next_id``, so that rows can point at each other before they are written;
    ``reset_sequences`` puts the database's own counters past them.
    """

    CHUNK = 100_000

    def __init__(self):
        self.copy = connection.vendor == "postgresql"
        self.models = []

    @staticmethod
    def next_id(model) -> int:
        return (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1

    def write(self, model, columns: list[str], rows: list[tuple]):
        if model not in self.models:
            self.models.append(model)
        if not self.copy:
            model._default_manager.bulk_create(
                [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=2000
            )
            return
        fields = {field.attname: field for field in model._meta.concrete_fields}
        names = ", ".join(f'"{fields[name].column}"' for name in columns)
        # Strings are quoted and None is written as "": FORCE_NULL reads "" as NULL in the
        # nullable columns (dates, numbers, keys), where an empty string cannot be meant.
        nullable = ", ".join(f'"{fields[name].column}"' for name in columns if fields[name].null)
        options = f"FORMAT csv, FORCE_NULL ({nullable})" if nullable else "FORMAT csv"
        sql = f'COPY "{model._meta.db_table}" ({names}) FROM STDIN WITH ({options})'
        with connection.cursor() as cursor:
            for start in range(0, len(rows), self.CHUNK):
                buffer = io.StringIO()
                csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n").writerows(
                    rows[start : start + self.CHUNK]
                )
                buffer.seek(0)
                cursor.cursor.copy_expert(sql, buffer)

    @contextmanager
    def keys_and_indexes_built_once(self, models):
        """On PostgreSQL, drop the tables' foreign keys and plain indexes (on columns: not
        unique, partial or on expressions, whose re-created text could differ) for the load,
        and put them back after it, as pg_restore does: each key is then checked, and each
        index built, once over the whole table rather than row by row (the row-by-row foreign
        key checks at the commit were the slowest part of the load). All within the load's
        transaction, so nobody sees the tables without them; other sessions wait."""
        if not self.copy:
            yield
            return
        tables = [model._meta.db_table for model in models]
        with connection.cursor() as cursor:
            # Checks still pending (rows written earlier in this transaction) run now: a
            # table with pending checks cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
                [tables],
            )
            keys = cursor.fetchall()
            for table, name, _ in keys:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            cursor.execute(
                "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
                "WHERE indrelid = ANY(%s::regclass[]) AND NOT indisunique "
                "AND indexprs IS NULL AND indpred IS NULL",
                [tables],
            )
            indexes = cursor.fetchall()
            for name, _ in indexes:
                cursor.execute(f"DROP INDEX {name}")
        yield
        with connection.cursor() as cursor:
            for _, definition in indexes:
                cursor.execute(definition)
            for table, name, definition in keys:
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def reset_sequences(self):
        statements = connection.ops.sequence_reset_sql(no_style(), self.models)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
