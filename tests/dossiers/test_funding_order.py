"""The order of use of the rights (R6333-3) is a dated rule: acquired rights first until 2025-12-04, the
supplementary credits first from 2025-12-05 (décret 2025-1156). The split is decided once, at acceptance, by the
rule in force that day, and stored as the engagement rows; a file accepted before the change keeps its split."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from opencpf.dossiers import services
from opencpf.dossiers.enums import FundingOrder
from opencpf.dossiers.params import dossier_parameters
from opencpf.rights.enums import Bucket
from opencpf.rights.models import Engagement
from tests.dossiers.factories import (
    accept,
    assert_ledger_consistent,
    give_top_up,
    make_world,
    paris,
    propose,
    register,
)

pytestmark = pytest.mark.django_db


def test_the_order_in_force_changes_on_the_fifth_of_december_2025():
    assert dossier_parameters(datetime.date(2025, 12, 4)).funding_order == FundingOrder.ACQUIRED_FIRST
    assert dossier_parameters(datetime.date(2025, 12, 5)).funding_order == FundingOrder.SUPPLEMENTARY_FIRST


def proposed_file(world):
    dossier = register(world, at="2025-11-28")
    return propose(world, dossier, at="2025-12-01")  # to accept by Friday 5 December


def rows(dossier):
    return [(row.bucket, row.amount) for row in Engagement.objects.filter(dossier_id=dossier.pk).order_by("id")]


@pytest.mark.parametrize(
    ("accepted_on", "expected"),
    [
        # 1 200 € − 102.23 € of contribution (2025) = 1 097.77 € from rights.
        ("2025-12-04", [(Bucket.ACQUIRED, Decimal("1097.77"))]),
        ("2025-12-05", [(Bucket.TOP_UP, Decimal("300.00")), (Bucket.ACQUIRED, Decimal("797.77"))]),
    ],
)
def test_acceptance_engages_the_split_of_the_order_in_force_that_day(accepted_on, expected):
    world = make_world(start="2026-01-12", end="2026-01-16")
    give_top_up(world.holder, "300.00")
    dossier = proposed_file(world)
    accept(world, dossier, at=accepted_on)
    dossier.refresh_from_db()
    assert rows(dossier) == expected
    # The file's funding lines are the engagement rows, line for line.
    assert [(line["kind"], Decimal(line["amount"])) for line in dossier.funding] == expected
    assert_ledger_consistent(world.holder)


def test_a_file_accepted_before_the_change_keeps_its_split_when_settled_after_it():
    world = make_world(start="2026-01-12", end="2026-01-16")
    top_up = give_top_up(world.holder, "300.00")
    dossier = proposed_file(world)
    accept(world, dossier, at="2025-12-04")
    services.dossier_cancel(dossier_id=dossier.pk, user=world.user, now=paris("2025-12-10"))  # early: restored
    top_up.refresh_from_db()
    assert top_up.remaining == Decimal("300.00")  # it was never used by this file
    assert [(row.bucket, row.amount, row.restored) for row in Engagement.objects.filter(dossier_id=dossier.pk)] == [
        (Bucket.ACQUIRED, Decimal("1097.77"), Decimal("1097.77"))
    ]
    assert_ledger_consistent(world.holder)


@pytest.mark.usefixtures("english")
def test_the_acceptance_page_states_the_order_in_force(client):
    world = make_world(start="2027-01-11", end="2027-01-15")
    dossier = register(world, at="2026-11-27")
    propose(world, dossier, at="2026-11-27")
    client.force_login(world.user)
    page = client.get(reverse("dossiers:accept", args=[dossier.pk])).content.decode()
    assert "Your rights are used in the order in force: the top-ups first" in page
