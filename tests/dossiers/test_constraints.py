"""The database itself refuses a move not in the table, a file born in another state than `submitted`, an unknown
state, funding that does not add up, and edits of the history — whatever code writes."""

import importlib
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from opencpf.dossiers.enums import TRANSITIONS, DossierState
from opencpf.dossiers.models import Dossier, DossierEvent
from tests.dossiers.factories import accept, make_world, propose, register

pytestmark = pytest.mark.django_db
S = DossierState


def refused(callable_, *args, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_(*args, **kwargs)


def test_the_migrated_trigger_knows_exactly_the_moves_of_the_table():
    migration = importlib.import_module("opencpf.dossiers.migrations.0008_fraud_moves_and_freeze_trigger")
    table = {(source.value, move.target.value) for (source, _action), move in TRANSITIONS.items() if source}
    assert set(migration.MOVES) == table, "TRANSITIONS changed: write a migration updating the trigger"


def test_a_move_not_in_the_table_is_refused_by_the_database():
    world = make_world()
    dossier = register(world)
    for target in (S.CONFIRMED, S.PAID, S.COMPLETED, S.IN_TRAINING):
        refused(Dossier.objects.filter(pk=dossier.pk).update, state=target)
    refused(Dossier.objects.filter(pk=dossier.pk).update, state="bogus")
    assert Dossier.objects.get(pk=dossier.pk).state == S.SUBMITTED
    # A dead end stays dead.
    Dossier.objects.filter(pk=dossier.pk).update(state=S.EXPIRED)
    refused(Dossier.objects.filter(pk=dossier.pk).update, state=S.SUBMITTED)


def test_a_file_is_born_submitted():
    world = make_world()
    dossier = register(world)
    fields = {
        f.attname: getattr(dossier, f.attname) for f in Dossier._meta.concrete_fields if f.attname not in ("id",)
    }
    Dossier.objects.filter(pk=dossier.pk).update(state=S.EXPIRED)  # free the session for the holder
    refused(Dossier.objects.create, **{**fields, "state": S.PROPOSED})


def test_a_confirmed_file_must_add_up():
    world = make_world()
    dossier = register(world)
    propose(world, dossier)
    accept(world, dossier)
    refused(Dossier.objects.filter(pk=dossier.pk).update, funded_amount=Decimal("1.00"))
    refused(Dossier.objects.filter(pk=dossier.pk).update, card_amount=None)


def test_one_open_file_per_holder_and_session_in_the_database():
    world = make_world()
    dossier = register(world)
    fields = {f.attname: getattr(dossier, f.attname) for f in Dossier._meta.concrete_fields if f.attname != "id"}
    refused(Dossier.objects.create, **fields)


def test_the_history_cannot_be_rewritten():
    world = make_world()
    dossier = register(world)
    refused(DossierEvent.objects.filter(dossier=dossier).update, reason="edited")


def test_a_file_is_never_deleted():
    from django.db import connection
    from django.db.models.deletion import ProtectedError

    world = make_world()
    dossier = register(world)
    with pytest.raises(ProtectedError):  # the ORM: its events protect it
        Dossier.objects.filter(pk=dossier.pk).delete()
    if connection.vendor == "postgresql":  # the database itself, whatever code writes
        refused(Dossier.objects.filter(pk=dossier.pk)._raw_delete, "default")
    assert Dossier.objects.filter(pk=dossier.pk).exists()
