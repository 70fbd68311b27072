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
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.accounts.enums import ClosureReason
from opencpf.accounts.models import Holder, User
from opencpf.catalogue.validators import normalise_certification_code
from opencpf.rights import rules
from opencpf.rights.enums import SETTLEMENT_KINDS, Bucket, FunderKind, MovementKind
from opencpf.rights.models import (
    EmploymentDeclaration,
    Engagement,
    LedgerEntry,
    RightsAccount,
    SelfEmployedDeclaration,
    TopUp,
)
from opencpf.rights.selectors import usable_top_ups
from opencpf.utils.formatting import long_date

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
BucketKey = int | str  # Bucket.ACQUIRED ("acquired") or a top-up's id


class RightsError(Exception):
    """A movement the rules refuse; str(error) is a message for the user."""


class AccountClosed(RightsError):
    pass


class InsufficientRights(RightsError):
    def __init__(self, message: str, available: Decimal):
        super().__init__(message)
        self.available = available


class NothingToSettle(RightsError):
    pass


def _money(amount: Decimal | int | str) -> Decimal:
    value = Decimal(amount)
    if value != value.quantize(CENT):
        raise RightsError(_("An amount has at most two decimals."))
    return value.quantize(CENT)


def _today() -> datetime.date:
    return timezone.localdate()


def _priority(holder: Holder) -> bool:
    return bool(holder.low_qualified or holder.disabled_worker)


def current_cap(holder: Holder, on_date: datetime.date | None = None) -> Decimal:
    """The cap on acquired rights in force for this holder (the priority cap for the priority groups)."""
    year = (on_date or _today()).year
    return rules.YearParameters.for_year(year).cap_for(_priority(holder))


def account_locked(holder: Holder) -> RightsAccount:
    """The holder's account row, created if missing, locked until the end of the transaction."""
    # By id, so that the caller's `holder.rights_account` is not left caching a stale in-memory row.
    RightsAccount.objects.get_or_create(holder_id=holder.pk, defaults={"cap": current_cap(holder)})
    return RightsAccount.objects.select_for_update().get(pk=holder.pk)


def _entry(account: RightsAccount, *, kind: str, bucket: str, amount: Decimal, on_date, **fields) -> LedgerEntry:
    """Write one movement and apply it to the (locked) account's balance in memory; callers save the account.
    Settlements of engaged rights leave the balance as it is (it moved at engagement)."""
    entry = LedgerEntry.objects.create(
        holder_id=account.pk, kind=kind, bucket=bucket, amount=amount, effective_on=on_date, **fields
    )
    if kind in SETTLEMENT_KINDS:
        pass
    elif bucket == Bucket.ACQUIRED:
        account.acquired += amount
    elif bucket == Bucket.TOP_UP:
        account.top_ups += amount
    return entry


def _save(account: RightsAccount) -> None:
    account.updated_at = timezone.now()
    account.save(update_fields=["acquired", "top_ups", "cap", "closed_on", "updated_at"])


def _refuse_if_closed(account: RightsAccount) -> None:
    closed_on = account.closed_on or Holder.objects.filter(pk=account.pk).values_list("closed_on", flat=True)[0]
    if closed_on is not None:
        raise AccountClosed(
            _("This account was closed on %(date)s: it can no longer be used or credited.")
            % {"date": long_date(closed_on)}
        )


def _expire_entry(account: RightsAccount, *, top_up: TopUp, amount: Decimal, on_date) -> LedgerEntry:
    """The one decision on a top-up's unused money once its date has passed (or, for a file top-up, once the file
    gives it back): back to the funder when that was agreed (`funder_return`), else it expires. The caller lowers
    `top_up.remaining` by `amount` (so nothing can go back twice: a top-up at 0 has nothing left to expire or
    return)."""
    return _entry(
        account,
        kind=MovementKind.FUNDER_RETURN if top_up.return_unused else MovementKind.EXPIRY,
        bucket=Bucket.TOP_UP,
        amount=-amount,
        on_date=on_date,
        top_up=top_up,
        details={"expires_on": top_up.expires_on.isoformat()} if top_up.expires_on else {},
    )


