"""The benchmarks' COPY gives every column a value: a field added later with a default cannot break them again
(`make bench-credit` once failed on a new NOT NULL column); a field without one is named before anything is written."""

import pytest

from opencpf.accounts.models import Holder, User
from opencpf.dossiers.models import Dossier
from opencpf.utils.bulk_copy import CopyTable, MissingColumn


@pytest.mark.parametrize("model", [User, Holder, Dossier])
def test_every_column_is_written(model):
    given = [field.column for field in model._meta.concrete_fields if not field.has_default() and not field.null]
    given = [column for column in given if column != "id"]
    table = CopyTable(model, given)
    assert set(table.columns) | {"id"} == {field.column for field in model._meta.concrete_fields}


def test_sessions_epoch_gets_its_default():
    table = CopyTable(User, ["id", "password", "email"])
    assert "sessions_epoch" in table.columns
    table.add((1, "!", "a@bench.opencpf.test"))
    row = table.rows.getvalue().rstrip("\n").split("\t")
    assert row[table.columns.index("sessions_epoch")] == "0"


def test_a_column_without_default_is_named():
    with pytest.raises(MissingColumn, match="accounts_holder.nir has no default"):
        CopyTable(Holder, ["id", "user_id"])
