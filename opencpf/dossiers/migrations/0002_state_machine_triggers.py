"""The database refuses a move that is not in the table of DESIGN §2.3 (`enums.TRANSITIONS`), whoever writes.

- INSERT: a file is born `submitted`;
- UPDATE of `state`: only the (from, to) pairs below. Frozen here as they were when this migration was written;
  `tests/dossiers/test_constraints.py` fails if `TRANSITIONS` changes without a migration updating them.
The triggers fire only on a violation (their WHEN clause is a plain expression), so set-based updates of the
periodic task pay almost nothing for them. Moves (`dossiers_dossierevent`) are append-only, like the ledger, and
on PostgreSQL a file is never deleted.
"""

from django.db import migrations

MOVES = [
    ("submitted", "proposed"),
    ("submitted", "refused_by_of"),
    ("submitted", "expired"),
    ("submitted", "cancelled_by_holder"),
    ("submitted", "cancelled_by_of"),
    ("proposed", "confirmed"),
    ("proposed", "proposal_expired"),
    ("proposed", "cancelled_by_holder"),
    ("proposed", "cancelled_by_of"),
    ("confirmed", "cancelled_by_holder"),
    ("confirmed", "cancelled_by_of"),
    ("confirmed", "in_training"),
    ("in_training", "completed"),
    ("in_training", "abandoned"),
    ("in_training", "cancelled_by_of"),
    ("completed", "paid"),
]
ALLOWED = ", ".join(f"'{source}>{target}'" for source, target in MOVES)

POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION dossiers_refuse_move() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            RAISE EXCEPTION 'a training file is created in state submitted, not %', NEW.state
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RAISE EXCEPTION 'training file %: move from % to % is not allowed', OLD.id, OLD.state, NEW.state
            USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql;
    """,
    f"""
    CREATE TRIGGER dossiers_move_allowed BEFORE UPDATE OF state ON dossiers_dossier
    FOR EACH ROW WHEN (OLD.state <> NEW.state AND (OLD.state || '>' || NEW.state) NOT IN ({ALLOWED}))
    EXECUTE FUNCTION dossiers_refuse_move();
    """,
    """
    CREATE TRIGGER dossiers_born_submitted BEFORE INSERT ON dossiers_dossier
    FOR EACH ROW WHEN (NEW.state <> 'submitted')
    EXECUTE FUNCTION dossiers_refuse_move();
    """,
    """
    CREATE OR REPLACE FUNCTION dossiers_events_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'dossiers_dossierevent is append-only: % refused', TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER dossiers_events_append_only BEFORE UPDATE OR DELETE ON dossiers_dossierevent
    FOR EACH ROW EXECUTE FUNCTION dossiers_events_append_only();
    """,
    # A file is never deleted (its events, payments and the ledger refer to it); TRUNCATE, used by test flushes,
    # is not a row operation.
    """
    CREATE OR REPLACE FUNCTION dossiers_never_deleted() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'training file %: files are never deleted', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER dossiers_never_deleted BEFORE DELETE ON dossiers_dossier
    FOR EACH ROW EXECUTE FUNCTION dossiers_never_deleted();
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS dossiers_never_deleted ON dossiers_dossier;",
    "DROP FUNCTION IF EXISTS dossiers_never_deleted();",
    "DROP TRIGGER IF EXISTS dossiers_events_append_only ON dossiers_dossierevent;",
    "DROP FUNCTION IF EXISTS dossiers_events_append_only();",
    "DROP TRIGGER IF EXISTS dossiers_born_submitted ON dossiers_dossier;",
    "DROP TRIGGER IF EXISTS dossiers_move_allowed ON dossiers_dossier;",
    "DROP FUNCTION IF EXISTS dossiers_refuse_move();",
]
SQLITE = [
    f"""
    CREATE TRIGGER dossiers_move_allowed BEFORE UPDATE OF state ON dossiers_dossier
    WHEN OLD.state <> NEW.state AND (OLD.state || '>' || NEW.state) NOT IN ({ALLOWED})
    BEGIN
        SELECT RAISE(ABORT, 'training file: move not allowed');
    END;
    """,
    """
    CREATE TRIGGER dossiers_born_submitted BEFORE INSERT ON dossiers_dossier
    WHEN NEW.state <> 'submitted'
    BEGIN
        SELECT RAISE(ABORT, 'a training file is created in state submitted');
    END;
    """,
    """
    CREATE TRIGGER dossiers_events_append_only BEFORE UPDATE ON dossiers_dossierevent
    BEGIN
        SELECT RAISE(ABORT, 'dossiers_dossierevent is append-only: UPDATE refused');
    END;
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS dossiers_events_append_only;",
    "DROP TRIGGER IF EXISTS dossiers_born_submitted;",
    "DROP TRIGGER IF EXISTS dossiers_move_allowed;",
]


def forwards(apps, schema_editor):
    statements = {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    statements = {"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
