"""The database's table of moves gains the cancellation for fraud (DESIGN §2.6), and a frozen file refuses every
move but that one, whoever writes. Replaces the move trigger of 0002 (its MOVES are kept here, plus the new ones)
and, on SQLite, creates again the triggers of 0002 that 0007's table rebuild dropped;
`tests/dossiers/test_constraints.py` checks these MOVES against `enums.TRANSITIONS`."""

import importlib

from django.db import migrations

PREVIOUS = importlib.import_module("opencpf.dossiers.migrations.0002_state_machine_triggers")
FRAUD_MOVES = [
    ("submitted", "cancelled_fraud"),
    ("proposed", "cancelled_fraud"),
    ("confirmed", "cancelled_fraud"),
    ("in_training", "cancelled_fraud"),
]
MOVES = [*PREVIOUS.MOVES, *FRAUD_MOVES]


def _allowed(moves) -> str:
    return ", ".join(f"'{source}>{target}'" for source, target in moves)


def _move_trigger(vendor: str, moves) -> list[str]:
    condition = f"OLD.state <> NEW.state AND (OLD.state || '>' || NEW.state) NOT IN ({_allowed(moves)})"
    if vendor == "postgresql":
        return [
            "DROP TRIGGER IF EXISTS dossiers_move_allowed ON dossiers_dossier;",
            f"""
            CREATE TRIGGER dossiers_move_allowed BEFORE UPDATE OF state ON dossiers_dossier
            FOR EACH ROW WHEN ({condition})
            EXECUTE FUNCTION dossiers_refuse_move();
            """,
        ]
    return [
        "DROP TRIGGER IF EXISTS dossiers_move_allowed;",
        f"""
        CREATE TRIGGER dossiers_move_allowed BEFORE UPDATE OF state ON dossiers_dossier
        WHEN {condition}
        BEGIN
            SELECT RAISE(ABORT, 'training file: move not allowed');
        END;
        """,
    ]


FROZEN_CONDITION = "OLD.frozen_at IS NOT NULL AND OLD.state <> NEW.state AND NEW.state <> 'cancelled_fraud'"
FROZEN = {
    "postgresql": [
        """
        CREATE OR REPLACE FUNCTION dossiers_refuse_frozen_move() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION 'training file %: frozen by a scam report, move to % refused', OLD.id, NEW.state
                USING ERRCODE = 'integrity_constraint_violation';
        END;
        $$ LANGUAGE plpgsql;
        """,
        f"""
        CREATE TRIGGER dossiers_frozen_no_move BEFORE UPDATE OF state ON dossiers_dossier
        FOR EACH ROW WHEN ({FROZEN_CONDITION})
        EXECUTE FUNCTION dossiers_refuse_frozen_move();
        """,
    ],
    "sqlite": [
        f"""
        CREATE TRIGGER dossiers_frozen_no_move BEFORE UPDATE OF state ON dossiers_dossier
        WHEN {FROZEN_CONDITION}
        BEGIN
            SELECT RAISE(ABORT, 'training file: frozen by a scam report');
        END;
        """
    ],
}
FROZEN_REVERSE = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS dossiers_frozen_no_move ON dossiers_dossier;",
        "DROP FUNCTION IF EXISTS dossiers_refuse_frozen_move();",
    ],
    "sqlite": ["DROP TRIGGER IF EXISTS dossiers_frozen_no_move;"],
}


def _sqlite_other_triggers() -> list[str]:
    """On SQLite, 0007's new CHECKs rebuilt the files and events tables, which drops their triggers: the ones of
    0002 other than the move trigger are created again (the move trigger is replaced above)."""
    return [
        *PREVIOUS.SQLITE_REVERSE,
        *(statement for statement in PREVIOUS.SQLITE if "dossiers_move_allowed" not in statement),
    ]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in FROZEN:
        return
    others = _sqlite_other_triggers() if vendor == "sqlite" else []
    for statement in [*others, *_move_trigger(vendor, MOVES), *FROZEN[vendor]]:
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in FROZEN:
        return
    for statement in [*FROZEN_REVERSE[vendor], *_move_trigger(vendor, PREVIOUS.MOVES)]:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0007_scam_fraud_state")]

    operations = [migrations.RunPython(forwards, backwards)]
