"""The holder accepts a proposal: rights engaged and the card charged, all or nothing."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from opencpf.accounts.models import User
from opencpf.dossiers import rules
from opencpf.dossiers.enums import (
    Action,
    Refusal,
)
from opencpf.dossiers.funding_limits import rights_cap
from opencpf.dossiers.models import (
    Dossier,
    Payment,
    PaymentKind,
    PaymentStatus,
)
from opencpf.dossiers.params import dossier_parameters
from opencpf.dossiers.payments import Card, Charge, PaymentDeclined, PaymentProvider, Refund, payment_provider
from opencpf.dossiers.selectors import funding_for
from opencpf.dossiers.services.core import (
    DossierError,
    _apply,
    _claim,
    _invalid,
    _now,
    _refusal,
)
from opencpf.rights.services.core import AccountClosed, InsufficientRights, account_locked
from opencpf.rights.services.engagement import rights_engage

# --- holder: accept and pay ------------------------------------------------------------------------------------


def _record_declined(dossier_id: int, amount: Decimal, card: Card, provider: PaymentProvider, message: str) -> None:
    Payment.objects.create(
        dossier_id=dossier_id,
        kind=PaymentKind.CHARGE,
        amount=amount,
        status=PaymentStatus.DECLINED,
        provider=provider.name,
        card_last4=card.last4,
        message=message[:200],
    )


def _record_rolled_back(dossier_id: int, charge: Charge, refund: Refund, provider: PaymentProvider) -> None:
    """Outside the rolled-back transaction: the charge and its refund stay on record, so that the next attempt
    counts this one and sends the provider a new idempotency key (a reused key would replay the refunded charge)."""
    common = {"dossier_id": dossier_id, "provider": provider.name, "card_last4": charge.last4}
    Payment.objects.create(
        kind=PaymentKind.CHARGE,
        amount=charge.amount,
        status=PaymentStatus.ROLLED_BACK,
        provider_reference=charge.reference,
        **common,
    )
    Payment.objects.create(
        kind=PaymentKind.REFUND,
        amount=refund.amount,
        status=PaymentStatus.SUCCEEDED,
        provider_reference=refund.reference,
        **common,
    )


def dossier_accept(
    *,
    dossier_id: int,
    user: User,
    card: Card | None = None,
    expected_card_amount: Decimal | None = None,
    ip: str | None = None,
    now: datetime.datetime | None = None,
    provider: PaymentProvider | None = None,
) -> Dossier:
    """The holder accepts the proposal: rights are engaged by the funding plan's split (`funding_for`, in the order
    of use in force today) and the card pays the flat contribution and any shortfall, all or nothing. The file's
    `funding` lines are that same split, so they equal the engagement rows by construction; a file accepted under
    an earlier order of use keeps its split (it is never recomputed).

    `expected_card_amount` is what the holder was shown: if the split changed meanwhile (another file used the
    rights), the acceptance is refused rather than charging a different amount.
    """
    now = _now(now)
    today = rules.paris_date(now)
    provider = provider or payment_provider()
    charge = None
    charged = {}
    try:
        with transaction.atomic():
            dossier, move, actor = _claim(dossier_id, Action.ACCEPT, user, holder=True)
            verdict = rules.can_accept(today=today, accept_before=dossier.accept_before)
            if not verdict:
                raise _refusal(verdict.refusals[0])
            holder = dossier.holder
            if holder.closed_on is not None:
                raise _refusal(Refusal.ACCOUNT_CLOSED)
            if not holder.identity_verified:  # DESIGN §2.5: engaging rights needs a verified identity
                raise DossierError(
                    {"__all__": [_("Verify your identity before accepting a proposal: it protects your rights.")]},
                    status=403,
                    code="identity_required",
                )
            account_locked(holder)  # the balance cannot move until this file is confirmed or refused
            funding = funding_for(dossier, on=today)
            if funding.refusal is not None:  # the 2026 finance law: this training cannot be funded this way
                raise _refusal(funding.refusal)
            plan = funding.plan
            if expected_card_amount is not None and Decimal(expected_card_amount) != plan.holder_pays:
                raise DossierError(
                    {
                        "__all__": [
                            _("The amounts changed since you saw them: you now pay %(amount)s € by card. Review them.")
                            % {"amount": f"{plan.holder_pays:.2f}"}
                        ]
                    },
                    code="funding_changed",
                )
            if plan.holder_pays > 0 and card is None:
                raise _invalid(
                    {
                        "card": [
                            _("Enter your card details to pay %(amount)s €.") % {"amount": f"{plan.holder_pays:.2f}"}
                        ]
                    }
                )
            if plan.funded > 0:
                rights_engage(
                    holder=holder,
                    dossier_id=dossier.pk,
                    split=funding.split(),
                    on_date=today,
                    certification_code=dossier.certification_code,
                    offer_id=dossier.offer_id,
                )
            params = dossier_parameters(today)
            if plan.holder_pays > 0:
                charged = {"amount": plan.holder_pays, "card": card}
                # One key per attempt: a provider replays a key's first answer, so a retry after a declined card
                # or after a rolled-back charge (both recorded outside this transaction) must not reuse it. A crash
                # between the charge and its record reuses the key: the provider then replays a charge never refunded.
                attempt = Payment.objects.filter(dossier_id=dossier.pk, kind=PaymentKind.CHARGE).count()
                charge = provider.charge(
                    amount=plan.holder_pays,
                    card=card,
                    description=f"OpenCPF dossier {dossier.pk}",
                    idempotency_key=f"dossier-{dossier.pk}-accept-{attempt}",
                )
                Payment.objects.create(
                    dossier=dossier,
                    kind=PaymentKind.CHARGE,
                    amount=charge.amount,
                    status=PaymentStatus.SUCCEEDED,
                    provider=provider.name,
                    provider_reference=charge.reference,
                    card_last4=charge.last4,
                    created_at=now,
                )
            _apply(
                dossier,
                move,
                actor=actor,
                user=user,
                now=now,
                ip=ip,
                confirmed_at=now,
                contribution=plan.contribution,
                contribution_due=plan.contribution_due,
                contribution_exemption=funding.exemption or "",
                funded_amount=plan.funded,
                card_amount=plan.holder_pays,
                shortfall=plan.shortfall,
                funding=funding.as_json(),
                free_cancellation_until=rules.free_cancellation_until(dossier.proposal_start, params),
                declare_entry_before=rules.declare_entry_before(dossier.proposal_start, params),
                declare_exit_before=rules.declare_exit_before(dossier.proposal_end, params),
                details={
                    "funded": f"{plan.funded:.2f}",
                    "card": f"{plan.holder_pays:.2f}",
                    **({"rights_cap": f"{plan_cap:.2f}"} if (plan_cap := rights_cap(funding.limits)) else {}),
                },
            )
    except PaymentDeclined as error:
        _record_declined(dossier_id, charged["amount"], charged["card"], provider, str(error))
        raise DossierError({"card": [str(error)]}, status=402, code="card_declined")
    except InsufficientRights as error:
        raise DossierError({"__all__": [str(error)]}, code="insufficient_rights")
    except AccountClosed:
        raise _refusal(Refusal.ACCOUNT_CLOSED)
    except BaseException:
        if charge is not None:  # the file did not move: give the money back
            refund = provider.refund(
                charge_reference=charge.reference,
                amount=charge.amount,
                idempotency_key=f"dossier-{dossier_id}-accept-rollback-{charge.reference}",
            )
            _record_rolled_back(dossier_id, charge, refund, provider)
        raise
    return dossier
