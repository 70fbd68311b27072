"""Every move of a training file, and the money it moves (DESIGN §2.2, §2.3).

Each service, in one transaction:
  1. locks the file (`SELECT … FOR UPDATE`) and asks `enums.transition(state, action, actor)` whether the move is
     allowed, then checks the deadlines and inputs with the pure verdicts of `rules`;
  2. moves the money (rights ledger, card provider, organisation's payment) by the row of the cancellation table;
  3. writes the new state with a guarded `UPDATE … WHERE id = … AND state = <from>` (0 rows: refused) and a
     `DossierEvent` (who, when, from which address, why);
  4. sends the emails once the transaction commits (background tasks).
Refusals raise `DossierError` (message for the user, `errors` per field, an HTTP-like `status`): nothing is
written then. Lock order, everywhere: the file, then the holder's rights account.

Services take `now` (an aware datetime, default: the clock) so that tests can pin dates; deadlines are Paris
calendar dates.

    dossier_register(*, user, session_id, ip=None, now=None) -> Dossier
    dossier_propose(*, dossier_id, user, price, start=None, end=None, session_id=None, message="", ...) -> Dossier
    dossier_refuse(*, dossier_id, user, reason, ...) -> Dossier
    dossier_accept(*, dossier_id, user, card=None, expected_card_amount=None, ...) -> Dossier
    dossier_cancel(*, dossier_id, user, reason="", ...) -> Dossier   (holder, organisation or agent)
    dossier_declare_entry / dossier_declare_no_show / dossier_declare_abandonment / dossier_declare_exit
    dossier_evaluate(*, dossier_id, user, took_place, ratings=None, comment="", ...) -> Dossier
    organisation_payment_pay(*, payment_id, user=None, now=None) -> OrganisationPayment
    dossier_lapse_unentered(*, dossier_id, now=None) -> Dossier | None
    dossier_cancel_for_fraud(*, dossier_id, user, reason, ...) -> Dossier   (agent, scam confirmed)
A file frozen by a scam report (`Dossier.frozen_at`, `opencpf.dossiers.freezes`) refuses every move with 409
`frozen` but the cancellation for fraud, and is not paid.
"""

from opencpf.dossiers.services.acceptance import dossier_accept
from opencpf.dossiers.services.core import DossierError, holder_of, is_member
from opencpf.dossiers.services.endings import (
    dossier_cancel,
    dossier_cancel_for_fraud,
    dossier_declare_no_show,
    dossier_lapse_unentered,
)
from opencpf.dossiers.services.evaluation import dossier_evaluate
from opencpf.dossiers.services.organisation_payments import organisation_payment_hold, organisation_payment_pay
from opencpf.dossiers.services.requests import dossier_propose, dossier_refuse, dossier_register
from opencpf.dossiers.services.training import (
    dossier_declare_abandonment,
    dossier_declare_entry,
    dossier_declare_exit,
)

__all__ = [
    "DossierError",
    "dossier_accept",
    "dossier_cancel",
    "dossier_cancel_for_fraud",
    "dossier_declare_abandonment",
    "dossier_declare_entry",
    "dossier_declare_exit",
    "dossier_declare_no_show",
    "dossier_evaluate",
    "dossier_lapse_unentered",
    "dossier_propose",
    "dossier_refuse",
    "dossier_register",
    "holder_of",
    "is_member",
    "organisation_payment_hold",
    "organisation_payment_pay",
]
