"""Rights API: the public simulator (DESIGN §4), the signed-in holder's rights, funders' top-ups."""

import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from opencpf.accounts.enums import Role
from opencpf.accounts.models import Holder
from opencpf.accounts.selectors import holder_by_nir_and_name
from opencpf.accounts.services import audit
from opencpf.api.auth import bearer
from opencpf.api.errors import ApiError
from opencpf.api.schemas import BAD_INPUT, BODY_ERRORS, SIGNED_IN, Detail, Id, IsoDate, Money, Name
from opencpf.catalogue.validators import normalise_certification_code
from opencpf.parameters import ParameterNotInForce
from opencpf.rights import rules
from opencpf.rights.enums import FunderKind
from opencpf.rights.selectors.balances import rights_balance
from opencpf.rights.selectors.explanations import RenderedLine, render_lines
from opencpf.rights.selectors.history import rights_history
from opencpf.rights.selectors.outlook import credit_simulate
from opencpf.rights.services.core import RightsError
from opencpf.rights.services.top_ups import topup_add

router = Router(tags=["Rights"])
authenticated = Router(tags=["Rights"], auth=bearer)
router.add_router("", authenticated)

MAX_HOURS = Decimal(366 * 24)
MAX_BALANCE = Decimal("100000")
MAX_TOP_UP = Decimal("100000")


class ReferenceOut(Schema):
    title: str
    url: str


class ExplanationLine(Schema):
    text: str
    reference: str = Field(description="The legal texts the line rests on.")
    url: str = Field(description="Link to the first of them on Légifrance.")
    references: list[ReferenceOut]


def explanation(lines: list[RenderedLine]) -> list[dict]:
    return [
        {
            "text": line.text,
            "reference": line.reference,
            "url": line.references[0].href,
            "references": [{"title": ref.title, "url": ref.href} for ref in line.references],
        }
        for line in lines
    ]


# --- simulator -----------------------------------------------------------------------------------------------


class SimulateQuery(Schema):
    year: int | None = Field(None, description="The year worked (default: the current year).")
    status: Literal["employee", "self_employed", "job_seeker"]
    hours_worked: Decimal | None = Field(
        None, description="Employee: hours worked in the year (with counted absences)."
    )
    reference_hours: Decimal | None = Field(
        None, description="Full-time hours of the year (default: the legal parameter `rights/reference_hours`)."
    )
    months_active: int | None = Field(
        None, description="Self-employed: months of activity with the contribution paid."
    )
    low_qualified: bool = False
    disabled_worker: bool = False
    balance: Decimal = Field(Decimal("0"), description="Acquired rights before the credit (top-ups excluded).")


class SimulateOut(Schema):
    year: int
    status: str
    credit: Money
    new_balance: Money
    cap: Money
    balance: Money
    annual_amount: Money
    explanation: list[ExplanationLine]


def _check_amount(errors: dict, field: str, value: Decimal | None, maximum: Decimal, required: bool = False):
    if value is None:
        if required:
            errors[field] = [_("This field is required.")]
        return
    if not value.is_finite() or value < 0:
        errors[field] = [_("Enter a number that is 0 or more.")]
    elif value > maximum:
        errors[field] = [_("Enter a number up to %(max)s.") % {"max": rules.format_number(maximum)}]
    elif value != value.quantize(Decimal("0.01")):
        errors[field] = [_("Enter a number with at most two decimals.")]


@router.get(
    "/rights/simulate",
    response={200: SimulateOut, **BAD_INPUT},
    auth=None,
    summary="Simulate a year's credit",
    description="What a year of work would credit, with each step explained and its legal reference.",
)
def simulate(request, query: Query[SimulateQuery]):
    today = timezone.localdate()
    year = query.year if query.year is not None else today.year
    errors: dict[str, list[str]] = {}
    if year > today.year + 1:
        errors["year"] = [_("Choose a year up to %(year)s.") % {"year": today.year + 1}]
    else:
        try:
            rules.YearParameters.for_year(year)
        except ParameterNotInForce:  # before the first year in euros, or no calendar year at all (0, negative)
            errors["year"] = [
                _("Rights are counted in euros from %(limit_value)s: choose %(limit_value)s or later.")
                % {"limit_value": rules.first_year_in_euros()}
            ]
    _check_amount(errors, "hours_worked", query.hours_worked, MAX_HOURS, required=query.status == "employee")
    _check_amount(errors, "reference_hours", query.reference_hours, MAX_HOURS)
    if query.reference_hours is not None and "reference_hours" not in errors and query.reference_hours == 0:
        errors["reference_hours"] = [_("Enter a number of hours above 0.")]
    _check_amount(errors, "balance", query.balance, MAX_BALANCE)
    if query.status == "self_employed" and query.months_active is None:
        errors["months_active"] = [_("This field is required.")]
    elif query.months_active is not None and not 0 <= query.months_active <= 12:
        errors["months_active"] = [_("Enter a number of months from 0 to 12.")]
    if errors:
        raise ApiError(400, errors)
    result = credit_simulate(
        year=year,
        status=query.status,
        hours_worked=query.hours_worked,
        reference_hours=query.reference_hours,
        months_active=query.months_active,
        low_qualified=query.low_qualified,
        disabled_worker=query.disabled_worker,
        balance=query.balance,
    )
    return {
        "year": year,
        "status": query.status,
        "credit": result.credit,
        "new_balance": result.new_balance,
        "cap": result.cap,
        "balance": result.balance,
        "annual_amount": rules.YearParameters.for_year(year).annual(result.priority),
        "explanation": explanation(render_lines(result.lines)),
    }


