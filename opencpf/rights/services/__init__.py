"""Everything that moves a holder's money. Each service writes its ledger entries and the balances they move
in one transaction, with the holder's `RightsAccount` row locked (`select_for_update`), so that

    account.acquired == sum(ledger amounts in bucket "acquired")
    account.top_ups  == sum(ledger amounts in bucket "top_up") == sum(top_up.remaining)
    top_up.remaining == sum(ledger amounts of that top-up)

and the database CHECKs refuse a negative balance or acquired rights above the cap whatever the caller does.

Used by the training-files area (all keyword-only; dates are Paris calendar dates; money is Decimal, 2 places):
    selectors.rights_buckets(holder=, on_date=, certification_code="", offer_id=None) -> list[UsableBucket]
        the money usable for that training (ids: top-up id, or "acquired"); the order of use is not decided here
    selectors.rights_available(holder=, on_date=, certification_code="", offer_id=None) -> Decimal
    rights_engage(holder=, dossier_id=, split=[(bucket, amount), …], on_date=, certification_code="", offer_id=None)
        -> list[Engagement]: engages the funding plan's split (`dossiers.rules.funding_plan` decides it; this checks
        it), all or nothing; InsufficientRights(.available) / AccountClosed
    rights_restore(holder=, dossier_id=, on_date=, amount=None | by_bucket=None, reason="") -> Restoration
    rights_forfeit(holder=, dossier_id=, on_date=, amount=None | by_bucket=None, reason="",
                   organisation_payment_id=None) -> Decimal
        `by_bucket={"acquired": Decimal, top_up_id: Decimal}` settles exactly what the file's settlement says;
        with `organisation_payment_id` the rights paid that organisation payment rather than being lost.
Errors are `RightsError` subclasses whose message is for the user.

By group of movements: `core` (errors, the locked account, the ledger entry), `yearly_credit`, `top_ups`
(adding one, expiry), `engagement` (a file takes its split), `settlement` (restore, forfeit), `account`
(an agent's correction, closure). The names below are the ones imported from this package elsewhere.
"""

from opencpf.rights.services.account import account_close, rights_correct
from opencpf.rights.services.core import AccountClosed, InsufficientRights, NothingToSettle, RightsError
from opencpf.rights.services.engagement import rights_engage
from opencpf.rights.services.settlement import rights_forfeit, rights_restore
from opencpf.rights.services.top_ups import topup_add, topups_expire
from opencpf.rights.services.yearly_credit import declarations_for, rights_credit_year

__all__ = [
    "AccountClosed",
    "InsufficientRights",
    "NothingToSettle",
    "RightsError",
    "account_close",
    "declarations_for",
    "rights_correct",
    "rights_credit_year",
    "rights_engage",
    "rights_forfeit",
    "rights_restore",
    "topup_add",
    "topups_expire",
]
