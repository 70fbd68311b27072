"""Money helpers: amounts in cents, ROUND_HALF_UP to the cent, pro rata splits in whole cents."""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


ZERO = Decimal("0.00")


type BucketId = int | str


# --- Money helpers ---------------------------------------------------------------------------------------------


def round_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _money(value: Decimal | int, name: str) -> Decimal:
    """An amount given in: a non-negative Decimal (or int) with at most two decimals; never silently rounded."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValueError(f"{name} must be a Decimal, not {type(value).__name__}")
    amount = Decimal(value)
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(CENT):
        raise ValueError(f"{name} must be a non-negative amount in cents, got {value}")
    return amount.quantize(CENT)


def _share(value: Decimal, name: str) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite() or not 0 <= value <= 1:
        raise ValueError(f"{name} must be a Decimal between 0 and 1, got {value!r}")
    return value


def split_pro_rata(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split `total` in cents proportionally to `weights` (largest remainder; ties go to the earlier weight).

    The parts add up exactly to `total`, and each part is the exact share rounded down or up to the cent, so it
    never exceeds its weight when total ≤ sum(weights).
    """
    total_cents = int(_money(total, "total") / CENT)
    weight_cents = [int(_money(weight, "weight") / CENT) for weight in weights]
    whole = sum(weight_cents)
    if total_cents > whole:
        raise ValueError("cannot split more than the sum of the weights")
    if whole == 0:
        return [ZERO for _weight in weights]
    floors = [weight * total_cents // whole for weight in weight_cents]
    remainders = [weight * total_cents % whole for weight in weight_cents]
    leftover = total_cents - sum(floors)
    for index in sorted(range(len(floors)), key=lambda i: (-remainders[i], i))[:leftover]:
        floors[index] += 1
    return [Decimal(cents) * CENT for cents in floors]
