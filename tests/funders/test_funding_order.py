"""The order of use around décret 2025-1156 (5 December 2025) with every kind of money: supplementary credits
(earmarked, expiring, plain), acquired rights, and the file's own top-ups, which always come last."""

import datetime
from decimal import Decimal

import pytest

from opencpf.dossiers.params import dossier_parameters
from opencpf.dossiers.rules import FundingSource, funding_order, funding_plan
from opencpf.funders import services as funder_services
from opencpf.rights.enums import Bucket, MovementKind
from opencpf.rights.models import Engagement, LedgerEntry
from opencpf.rights.reconciliation import ledger_reconciliation
from tests.catalogue.factories import CertificationFactory
from tests.dossiers.factories import accept, day, give_top_up, make_world, propose, register
from tests.funders.factories import FunderOrganisationFactory, funder_user

D = Decimal
SOURCES = [
    FundingSource(10, Bucket.TOP_UP, D("300.00"), file_top_up=True),  # the file's top-up, listed first on purpose
    FundingSource("acquired", Bucket.ACQUIRED, D("500.00")),
    FundingSource(11, Bucket.TOP_UP, D("100.00")),  # plain
    FundingSource(12, Bucket.TOP_UP, D("100.00"), expires_on=datetime.date(2026, 6, 30)),  # expiring
    FundingSource(13, Bucket.TOP_UP, D("100.00"), earmarked_for_this_training=True),  # earmarked
]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2025, 12, 4), ["acquired", 13, 12, 11, 10]),
        (datetime.date(2025, 12, 5), [13, 12, 11, "acquired", 10]),
    ],
)
def test_the_order_in_force_each_side_of_the_date(day, expected):
    order = dossier_parameters(day).funding_order
    assert [source.id for source in funding_order(SOURCES, order)] == expected


def test_the_file_top_up_only_pays_what_the_rest_leaves_unpaid():
    order = dossier_parameters(datetime.date(2026, 1, 5)).funding_order
    plan = funding_plan(price=D("1000.00"), contribution=D("0"), exempt=True, buckets=SOURCES, order=order)
    assert [(a.bucket_id, a.amount) for a in plan.allocations] == [
        (13, D("100.00")),
        (12, D("100.00")),
        (11, D("100.00")),
        ("acquired", D("500.00")),
        (10, D("200.00")),
    ]
    assert plan.holder_pays == 0


# --- the same rule through a real acceptance, each side of the date ----------------------------------------------


def _money_of_every_kind(price):
    """A holder with 300 € of acquired rights and supplementary credits of every kind, on a proposal made on
    2025-12-02 (acceptance is due within four business days, across the décret's date)."""
    world = make_world(price=price, acquired="300.00", start="2026-01-12", end="2026-01-16")
    code = world.offer.certification.code
    credits = {
        "earmarked": give_top_up(world.holder, "100.00", name="Earmarked", earmark_certifications=[code]),
        "expiring": give_top_up(world.holder, "100.00", name="Expiring", expires_on=day("2026-03-31")),
        "plain": give_top_up(world.holder, "100.00", name="Plain"),
        "other training": give_top_up(
            world.holder, "100.00", name="Other", earmark_certifications=[CertificationFactory().code]
        ),
        "expired": give_top_up(world.holder, "100.00", name="Expired", expires_on=day("2025-12-02")),
    }
    dossier = register(world, at="2025-12-01")
    propose(world, dossier, at="2025-12-02")
    return world, dossier, {top_up.pk: name for name, top_up in credits.items()}


def _engaged(dossier, names):
    return [
        (names.get(row.top_up_id, "file top-up" if row.top_up_id else "acquired"), row.amount)
        for row in Engagement.objects.filter(dossier_id=dossier.pk).order_by("id")
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accepted_on", "expected"),
    [
        ("2025-12-04", [("acquired", D("300.00")), ("earmarked", D("97.77"))]),
        (
            "2025-12-05",
            [("earmarked", D("100.00")), ("expiring", D("100.00")), ("plain", D("100.00")), ("acquired", D("97.77"))],
        ),
    ],
)
def test_an_acceptance_each_side_of_the_date_takes_the_money_in_the_order_in_force(accepted_on, expected):
    world, dossier, names = _money_of_every_kind("500.00")  # rights fund 500 − 102.23 € (the 2025 contribution)
    accept(world, dossier, at=accepted_on)
    assert _engaged(dossier, names) == expected  # never the other training's money, nor the expired credit
    assert ledger_reconciliation(start=day("2025-01-01"), end=day("2025-12-31")).balanced


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accepted_on", "expected_order"),
    [
        ("2025-12-04", ["acquired", "earmarked", "expiring", "plain", "file top-up"]),
        ("2025-12-05", ["earmarked", "expiring", "plain", "acquired", "file top-up"]),
    ],
)
def test_the_file_top_up_comes_last_either_side_of_the_date(accepted_on, expected_order):
    world, dossier, names = _money_of_every_kind("1000.00")
    region = FunderOrganisationFactory(region=True)
    asked = funder_services.file_top_up_request(
        user=world.user, dossier_id=dossier.pk, organisation_id=region.pk, on_date=day("2025-12-03")
    )
    assert asked.amount_asked == D("297.77")  # 1 000 − 102.23 − 300 acquired − 300 usable credits
    funder_services.file_top_up_grant(
        user=funder_user(region), request_id=asked.pk, amount="297.77", on_date=day("2025-12-03")
    )
    accepted = accept(world, dossier, at=accepted_on)
    engaged = _engaged(dossier, names)
    assert [name for name, _amount in engaged] == expected_order
    assert engaged[-1] == ("file top-up", D("297.77"))
    assert sum(amount for _name, amount in engaged) == D("897.77")
    assert accepted.contribution_due == D("102.23")  # a region's top-up does not waive the contribution
    rows = LedgerEntry.objects.filter(dossier_id=dossier.pk, kind=MovementKind.ENGAGEMENT).order_by("id")
    assert [-row.amount for row in rows] == [amount for _name, amount in engaged]


@pytest.mark.django_db
@pytest.mark.parametrize("offer_code", ["RNCP37274", "RNCP037274", "rncp 37274", "RNCP-037274"])
def test_a_credit_earmarked_for_a_certification_funds_it_however_its_code_is_written(offer_code):
    """The funder wrote "RNCP 37274" (kept as RNCP37274); the offer's certification is written another valid way:
    it is the same certification, so the earmarked credit funds it, first."""
    world = make_world(price="500.00", acquired="300.00")
    world.offer.certification = CertificationFactory(code=offer_code)
    world.offer.save(update_fields=["certification"])
    earmarked = give_top_up(world.holder, "100.00", name="Earmarked", earmark_certifications=["RNCP 37274"])
    assert earmarked.earmark_certifications == ["RNCP37274"]
    dossier = register(world)
    propose(world, dossier)
    accept(world, dossier)
    assert _engaged(dossier, {earmarked.pk: "earmarked"})[0] == ("earmarked", D("100.00"))
