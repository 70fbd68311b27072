"""Funders' organisations and members, and supplementary credits one by one.

Every credit goes through `credit_add`, which checks what a funder may get wrong (who, how much, for which training)
and then calls `rights.services.topup_add`, the one path by which money enters a holder's account."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import DataError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.fr import siret as siret_number

from opencpf.accounts.enums import Role
from opencpf.accounts.models import User
from opencpf.accounts.selectors import holder_by_nir_and_name
from opencpf.accounts.services import audit
from opencpf.catalogue.models import Certification, Offer
from opencpf.catalogue.validators import normalise_certification_code
from opencpf.funders.enums import ORGANISATION_KINDS
from opencpf.funders.models import FunderCredit, FunderMember, FunderOrganisation
from opencpf.rights.enums import FunderKind
from opencpf.rights.services.core import AccountClosed, RightsError
from opencpf.rights.services.top_ups import topup_add

CENT = Decimal("0.01")
MAX_CREDIT = Decimal("100000.00")  # a sanity bound on one line (the column holds 9 digits), not a legal rule


class CreditError(Exception):
    """Refused input: `errors` maps a field to messages for the user; nothing was written."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


@transaction.atomic
def funder_create(*, name: str, kind: str, siret: str = "") -> FunderOrganisation:
    errors: dict[str, list[str]] = {}
    if kind not in [k.value for k in ORGANISATION_KINDS]:
        errors["kind"] = [_("Unknown kind of funder.")]
    siret = (siret or "").replace(" ", "")
    if siret and not siret_number.is_valid(siret):
        errors["siret"] = [_("Enter a valid SIRET (14 digits).")]
    elif kind == FunderKind.EMPLOYER and not siret:
        errors["siret"] = [_("An employer is identified by its SIRET.")]
    if not (name or "").strip():
        errors["name"] = [_("Give the funder's name.")]
    if errors:
        raise CreditError(errors)
    organisation = FunderOrganisation.objects.create(name=name.strip(), kind=kind, siret=siret)
    audit(actor=None, action="funder_created", target=f"funder:{organisation.pk}")
    return organisation


@transaction.atomic
def funder_member_add(
    *, organisation: FunderOrganisation, email: str, display_name: str, password: str | None = None
) -> User:
    """A funder account for the organisation (without a password, set through "forgot my password")."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise CreditError({"email": [_("This address already has an account.")]})
    user = User.objects.create_user(email=email, password=password, role=Role.FUNDER, display_name=display_name)
    if password is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    FunderMember.objects.create(user=user, organisation=organisation)
    audit(actor=None, action="funder_member_added", target=f"user:{user.pk}", funder=organisation.pk)
    return user


def parse_amount(value) -> Decimal | str:
    """The amount as Decimal, or the message saying why it is refused (French decimal comma accepted)."""
    text = str(value if value is not None else "").strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        amount = Decimal(text)
    except (InvalidOperation, ValueError):
        return _("Enter an amount in euros, e.g. 500.00.")
    if not amount.is_finite():
        return _("Enter an amount in euros, e.g. 500.00.")
    if amount <= 0:
        return _("A credit must be more than 0 €.")
    if amount > MAX_CREDIT:
        return _("One credit is at most %(max)s €.") % {"max": f"{MAX_CREDIT:.2f}"}
    if amount != amount.quantize(CENT):
        return _("An amount has at most two decimals.")
    return amount.quantize(CENT)


@transaction.atomic
def credit_add(
    *,
    organisation: FunderOrganisation,
    user: User | None,
    nir: str,
    last_name: str,
    amount,
    earmark_certifications: list[str] = (),
    earmark_offers: list[int] = (),
    expires_on: datetime.date | None = None,
    return_unused: bool = False,
    source: str = "",
    on_date: datetime.date | None = None,
) -> FunderCredit:
    """Credit a holder, designated by NIR and birth name (a mismatch answers as an unknown NIR does), with money
    earmarked or not, expiring or not, to go back to the funder when unused or not. All or nothing."""
    on_date = on_date or timezone.localdate()
    errors: dict[str, list[str]] = {}
    parsed = parse_amount(amount)
    if isinstance(parsed, str):
        errors["amount"] = [parsed]
    codes: list[str] = []
    try:
        codes = sorted({normalise_certification_code(code) for code in earmark_certifications if code.strip()})
    except ValidationError as error:
        errors["earmark_certifications"] = error.messages
    unknown = sorted(set(codes) - set(Certification.objects.filter(code__in=codes).values_list("code", flat=True)))
    if unknown:
        errors["earmark_certifications"] = [
            _("Unknown certification: %(codes)s.") % {"codes": ", ".join(unknown)},
        ]
    offers = sorted(set(earmark_offers))
    missing = sorted(set(offers) - set(Offer.objects.filter(pk__in=offers).values_list("pk", flat=True)))
    if missing:
        errors["earmark_offers"] = [_("Unknown offer: %(ids)s.") % {"ids": ", ".join(map(str, missing))}]
    if expires_on is not None and expires_on < on_date:
        errors["expires_on"] = [_("The expiry date cannot be in the past.")]
    if return_unused and expires_on is None:
        errors["return_unused"] = [_("Money can only go back to the funder at an expiry date: give one.")]
    holder = holder_by_nir_and_name(nir or "", last_name or "")
    if holder is None:
        errors["nir"] = [_("No account holder matches this social security number and birth name.")]
    if errors:
        raise CreditError(errors)
    try:
        with transaction.atomic():
            top_up = topup_add(
                holder=holder,
                amount=parsed,
                funder_kind=organisation.kind,
                funder_name=organisation.name,
                created_by=user,
                earmark_certifications=codes,
                earmark_offers=offers,
                expires_on=expires_on,
                return_unused=return_unused,
                on_date=on_date,
            )
    except AccountClosed:
        # Said plainly: whoever names both the NIR and the birth name already knows who the holder is.
        raise CreditError({"nir": [_("This holder's account is closed: it can no longer be credited.")]})
    except RightsError as error:
        raise CreditError({"__all__": [str(error)]})
    except DataError:
        raise CreditError({"amount": [_("This amount is too large for the account.")]})
    credit = FunderCredit.objects.create(organisation=organisation, top_up=top_up, created_by=user, source=source)
    audit(
        actor=user,
        action="funder_credit_added",
        target=f"holder:{holder.pk}",
        funder=organisation.pk,
        amount=f"{top_up.amount:.2f}",
    )
    return credit