# --- yearly credit -------------------------------------------------------------------------------------------


def declarations_for(holder_id: int, year: int) -> tuple[list[rules.Employment], rules.SelfEmployment | None]:
    employments = [
        rules.Employment(
            hours_worked=declaration.hours_worked,
            reference_hours=declaration.reference_hours,
            absences=declaration.absences(),
        )
        for declaration in EmploymentDeclaration.objects.filter(holder_id=holder_id, year=year).order_by("id")
    ]
    self_employed = SelfEmployedDeclaration.objects.filter(holder_id=holder_id, year=year).first()
    activity = (
        rules.SelfEmployment(months=self_employed.months, contribution_paid=self_employed.contribution_paid)
        if self_employed
        else None
    )
    return employments, activity


def credit_details(*, low_qualified: bool, disabled_worker: bool) -> dict:
    """What a yearly credit entry keeps to explain itself later, with that year's declarations and the
    acquired balance before it (the sum of the holder's earlier entries): the priority flags of the day."""
    return {"low_qualified": low_qualified, "disabled_worker": disabled_worker}


@transaction.atomic
def rights_credit_year(*, holder: Holder, year: int, on_date: datetime.date | None = None) -> LedgerEntry | None:
    """Credit the holder for year N from their declarations of year N (idempotent).

    Returns the yearly credit entry (the existing one if N was already credited), or None when there is
    no declaration for N. Refuses a closed account. `credit_rights` does the same for everyone, in bulk.
    """
    on_date = on_date or _today()
    account = account_locked(holder)
    _refuse_if_closed(account)
    existing = LedgerEntry.objects.filter(holder=holder, kind=MovementKind.YEARLY_CREDIT, year=year).first()
    if existing is not None:
        return existing
    employments, activity = declarations_for(holder.pk, year)
    if not employments and activity is None:
        return None
    result = rules.yearly_credit(
        year=year,
        employments=employments,
        self_employment=activity,
        low_qualified=holder.low_qualified,
        disabled_worker=holder.disabled_worker,
        balance=account.acquired,
    )
    try:
        with transaction.atomic():  # the batch may have credited this holder meanwhile: the database decides
            entry = _entry(
                account,
                kind=MovementKind.YEARLY_CREDIT,
                bucket=Bucket.ACQUIRED,
                amount=result.credit,
                on_date=on_date,
                year=year,
                details=credit_details(low_qualified=holder.low_qualified, disabled_worker=holder.disabled_worker),
            )
    except IntegrityError:
        return LedgerEntry.objects.get(holder=holder, kind=MovementKind.YEARLY_CREDIT, year=year)
    if result.credit:
        account.cap = result.cap
    _save(account)
    return entry


# --- top-ups -------------------------------------------------------------------------------------------------


def _normalise_certifications(codes: Iterable[str]) -> list[str]:
    try:
        return sorted({normalise_certification_code(code) for code in codes if code and code.strip()})
    except ValidationError as error:
        raise RightsError(error.messages[0])


