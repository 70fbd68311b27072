"""Credits from several funders, file top-ups, file engagements, expiries, cancellations and returns in random order:
the ledger equation holds, nothing goes back to a funder that did not ask, nothing returns twice (nor more than was
left unused), a file top-up pays no other file, re-running the expiry writes nothing, and each funder's report adds
up (credited = used + expired + returned + available)."""

import datetime
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from opencpf.funders import selectors, services
from opencpf.funders.models import FunderCredit
from opencpf.rights import services as rights_services
from opencpf.rights.enums import MovementKind
from opencpf.rights.models import LedgerEntry, RightsAccount, TopUp
from opencpf.rights.reconciliation import ledger_reconciliation
from tests.accounts.factories import HolderFactory
from tests.funders.factories import FunderOrganisationFactory
from tests.rights.factories import engage

D = Decimal
START = datetime.date(2026, 1, 5)
amounts = st.decimals(min_value=D("0.01"), max_value=D("900"), places=2)
operation = st.one_of(
    st.tuples(st.just("credit"), st.integers(0, 1), amounts, st.sampled_from([None, 3, 20, 90]), st.booleans()),
    st.tuples(st.just("engage"), amounts),
    # a funder covers one file (a file top-up, returned when unused) which is then engaged, wholly or in part
    st.tuples(st.just("file"), st.integers(0, 1), amounts, st.integers(1, 30), st.sampled_from([None, 1, 2])),
    st.tuples(st.just("restore"), st.integers(0, 3), st.none() | amounts),
    st.tuples(st.just("forfeit"), st.integers(0, 3), st.none() | amounts),
    st.tuples(st.just("advance"), st.integers(1, 40)),
)


class FunderLedgerProperties(TestCase):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(operations=st.lists(operation, max_size=20))
    def test_random_sequences_keep_the_equation_and_return_only_what_was_agreed(self, operations):
        holder = HolderFactory()
        funders = [FunderOrganisationFactory(), FunderOrganisationFactory(opco=True)]
        today, dossier = START, 0
        for op in operations:
            try:
                if op[0] == "credit":
                    _kind, which, amount, days, back = op
                    services.credit_add(
                        organisation=funders[which],
                        user=None,
                        nir=holder.nir,
                        last_name=holder.last_name,
                        amount=amount,
                        expires_on=today + datetime.timedelta(days=days) if days else None,
                        return_unused=back and days is not None,
                        on_date=today,
                    )
                elif op[0] == "file":
                    _kind, which, amount, days, share = op
                    top_up = rights_services.topup_add(
                        holder=holder,
                        amount=amount,
                        funder_kind=funders[which].kind,
                        funder_name=funders[which].name,
                        for_dossier_id=dossier,
                        expires_on=today + datetime.timedelta(days=days),
                        on_date=today,
                    )
                    FunderCredit.objects.create(
                        organisation=funders[which], top_up=top_up, source=f"dossier:{dossier}"
                    )
                    if share is not None:
                        used = max(D("0.01"), (amount / share).quantize(D("0.01")))
                        rights_services.rights_engage(
                            holder=holder, dossier_id=dossier, split=[(top_up.pk, used)], on_date=today
                        )
                    dossier += 1
                elif op[0] == "engage":
                    engage(holder=holder, amount=op[1], dossier_id=dossier, on_date=today)
                    dossier += 1
                elif op[0] in ("restore", "forfeit"):
                    settle = rights_services.rights_restore if op[0] == "restore" else rights_services.rights_forfeit
                    settle(holder=holder, dossier_id=max(0, dossier - 1 - op[1]), on_date=today, amount=op[2])
                else:
                    today += datetime.timedelta(days=op[1])
                    rights_services.topups_expire(on_date=today)
                    rows = LedgerEntry.objects.count()
                    rights_services.topups_expire(on_date=today)  # the daily task run twice writes nothing more
                    self.assertEqual(LedgerEntry.objects.count(), rows)
            except (rights_services.RightsError, services.CreditError):
                pass
            self.check(holder, funders, today)

    def check(self, holder, funders, today):
        result = ledger_reconciliation(start=START, end=today + datetime.timedelta(days=1))
        self.assertTrue(result.balanced, result)
        for top_up in TopUp.objects.filter(holder=holder):
            kinds = set(top_up.ledger_entries.values_list("kind", flat=True))
            if top_up.return_unused:
                self.assertNotIn(MovementKind.EXPIRY, kinds)
            else:
                self.assertNotIn(MovementKind.FUNDER_RETURN, kinds)
            moved = {kind: D(0) for kind in MovementKind.values}
            for kind, amount in top_up.ledger_entries.values_list("kind", "amount"):
                moved[kind] += amount
            used = -(moved[MovementKind.ENGAGEMENT] + moved[MovementKind.RESTORATION])
            gone = -(moved[MovementKind.EXPIRY] + moved[MovementKind.FUNDER_RETURN])
            self.assertEqual(moved[MovementKind.TOP_UP], top_up.amount)  # credited once
            self.assertGreaterEqual(used, 0)
            # Never back twice, nor more than was left unused: the top-up's rows add up to what it still holds.
            self.assertEqual(top_up.remaining, top_up.amount - used - gone + moved[MovementKind.CORRECTION])
            self.assertTrue(0 <= top_up.remaining <= top_up.amount)
            self.assertLessEqual(gone, top_up.amount - used)
            if top_up.for_dossier_id is not None:  # a file top-up pays that file only
                self.assertEqual(
                    set(
                        top_up.ledger_entries.filter(kind=MovementKind.ENGAGEMENT).values_list("dossier_id", flat=True)
                    )
                    - {top_up.for_dossier_id},
                    set(),
                )
            if top_up.expires_on is not None and top_up.expires_on < today:
                self.assertEqual(top_up.remaining, 0)
        available = D(0)
        for organisation in funders:
            total = selectors.funder_report(organisation).total
            self.assertEqual(total.credited, total.used + total.expired + total.returned + total.available)
            self.assertGreaterEqual(total.used, 0)
            available += total.available
        account = RightsAccount.objects.filter(pk=holder.pk).first()
        self.assertEqual(available, account.top_ups if account else 0)
        self.assertFalse(LedgerEntry.objects.filter(kind=MovementKind.FUNDER_RETURN, amount__gte=0).exists())
