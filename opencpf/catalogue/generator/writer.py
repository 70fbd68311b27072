"""Bulk writes with explicit ids: multi-row INSERT (SQLite and others) or COPY (PostgreSQL)."""

import datetime
from decimal import Decimal

from django.db import connection


class _Writer:
    """Multi-row INSERT (SQLite and others) or COPY (PostgreSQL) with explicit ids."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"

    def write(self, model, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        table = model._meta.db_table
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                per_statement = max(1, 30_000 // len(columns))
                for start in range(0, len(rows), per_statement):
                    chunk = rows[start : start + per_statement]
                    placeholders = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(chunk))
                    cursor.execute(
                        f"INSERT INTO {table} ({quoted}) VALUES {placeholders}",
                        [self._adapt(value) for row in chunk for value in row],
                    )

    @staticmethod
    def _adapt(value):
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, datetime.datetime):
            return connection.ops.adapt_datetimefield_value(value)
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value

    def analyze(self, models) -> None:
        """Fresh planner statistics after a bulk load."""
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"ANALYZE {model._meta.db_table}")

    def reset_sequences(self, models) -> None:
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            for model in models:
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
                )


def _next_id(model) -> int:
    last = model.objects.order_by("-id").values_list("id", flat=True).first()
    return (last or 0) + 1
