"""The order of use around décret 2025-1156 (5 December 2025) with every kind of money: supplementary credits
(earmarked, expiring, plain), acquired rights, and the file's own top-ups, which always come last."""

import datetime
from decimal import Decimal

import pytest

from opencpf.dossiers.params import dossier_parameters
from opencpf.dossiers.rules import FundingSource, funding_order, funding_plan
from opencpf.rights.enums import Bucket

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
