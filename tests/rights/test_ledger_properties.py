"""Random sequences of movements never break an invariant, and balances always equal the sum of the ledger."""

import datetime
from decimal import Decimal

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from opencpf.accounts.enums import ClosureReason
from opencpf.rights import services
from opencpf.rights.enums import SETTLEMENT_KINDS, Bucket, FunderKind
from opencpf.rights.models import Engagement, LedgerEntry, RightsAccount, TopUp
from opencpf.rights.selectors import ledger_sums
from tests.accounts.factories import HolderFactory, UserFactory
from tests.rights.factories import EmploymentDeclarationFactory, SelfEmployedDeclarationFactory, engage

D = Decimal
START = datetime.date(2026, 1, 5)

amounts = st.decimals(min_value=D("0.01"), max_value=D("3000"), places=2)
credit = st.tuples(
    st.just("credit"), st.decimals(min_value=0, max_value=2000, places=2), st.booleans(), st.integers(1, 12)
)
top_up = st.tuples(
    st.just("top_up"),
    amounts,
    st.sampled_from([None, 5, 30, 200]),  # expiry in days
    st.sampled_from([(), ("RNCP1",), ("RNCP2",)]),
    st.sampled_from(list(FunderKind.values)),
)
small = st.decimals(min_value=D("0.01"), max_value=D("700"), places=2)
engage_op = st.tuples(st.just("engage"), small, st.sampled_from(["", "RNCP1", "RNCP2"]))
# Restore or forfeit one of the last files engaged (0 = the last one), all of it (None) or part of it.
settle = st.tuples(
    st.sampled_from(["restore", "restore", "forfeit"]), st.integers(0, 3), st.none() | small, st.booleans()
)
operation = st.one_of(
    credit,
    credit,
    credit,
    top_up,
    engage_op,
    engage_op,
    engage_op,
    settle,
    settle,
    settle,
    st.tuples(st.just("advance"), st.integers(1, 60)),
    st.tuples(st.just("correct"), st.decimals(min_value=-3000, max_value=3000, places=2)),
    # Closing ends everything that follows: only one draw in eight closes.
    st.tuples(st.just("close"), st.sampled_from(list(ClosureReason.values)), st.integers(0, 7)),
)


class LedgerInvariants(TestCase):
    def check(self, holder):
        account = RightsAccount.objects.filter(pk=holder.pk).first()
        if account is None:
            self.assertFalse(LedgerEntry.objects.filter(holder=holder).exclude(bucket=Bucket.NONE).exists())
            return
        sums = ledger_sums(holder.pk)
        self.assertEqual(account.acquired, sums[Bucket.ACQUIRED])
        self.assertEqual(account.top_ups, sums[Bucket.TOP_UP])
        self.assertGreaterEqual(account.acquired, 0)
        self.assertGreaterEqual(account.top_ups, 0)
        self.assertLessEqual(account.acquired, account.cap)
        top_ups = list(TopUp.objects.filter(holder=holder))
        self.assertEqual(account.top_ups, sum((t.remaining for t in top_ups), D(0)))
        for top_up in top_ups:
            movements = top_up.ledger_entries.exclude(kind__in=SETTLEMENT_KINDS)
            self.assertEqual(top_up.remaining, sum((e.amount for e in movements), D(0)), top_up.pk)
            self.assertTrue(0 <= top_up.remaining <= top_up.amount)
        for engagement in Engagement.objects.filter(holder=holder):
            self.assertGreaterEqual(engagement.outstanding, 0)

    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(operations=st.lists(operation, max_size=25), priority=st.booleans())
    def test_random_sequences_keep_every_invariant(self, operations, priority):
        holder = HolderFactory(low_qualified=priority)
        agent = UserFactory(agent=True)
        today = START
        year = 2030
        dossier = 0
        for op in operations:
            try:
                self.apply(op, holder, agent, today, year, dossier)
            except services.RightsError:
                event(f"{op[0]} refused")  # a refused movement must leave everything consistent too
            else:
                event(f"{op[0]} done")
            if op[0] == "credit":
                year += 1
            elif op[0] == "engage":
                dossier += 1
            elif op[0] == "advance":
                today += datetime.timedelta(days=op[1])
                services.topups_expire(on_date=today)
            holder.refresh_from_db()
            self.check(holder)

    def apply(self, op, holder, agent, today, year, dossier):
        kind = op[0]
        if kind == "credit":
            _kind, hours, self_employed, months = op
            EmploymentDeclarationFactory(holder=holder, year=year, hours_worked=hours)
            if self_employed:
                SelfEmployedDeclarationFactory(holder=holder, year=year, months=months)
            services.rights_credit_year(holder=holder, year=year, on_date=today)
        elif kind == "top_up":
            _kind, amount, days, earmark, funder = op
            services.topup_add(
                holder=holder,
                amount=amount,
                funder_kind=funder,
                funder_name="Funder",
                earmark_certifications=earmark,
                expires_on=today + datetime.timedelta(days=days) if days else None,
                on_date=today,
            )
        elif kind == "engage":
            _kind, amount, code = op
            engage(holder=holder, amount=amount, dossier_id=dossier, on_date=today, certification_code=code)
        elif kind in ("restore", "forfeit"):
            _kind, back, amount, acquired_only = op
            settle_file = services.rights_restore if kind == "restore" else services.rights_forfeit
            target = max(0, dossier - 1 - back)
            if acquired_only and amount is not None:  # the amount per bucket, as a file's settlement gives it
                settle_file(holder=holder, dossier_id=target, on_date=today, by_bucket={"acquired": amount})
            else:
                settle_file(holder=holder, dossier_id=target, on_date=today, amount=amount)
        elif kind == "correct":
            if op[1]:
                services.rights_correct(agent=agent, holder=holder, amount=op[1], reason="Audit", on_date=today)
        elif kind == "close" and op[2] == 0:
            services.account_close(holder=holder, reason=op[1], on_date=today)
