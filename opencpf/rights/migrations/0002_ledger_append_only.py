"""The ledger is append-only: the database itself refuses to change a movement once written.
(And on PostgreSQL, balances leave room for their yearly update.)

PostgreSQL also refuses DELETE (TRUNCATE, used by test flushes, is not a row operation); SQLite refuses UPDATE
only, because its test flushes delete rows.
"""

from django.db import migrations

POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION rights_ledger_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'rights_ledgerentry is append-only: % refused', TG_OP USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER rights_ledger_append_only BEFORE UPDATE OR DELETE ON rights_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION rights_ledger_append_only();
    """,
    # Balances change once a year for everyone: leave room in each page so that the update is a HOT one
    # (new row version in the same page, no index to touch).
    "ALTER TABLE rights_rightsaccount SET (fillfactor = 50);",
]
POSTGRESQL_REVERSE = [
    "ALTER TABLE rights_rightsaccount RESET (fillfactor);",
    "DROP TRIGGER IF EXISTS rights_ledger_append_only ON rights_ledgerentry;",
    "DROP FUNCTION IF EXISTS rights_ledger_append_only();",
]
SQLITE = [
    """
    CREATE TRIGGER rights_ledger_append_only BEFORE UPDATE ON rights_ledgerentry
    BEGIN
        SELECT RAISE(ABORT, 'rights_ledgerentry is append-only: UPDATE refused');
    END;
    """,
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS rights_ledger_append_only;"]


def forwards(apps, schema_editor):
    statements = {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    statements = {"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("rights", "0001_ledger")]

    operations = [migrations.RunPython(forwards, backwards)]