@transaction.atomic
def topup_add(
    *,
    holder: Holder,
    amount: Decimal,
    funder_kind: FunderKind | str,
    funder_name: str,
    created_by: User | None = None,
    earmark_certifications: Sequence[str] = (),
    earmark_offers: Sequence[int] = (),
    expires_on: datetime.date | None = None,
    return_unused: bool = False,
    for_dossier_id: int | None = None,
    on_date: datetime.date | None = None,
) -> TopUp:
    """Add a funder's top-up to the holder's account (earmarked to trainings and/or expiring, or neither; with
    `return_unused`, what is unused at expiry goes back to the funder). With `for_dossier_id`, a file top-up: usable
    for that training file only, and what the file gives back goes back to the funder."""
    on_date = on_date or _today()
    amount = _money(amount)
    if amount <= 0:
        raise RightsError(_("A top-up must be more than 0 €."))
    if funder_kind not in FunderKind.values:
        raise RightsError(_("Unknown kind of funder."))
    if not (funder_name or "").strip():
        raise RightsError(_("Give the funder's name."))
    if expires_on is not None and expires_on < on_date:
        raise RightsError(_("The top-up cannot expire before it is added."))
    account = account_locked(holder)
    _refuse_if_closed(account)
    top_up = TopUp.objects.create(
        holder=holder,
        funder_kind=funder_kind,
        funder_name=funder_name.strip(),
        created_by=created_by,
        amount=amount,
        remaining=amount,
        earmark_certifications=_normalise_certifications(earmark_certifications),
        earmark_offers=sorted({int(offer) for offer in earmark_offers}),
        expires_on=expires_on,
        return_unused=return_unused or for_dossier_id is not None,
        for_dossier_id=for_dossier_id,
    )
    _entry(account, kind=MovementKind.TOP_UP, bucket=Bucket.TOP_UP, amount=amount, on_date=on_date, top_up=top_up)
    _save(account)
    return top_up


@transaction.atomic
def rights_engage(
    *,
    holder: Holder,
    dossier_id: int,
    split: Sequence[tuple[BucketKey, Decimal]],
    on_date: datetime.date | None = None,
    certification_code: str = "",
    offer_id: int | None = None,
) -> list[Engagement]:
    """Debit a training file's split, all or nothing: `split` is the funding plan's `[(bucket, amount), …]`
    ("acquired" or a top-up's id), in its order. The plan (`dossiers.rules.funding_plan`) decides the split; this
    only checks that each part can still be taken today: the account is open, acquired rights cover their part,
    each top-up is the holder's, not expired on `on_date`, usable for this training (earmark) and holds enough.

    Raises AccountClosed, or InsufficientRights (with `.available`, what the usable buckets hold) when a part no
    longer fits (another file used the rights meanwhile). Returns the engagement rows, one per part.
    """
    on_date = on_date or _today()
    account = account_locked(holder)
    _refuse_if_closed(account)
    certification_code = (certification_code or "").strip().upper()
    usable = {t.pk: t for t in usable_top_ups(holder.pk, on_date, certification_code, offer_id, dossier_id)}
    parts: list[tuple[TopUp | None, Decimal]] = []
    wanted: dict[BucketKey, Decimal] = {}
    for key, amount in split:
        amount = _money(amount)
        if amount <= 0:
            raise RightsError(_("The amount to use must be more than 0 €."))
        wanted[key] = wanted.get(key, ZERO) + amount
        parts.append((None if key == Bucket.ACQUIRED else usable.get(key), amount))
    fits = all(
        (key == Bucket.ACQUIRED and amount <= account.acquired) or (key in usable and amount <= usable[key].remaining)
        for key, amount in wanted.items()
    )
    if not parts or not fits:
        available = account.acquired + sum((t.remaining for t in usable.values()), ZERO)
        raise InsufficientRights(
            _("Your usable rights changed (%(available)s € usable now): review the amounts.")
            % {"available": f"{available:.2f}"},
            available=available,
        )
    engagements = []
    for top_up, take in parts:
        bucket = Bucket.ACQUIRED if top_up is None else Bucket.TOP_UP
        if top_up is not None:
            top_up.remaining -= take
            top_up.save(update_fields=["remaining"])
        engagements.append(
            Engagement.objects.create(holder=holder, dossier_id=dossier_id, bucket=bucket, top_up=top_up, amount=take)
        )
        _entry(
            account,
            kind=MovementKind.ENGAGEMENT,
            bucket=bucket,
            amount=-take,
            on_date=on_date,
            dossier_id=dossier_id,
            top_up=top_up,
        )
    _save(account)
    return engagements


