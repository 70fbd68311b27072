"""Unused money goes back to the funder when that was agreed (at expiry, or when a cancelled file gives back money
past its date), as ledger rows; never to a funder who did not ask, never twice; the ledger still reconciles."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from opencpf.funders import selectors, services
from opencpf.rights import services as rights_services
from opencpf.rights.enums import MovementKind
from opencpf.rights.models import LedgerEntry, RightsAccount
from opencpf.rights.reconciliation import ledger_reconciliation
from tests.accounts.factories import HolderFactory
from tests.funders.factories import FunderOrganisationFactory
from tests.rights.factories import engage

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 2)
EXPIRES = datetime.date(2026, 6, 30)


def credit(organisation, holder, amount, *, return_unused, expires_on=EXPIRES):
    return services.credit_add(
        organisation=organisation,
        user=None,
        nir=holder.nir,
        last_name=holder.last_name,
        amount=amount,
        expires_on=expires_on,
        return_unused=return_unused,
        on_date=DAY,
    ).top_up


def kinds(top_up):
    return list(LedgerEntry.objects.filter(top_up=top_up).order_by("id").values_list("kind", "amount"))


def test_at_expiry_unused_money_goes_back_only_to_the_funder_who_asked_and_only_once():
    asked, silent = FunderOrganisationFactory(), FunderOrganisationFactory()
    holder = HolderFactory()
    back = credit(asked, holder, "300.00", return_unused=True)
    engage(holder=holder, amount=Decimal("120.00"), dossier_id=1, on_date=DAY)
    kept = credit(silent, holder, "200.00", return_unused=False)
    rights_services.topups_expire(on_date=EXPIRES + datetime.timedelta(days=1))
    rights_services.topups_expire(on_date=EXPIRES + datetime.timedelta(days=2))  # again: nothing more
    call_command("expire_topups", "--wet-run", "--date", "2026-07-03", stdout=io.StringIO())
    assert kinds(back)[-1] == (MovementKind.FUNDER_RETURN, Decimal("-180.00"))
    assert kinds(kept)[-1] == (MovementKind.EXPIRY, Decimal("-200.00"))
    assert not LedgerEntry.objects.filter(top_up=kept, kind=MovementKind.FUNDER_RETURN).exists()
    assert LedgerEntry.objects.filter(kind=MovementKind.FUNDER_RETURN).count() == 1
    assert RightsAccount.objects.get(pk=holder.pk).top_ups == 0
    report = selectors.funder_report(asked).total
    assert (report.credited, report.used, report.returned, report.expired, report.available) == (
        Decimal("300.00"),
        Decimal("120.00"),
        Decimal("180.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    )
    silent_total = selectors.funder_report(silent).total
    assert (silent_total.expired, silent_total.returned) == (Decimal("200.00"), Decimal("0.00"))
    result = ledger_reconciliation(start=DAY, end=datetime.date(2026, 12, 31))
    assert result.balanced, result
    (top_ups,) = [bucket for bucket in result.buckets if bucket.bucket == "top_up"]
    assert (top_ups.returned, top_ups.expired) == (Decimal("180.00"), Decimal("200.00"))


def test_a_file_cancelled_after_the_expiry_gives_the_money_back_to_the_funder():
    organisation = FunderOrganisationFactory()
    holder = HolderFactory()
    top_up = credit(organisation, holder, "400.00", return_unused=True)
    engage(holder=holder, amount=Decimal("400.00"), dossier_id=7, on_date=DAY)
    rights_services.topups_expire(on_date=EXPIRES + datetime.timedelta(days=1))  # nothing left to expire
    restoration = rights_services.rights_restore(holder=holder, dossier_id=7, on_date=datetime.date(2026, 7, 10))
    assert restoration.expired == Decimal("400.00")
    assert kinds(top_up)[-2:] == [
        (MovementKind.RESTORATION, Decimal("400.00")),
        (MovementKind.FUNDER_RETURN, Decimal("-400.00")),
    ]
    rights_services.topups_expire(on_date=datetime.date(2026, 7, 11))
    assert LedgerEntry.objects.filter(kind=MovementKind.FUNDER_RETURN).count() == 1
    total = selectors.funder_report(organisation).total
    assert (total.used, total.returned, total.available) == (Decimal("0.00"), Decimal("400.00"), Decimal("0.00"))
    assert ledger_reconciliation(start=DAY, end=datetime.date(2026, 12, 31)).balanced


def test_a_file_cancelled_before_the_expiry_gives_the_money_back_to_the_holder():
    organisation = FunderOrganisationFactory()
    holder = HolderFactory()
    top_up = credit(organisation, holder, "400.00", return_unused=True)
    engage(holder=holder, amount=Decimal("250.00"), dossier_id=8, on_date=DAY)
    rights_services.rights_restore(holder=holder, dossier_id=8, on_date=datetime.date(2026, 4, 1))
    top_up.refresh_from_db()
    assert top_up.remaining == Decimal("400.00")
    assert not LedgerEntry.objects.filter(kind=MovementKind.FUNDER_RETURN).exists()