# --- the holder's rights -------------------------------------------------------------------------------------


class TopUpOut(Schema):
    id: int
    funder_name: str
    funder_kind: str
    amount: Money
    remaining: Money
    expires_on: datetime.date | None
    earmark_certifications: list[str]
    earmark_offers: list[int]
    return_unused: bool = False


class MovementOut(Schema):
    id: int
    date: datetime.date
    kind: str
    label: str
    bucket: str
    amount: Money
    year: int | None
    dossier_id: int | None
    explanation: list[ExplanationLine]


class RightsOut(Schema):
    acquired: Money
    top_ups: Money
    total: Money
    cap: Money
    closed_on: datetime.date | None
    top_up_list: list[TopUpOut]
    history: list[MovementOut]


def _holder(request) -> Holder:
    user = request.auth
    holder = getattr(user, "holder", None) if user.role == Role.HOLDER else None
    if holder is None:
        raise PermissionDenied(_("Only account holders have rights."))
    return holder


@authenticated.get("/rights", response={200: RightsOut, **SIGNED_IN, 403: Detail}, summary="My rights and history")
def my_rights(request):
    holder = _holder(request)
    balance = rights_balance(holder)
    return {
        "acquired": balance.acquired,
        "top_ups": balance.top_ups,
        "total": balance.total,
        "cap": balance.cap,
        "closed_on": balance.closed_on,
        "top_up_list": balance.top_up_list,
        "history": [
            {
                "id": item.id,
                "date": item.date,
                "kind": item.kind,
                "label": item.kind_label,
                "bucket": item.bucket,
                "amount": item.amount,
                "year": item.year,
                "dossier_id": item.dossier_id,
                "explanation": explanation(list(item.lines)),
            }
            for item in rights_history(holder)
        ],
    }


# --- top-ups -------------------------------------------------------------------------------------------------


class TopUpIn(Schema):
    nir: str = Field(max_length=30)
    last_name: Name = Field(max_length=150, description="The holder's birth name, as on their civil status.")
    amount: Decimal
    funder_kind: Literal[tuple(FunderKind.values)]  # type: ignore[valid-type]
    funder_name: Name | None = Field(None, max_length=200, description="Default: the signed-in funder's name.")
    earmark_certifications: list[str] = Field(
        default_factory=list, max_length=50, description='e.g. ["RNCP37274", "RS5432"]'
    )
    earmark_offers: list[Id] = Field(default_factory=list, max_length=50, description="Catalogue offer ids.")
    expires_on: IsoDate | None = None


class TopUpCreated(TopUpOut):
    holder_name: str


@authenticated.post(
    "/topups",
    response={201: TopUpCreated, **BODY_ERRORS, **SIGNED_IN, 403: Detail},
    summary="Add a funder's top-up to a holder's account",
)
def add_top_up(request, payload: TopUpIn):
    user = request.auth
    if user.role not in (Role.FUNDER, Role.AGENT):
        raise PermissionDenied(_("Only funders and agents can add top-ups."))
    errors: dict[str, list[str]] = {}
    _check_amount(errors, "amount", payload.amount, MAX_TOP_UP, required=True)
    if "amount" not in errors and payload.amount == 0:
        errors["amount"] = [_("A top-up must be more than 0 €.")]
    today = timezone.localdate()
    if payload.expires_on is not None and payload.expires_on < today:
        errors["expires_on"] = [_("The expiry date cannot be in the past.")]
    try:
        codes = [normalise_certification_code(code) for code in payload.earmark_certifications]
    except ValidationError as error:
        errors["earmark_certifications"] = error.messages
    funder_name = payload.funder_name or (user.display_name if user.role == Role.FUNDER else "")
    if not funder_name:
        errors["funder_name"] = [_("Give the funder's name.")]
    holder: Holder | None = holder_by_nir_and_name(payload.nir, payload.last_name)
    if holder is None:
        errors["nir"] = [_("No account holder matches this social security number and birth name.")]
    if errors:
        raise ApiError(400, errors)
    try:
        top_up = topup_add(
            holder=holder,
            amount=payload.amount,
            funder_kind=payload.funder_kind,
            funder_name=funder_name[:200],
            created_by=user,
            earmark_certifications=codes,
            earmark_offers=payload.earmark_offers,
            expires_on=payload.expires_on,
            on_date=today,
        )
    except RightsError as error:
        raise ApiError(400, {"__all__": [str(error)]})
    except DataError:
        raise ApiError(400, {"amount": [_("This amount is too large for the account.")]})
    audit(actor=user, action="top_up_added", target=f"holder:{holder.pk}", amount=f"{top_up.amount:.2f}")
    top_up.holder_name = holder.full_name
    return Status(201, top_up)