def _outstanding(holder: Holder, dossier_id: int) -> list[Engagement]:
    """The file's engaged parts not yet restored or forfeited, last taken first, locked."""
    parts = Engagement.objects.select_for_update().filter(holder=holder, dossier_id=dossier_id).order_by("-id")
    return [part for part in parts if part.outstanding > 0]


def _allocate(
    parts: list[Engagement], amount: Decimal | None, by_bucket: Mapping[BucketKey, Decimal] | None
) -> list[tuple[Engagement, Decimal]]:
    """Which engaged parts to settle and how much of each: everything, `amount` (last taken first), or the
    amounts given per bucket (`{"acquired": …, top_up_id: …}`)."""
    outstanding = sum((part.outstanding for part in parts), ZERO)
    if outstanding <= 0:
        raise NothingToSettle(_("No rights are engaged for this training file."))
    if by_bucket is not None:
        if amount is not None:
            raise RightsError(_("Give either an amount or amounts per bucket, not both."))
        allocations = []
        for key, value in by_bucket.items():
            value = _money(value)
            if value < 0:
                raise RightsError(_("The amount must be more than 0 €."))
            matching = [
                part
                for part in parts
                if (key == Bucket.ACQUIRED and part.bucket == Bucket.ACQUIRED)
                or (key != Bucket.ACQUIRED and part.top_up_id == key)
            ]
            engaged = sum((part.outstanding for part in matching), ZERO)
            if value > engaged:
                raise RightsError(
                    _("Only %(outstanding)s € are engaged from this bucket for this training file.")
                    % {"outstanding": f"{engaged:.2f}"}
                )
            left = value
            for part in matching:
                take = min(part.outstanding, left)
                if take > 0:
                    allocations.append((part, take))
                    left -= take
        if not allocations:
            raise RightsError(_("The amount must be more than 0 €."))
        return allocations
    if amount is None:
        left = outstanding
    else:
        left = _money(amount)
        if left <= 0:
            raise RightsError(_("The amount must be more than 0 €."))
        if left > outstanding:
            raise RightsError(
                _("Only %(outstanding)s € are engaged for this training file.") % {"outstanding": f"{outstanding:.2f}"}
            )
    allocations = []
    for part in parts:
        take = min(part.outstanding, left)
        if take > 0:
            allocations.append((part, take))
            left -= take
    return allocations


@dataclass(frozen=True)
class Restoration:
    restored: Decimal
    lost_to_cap: Decimal  # acquired rights that could not come back because the cap was reached meanwhile
    expired: Decimal  # top-ups restored after their expiry date (or file top-ups), expired or returned at once
    entries: tuple[LedgerEntry, ...] = field(default=())


