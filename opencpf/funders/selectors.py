"""Funders' reads: who a user acts for, and what became of the money an organisation credited."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from opencpf.accounts.enums import Role
from opencpf.dossiers.selectors import funding_for
from opencpf.funders.models import FileTopUpRequest, FunderCredit, FunderOrganisation
from opencpf.rights.enums import CONTRIBUTION_EXEMPTING_FUNDERS, MovementKind
from opencpf.rights.models import LedgerEntry

ZERO = Decimal("0.00")


def funder_of(user) -> FunderOrganisation | None:
    """The organisation a signed-in funder acts for (None for anyone else)."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.FUNDER:
        return None
    member = getattr(user, "funder_member", None)
    return member.organisation if member is not None else None


@dataclass(frozen=True)
class MoneyLine:
    """credited = used + expired + returned + available (credited includes agents' corrections of a credit)."""

    credited: Decimal = ZERO
    used: Decimal = ZERO  # taken by training files, net of what cancelled files gave back
    expired: Decimal = ZERO
    returned: Decimal = ZERO
    available: Decimal = ZERO

    def __add__(self, other: "MoneyLine") -> "MoneyLine":
        return MoneyLine(*(getattr(self, f) + getattr(other, f) for f in self.__dataclass_fields__))


@dataclass(frozen=True)
class HolderLine:
    holder_id: int
    name: str
    masked_nir: str
    money: MoneyLine


@dataclass(frozen=True)
class FunderReport:
    holders: list[HolderLine]
    total: MoneyLine


def _cents(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(ZERO)  # SQLite sums decimals as floats


def funder_report(organisation: FunderOrganisation) -> FunderReport:
    """Per holder and in total, from the ledger rows of the organisation's credits."""
    K = MovementKind
    rows = (
        LedgerEntry.objects.filter(top_up__funder_credit__organisation=organisation)
        .values("holder_id")
        .annotate(
            credited=Sum("amount", filter=Q(kind=K.TOP_UP)),
            engaged=Sum("amount", filter=Q(kind=K.ENGAGEMENT)),
            restored=Sum("amount", filter=Q(kind=K.RESTORATION)),
            expired=Sum("amount", filter=Q(kind=K.EXPIRY)),
            returned=Sum("amount", filter=Q(kind=K.FUNDER_RETURN)),
            corrected=Sum("amount", filter=Q(kind=K.CORRECTION)),
        )
    )
    by_holder = {}
    for row in rows:
        credited = _cents(row["credited"]) + _cents(row["corrected"])
        used = -_cents(row["engaged"]) - _cents(row["restored"])
        expired, returned = -_cents(row["expired"]), -_cents(row["returned"])
        by_holder[row["holder_id"]] = MoneyLine(
            credited=credited,
            used=used,
            expired=expired,
            returned=returned,
            available=credited - used - expired - returned,
        )
    credits = (
        FunderCredit.objects.filter(organisation=organisation)
        .select_related("top_up__holder")
        .order_by("top_up__holder__last_name", "top_up__holder_id")
    )
    holders: dict[int, HolderLine] = {}
    for credit in credits:
        holder = credit.top_up.holder
        if holder.pk not in holders:
            holders[holder.pk] = HolderLine(
                holder_id=holder.pk,
                name=holder.full_name,
                masked_nir=f"{holder.nir[:5]}…{holder.nir[-2:]}",
                money=by_holder.get(holder.pk, MoneyLine()),
            )
    lines = list(holders.values())
    return FunderReport(holders=lines, total=sum((line.money for line in lines), MoneyLine()))


def funder_credits(organisation: FunderOrganisation, limit: int = 200):
    return (
        FunderCredit.objects.filter(organisation=organisation)
        .select_related("top_up__holder", "created_by")
        .order_by("-created_at", "-pk")[:limit]
    )


def file_requests_for(organisation: FunderOrganisation, limit: int = 200):
    """The file top-up requests sent to the organisation, those awaiting an answer first."""
    return (
        FileTopUpRequest.objects.filter(organisation=organisation)
        .select_related("holder", "dossier__offer")
        .order_by("-status", "-created_at")[:limit]
    )


def file_requests_for_dossier(dossier):
    return FileTopUpRequest.objects.filter(dossier=dossier).select_related("organisation").order_by("-created_at")


def file_top_up_ceiling(*, dossier, funder_kind: str, on_date: datetime.date) -> Decimal:
    """The most a funder can cover on this file today: what the holder's rights leave unpaid beyond the flat
    contribution (the shortfall), or, for an employer or OPCO, whose top-up waives the contribution (L6323-4:
    `dossiers.selectors.funding_for` then says EMPLOYER_COFUNDED), what the rights leave unpaid of the whole price."""
    plan = funding_for(dossier, on=on_date).plan
    if funder_kind in CONTRIBUTION_EXEMPTING_FUNDERS:
        return max(plan.shortfall, plan.price - plan.available)
    return plan.shortfall
