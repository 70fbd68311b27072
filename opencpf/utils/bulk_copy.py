"""COPY rows into PostgreSQL for the generators and benchmarks, every column of the model included.

A generator names the columns it chooses; every other column gets the model field's default (or NULL), so a field
added later with a default does not break the generator (`make bench-credit` once failed on a new NOT NULL
column). A new field without a default and not nullable stops the generator with its name.
"""

import io
import json
from collections.abc import Iterable, Sequence

from django.db import connection, models
from django.utils import timezone


class MissingColumn(Exception):
    pass


def _text(field: models.Field, value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(field, models.JSONField):
        return json.dumps(value, cls=field.encoder).replace("\\", "\\\\")
    value = field.get_db_prep_save(value, connection)
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class CopyTable:
    """`CopyTable(User, ["id", "email", ...])`, then `.add(row)` per row (values in that order, already in COPY
    text form: `str`, or None for NULL) and `.flush(cursor)` per batch."""

    def __init__(self, model: type[models.Model], columns: Sequence[str]):
        self.model = model
        fields = {field.column: field for field in model._meta.concrete_fields}
        unknown = [column for column in columns if column not in fields]
        if unknown:
            raise MissingColumn(f"{model._meta.db_table} has no column {', '.join(unknown)}")
        defaults = []
        for column, field in fields.items():
            if column in columns or (field.primary_key and isinstance(field, models.AutoField)):
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                defaults.append((column, _text(field, timezone.now())))
            elif field.has_default():
                defaults.append((column, _text(field, field.get_default())))
            elif field.null:
                defaults.append((column, r"\N"))
            elif field.empty_strings_allowed and field.blank:
                defaults.append((column, ""))
            else:
                raise MissingColumn(
                    f"{model._meta.db_table}.{column} has no default: the generator must give a value for it"
                )
        self.columns = [*columns, *(column for column, _ in defaults)]
        self.suffix = "".join(f"\t{text}" for _, text in defaults) + "\n"
        self.rows = io.StringIO()

    def add(self, values: Iterable) -> None:
        self.rows.write("\t".join(r"\N" if value is None else str(value) for value in values) + self.suffix)

    def flush(self, cursor) -> None:
        data = self.rows.getvalue()
        self.rows = io.StringIO()
        if not data:
            return
        quoted = ", ".join(connection.ops.quote_name(column) for column in self.columns)
        with cursor.copy(f"COPY {self.model._meta.db_table} ({quoted}) FROM STDIN") as copy:
            copy.write(data)