@transaction.atomic
def rights_restore(
    *,
    holder: Holder,
    dossier_id: int,
    on_date: datetime.date | None = None,
    amount: Decimal | None = None,
    by_bucket: Mapping[BucketKey, Decimal] | None = None,
    reason: str = "",
    despite_expiry: bool = False,
) -> Restoration:
    """Give back what a training file took: all of it, `amount` of it (the unused part after force majeure),
    or given amounts per bucket (`by_bucket={"acquired": Decimal("120.00"), top_up_id: Decimal("80.00")}`).

    Money returns to the bucket it came from; with `amount`, the last taken first (acquired rights first).
    Acquired rights never go above the cap: what cannot return is recorded as forfeited. A top-up whose
    expiry date has passed is restored and expired at once, unless `despite_expiry` (a confirmed scam: the holder
    must not lose what was taken from them): then its expiry moves back so that it has, from `on_date`, the time
    it had left when the file took the money. Works on a closed account (files are settled).
    """
    on_date = on_date or _today()
    account = account_locked(holder)
    parts = _outstanding(holder, dossier_id)
    restored = lost = expired = ZERO
    entries = []
    for part, take in _allocate(parts, amount, by_bucket):
        if part.bucket == Bucket.ACQUIRED:
            back = min(take, max(ZERO, account.cap - account.acquired))
            clipped = take - back
            if back:
                entries.append(
                    _entry(
                        account,
                        kind=MovementKind.RESTORATION,
                        bucket=Bucket.ACQUIRED,
                        amount=back,
                        on_date=on_date,
                        dossier_id=dossier_id,
                        reason=reason,
                    )
                )
            if clipped:
                entries.append(
                    _entry(
                        account,
                        kind=MovementKind.FORFEITURE,
                        bucket=Bucket.ACQUIRED,
                        amount=-clipped,
                        on_date=on_date,
                        dossier_id=dossier_id,
                        reason=reason,
                        details={"cause": "cap"},
                    )
                )
            part.restored += back
            part.forfeited += clipped
            restored += back
            lost += clipped
        else:
            top_up = TopUp.objects.select_for_update().get(pk=part.top_up_id)
            top_up.remaining += take
            entries.append(
                _entry(
                    account,
                    kind=MovementKind.RESTORATION,
                    bucket=Bucket.TOP_UP,
                    amount=take,
                    on_date=on_date,
                    dossier_id=dossier_id,
                    top_up=top_up,
                    reason=reason,
                )
            )
            if despite_expiry and top_up.expires_on is not None and top_up.expires_on < on_date:
                left_then = max(datetime.timedelta(0), top_up.expires_on - timezone.localdate(part.created_at))
                top_up.expires_on = on_date + left_then
                top_up.save(update_fields=["expires_on"])
            if top_up.for_dossier_id is not None or (top_up.expires_on is not None and top_up.expires_on < on_date):
                top_up.remaining -= take
                entries.append(_expire_entry(account, top_up=top_up, amount=take, on_date=on_date))
                expired += take
            top_up.save(update_fields=["remaining"])
            part.restored += take
            restored += take
        part.save(update_fields=["restored", "forfeited"])
    _save(account)
    return Restoration(restored=restored, lost_to_cap=lost, expired=expired, entries=tuple(entries))


@transaction.atomic
def rights_forfeit(
    *,
    holder: Holder,
    dossier_id: int,
    on_date: datetime.date | None = None,
    amount: Decimal | None = None,
    by_bucket: Mapping[BucketKey, Decimal] | None = None,
    reason: str = "",
    organisation_payment_id: int | None = None,
) -> Decimal:
    """Record that rights engaged for a file leave the account for good: lost (late cancellation, no-show,
    abandon), or, with `organisation_payment_id`, paid to the organisation by that payment. All of them,
    `amount` of them, or amounts per bucket. One ledger row per engaged part, with its amount (negative).

    The balance does not change (the rights left it when they were engaged); the history says why.
    Returns the amount forfeited.
    """
    on_date = on_date or _today()
    account = account_locked(holder)
    parts = _outstanding(holder, dossier_id)
    kind = MovementKind.FORFEITURE if organisation_payment_id is None else MovementKind.PAYMENT
    total = ZERO
    for part, take in _allocate(parts, amount, by_bucket):
        part.forfeited += take
        part.save(update_fields=["forfeited"])
        total += take
        _entry(
            account,
            kind=kind,
            bucket=part.bucket,
            amount=-take,
            on_date=on_date,
            dossier_id=dossier_id,
            top_up_id=part.top_up_id,
            organisation_payment_id=organisation_payment_id,
            reason=reason,
        )
    _save(account)
    return total


# --- expiry, corrections, closure ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Expired:
    top_up_id: int
    holder_id: int
    amount: Decimal
    expires_on: datetime.date


def topups_to_expire(on_date: datetime.date):
    """Top-ups whose last usable day is before `on_date` and that still hold money."""
    return TopUp.objects.filter(expires_on__lt=on_date, remaining__gt=0).order_by("holder_id", "id")


