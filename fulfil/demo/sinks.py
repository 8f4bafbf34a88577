"""Where generated rows go: the database (in batches) or CSV files (the benchmark data set).

Rows are plain dicts keyed by column name, so the generator never builds model instances and
memory stays bounded by the batch size.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Protocol

from django.apps import apps
from django.core.management.color import no_style
from django.db import connections


class Sink(Protocol):
    def write(self, table: str, row: dict) -> None: ...

    def close(self) -> None: ...


class DatabaseSink:
    """Inserts with executemany on Django's connection; run inside one transaction so a failed
    run leaves nothing behind (foreign keys are deferred to commit on SQLite and PostgreSQL)."""

    def __init__(self, batch_size: int = 5000, using: str = "default") -> None:

        self.connection = connections[using]
        self.batch_size = batch_size
        self.buffers: dict[str, list[dict]] = {}
        self.models = {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}
        self._prepared: dict[str, tuple[str, list]] = {}

    def write(self, table: str, row: dict) -> None:
        buffer = self.buffers.setdefault(table, [])
        buffer.append(row)
        if len(buffer) >= self.batch_size:
            self._flush(table)

    def _statement(self, table: str, columns: list[str]) -> tuple[str, list]:
        if table not in self._prepared:
            model = self.models[table]
            by_column = {f.column: f for f in model._meta.concrete_fields}
            fields = [by_column[c] for c in columns]
            quote = self.connection.ops.quote_name
            # Table and column names come from the models, never from input.
            sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608  # nosec B608
                quote(table), ", ".join(quote(c) for c in columns), ", ".join(["%s"] * len(columns))
            )
            # Only fields whose Python value needs adapting (dates, times, UUIDs, decimals) go
            # through Django's conversion; the rest pass straight to the driver.
            converters = [
                f if f.get_internal_type() in {"DateField", "DateTimeField", "TimeField", "UUIDField", "DecimalField"} else None
                for f in fields
            ]
            self._prepared[table] = (sql, converters)
        return self._prepared[table]

    def _flush(self, table: str) -> None:
        rows = self.buffers.get(table)
        if not rows:
            return
        columns = list(rows[0])
        sql, converters = self._statement(table, columns)
        connection = self.connection
        params = [
            [
                value if conv is None or value is None else conv.get_db_prep_save(value, connection)
                for value, conv in zip((row[c] for c in columns), converters, strict=True)
            ]
            for row in rows
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)
        rows.clear()

    def close(self) -> None:

        for table in list(self.buffers):
            self._flush(table)
        # Ids were given by the generator: move PostgreSQL's sequences past them.
        statements = self.connection.ops.sequence_reset_sql(no_style(), list(self.models.values()))
        if statements:
            with self.connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)


class CsvSink:
    """One CSV file per table, written as rows arrive (flat memory at any scale)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.files: dict[str, tuple] = {}

    def write(self, table: str, row: dict) -> None:
        entry = self.files.get(table)
        if entry is None:
            handle = open(self.directory / f"{table}.csv", "w", newline="", encoding="utf-8")
            writer = csv.writer(handle)
            writer.writerow(list(row))
            entry = self.files[table] = (handle, writer)
        entry[1].writerow([_csv_value(v) for v in row.values()])

    def close(self) -> None:
        for handle, _writer in self.files.values():
            handle.close()


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return value