def topups_expire(*, on_date: datetime.date | None = None, dry_run: bool = False) -> list[Expired]:
    """Move the money of expired top-ups out of the balances (one expiry or funder return movement each).
    Idempotent.

    Each holder is handled in its own short transaction; `dry_run` only lists what would expire.
    """
    on_date = on_date or _today()
    done: list[Expired] = []
    holder_ids = list(topups_to_expire(on_date).values_list("holder_id", flat=True).distinct())
    for holder_id in holder_ids:
        if dry_run:
            done.extend(
                Expired(top_up_id=t.pk, holder_id=holder_id, amount=t.remaining, expires_on=t.expires_on)
                for t in topups_to_expire(on_date).filter(holder_id=holder_id)
            )
            continue
        with transaction.atomic():
            account = account_locked(Holder.objects.get(pk=holder_id))
            for top_up in topups_to_expire(on_date).filter(holder_id=holder_id).select_for_update():
                amount = top_up.remaining
                _expire_entry(account, top_up=top_up, amount=amount, on_date=on_date)
                top_up.remaining = ZERO
                top_up.save(update_fields=["remaining"])
                done.append(
                    Expired(top_up_id=top_up.pk, holder_id=holder_id, amount=amount, expires_on=top_up.expires_on)
                )
            _save(account)
    return done


@transaction.atomic
def rights_correct(
    *,
    agent: User,
    holder: Holder,
    amount: Decimal,
    reason: str,
    top_up: TopUp | None = None,
    on_date: datetime.date | None = None,
) -> LedgerEntry:
    """An agent's correction of acquired rights (or of one top-up when `top_up` is given), with a reason.

    `amount` is signed. The result may not be negative nor put acquired rights above the cap.
    """
    if not agent.is_agent:
        raise PermissionDenied(_("Only an agent of the Caisse des Dépôts can correct an account."))
    on_date = on_date or _today()
    amount = _money(amount)
    if amount == 0:
        raise RightsError(_("A correction changes the balance: give an amount other than 0."))
    if not (reason or "").strip():
        raise RightsError(_("Give the reason for the correction."))
    account = account_locked(holder)
    if top_up is None:
        if account.acquired + amount < 0:
            raise RightsError(_("Acquired rights cannot become negative."))
        if account.acquired + amount > account.cap:
            raise RightsError(_("Acquired rights cannot exceed the cap of %(cap)s €.") % {"cap": f"{account.cap:.2f}"})
        entry = _entry(
            account,
            kind=MovementKind.CORRECTION,
            bucket=Bucket.ACQUIRED,
            amount=amount,
            on_date=on_date,
            agent=agent,
            reason=reason.strip(),
        )
    else:
        top_up = TopUp.objects.select_for_update().get(pk=top_up.pk, holder=holder)
        if top_up.remaining + amount < 0 or top_up.remaining + amount > top_up.amount:
            raise RightsError(_("A top-up's balance stays between 0 and its amount."))
        top_up.remaining += amount
        top_up.save(update_fields=["remaining"])
        entry = _entry(
            account,
            kind=MovementKind.CORRECTION,
            bucket=Bucket.TOP_UP,
            amount=amount,
            on_date=on_date,
            agent=agent,
            reason=reason.strip(),
            top_up=top_up,
        )
    _save(account)
    return entry


@transaction.atomic
def account_close(*, holder: Holder, reason: ClosureReason | str, on_date: datetime.date | None = None) -> None:
    """Close the account (retirement pension liquidated, or death): no credit and no use after `on_date`."""
    on_date = on_date or _today()
    if reason not in ClosureReason.values:
        raise RightsError(_("Unknown closure reason."))
    account = account_locked(holder)
    _refuse_if_closed(account)
    account.closed_on = on_date
    Holder.objects.filter(pk=holder.pk).update(closed_on=on_date, closure_reason=reason, updated_at=timezone.now())
    holder.closed_on, holder.closure_reason = on_date, reason
    _entry(
        account,
        kind=MovementKind.CLOSURE,
        bucket=Bucket.NONE,
        amount=ZERO,
        on_date=on_date,
        details={"reason": str(reason)},
    )
    _save(account)
