"""A holder registers: the same form as the website's, answered without saying who uses an email."""

from django.urls import reverse
from django.utils.translation import get_language
from ninja import Field, Router, Schema, Status

from opencpf.accounts import services
from opencpf.accounts.forms import HolderRegistrationForm
from opencpf.api.errors import ApiError, field_errors_from_form
from opencpf.api.schemas import BODY_ERRORS, Errors, Name
from opencpf.identity import situations
from opencpf.utils.client import client_ip

router = Router()


class AddressIn(Schema):
    line1: str | None = None
    line2: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str | None = "FR"


class HolderIn(Schema):
    nir: str | None = None
    last_name: Name | None = None
    first_names: Name | None = None
    birth_date: str | None = None
    email: str | None = None
    phone: str | None = None
    address: AddressIn | None = None
    status: str | None = None
    low_qualified: bool = False
    disabled_worker: bool = False
    password: str | None = None


class RegistrationErrors(Errors):
    recovery_url: str | None = Field(
        None,
        description='With the error on `nir` when that number already has an account: the "this is my number" page '
        "(identity check by an agent, who gives the account back to the number's owner).",
    )


class HolderCreated(Schema):
    id: int
    email_confirmation_required: bool


_ADDRESS_FIELDS = {"address_line1": "line1", "address_line2": "line2", "postal_code": "postal_code", "city": "city"}


@router.post(
    "/holders",
    response={201: HolderCreated, **BODY_ERRORS, 400: RegistrationErrors, 429: Errors},
    auth=None,
    summary="Register a holder",
    description=(
        "201 with the new holder's `id`; a code is emailed to confirm the address. When the email already has an "
        "account, the answer is the same (201, an `id` that designates nothing readable) and the account's owner "
        "is told by email: this endpoint never says who uses an email. When the NIR already has an account: 400 "
        'on `nir` ("an account already exists", nothing about it) with `recovery_url`, the page where the '
        "number's owner proves who they are to get the account back; its owner is told by email too. 429 after "
        "too many registrations from one address or for one NIR or email."
    ),
    operation_id="opencpf_api_accounts_register_holder",
)
def register_holder(request, payload: HolderIn):
    address = payload.address or AddressIn()
    form = HolderRegistrationForm(
        data={
            **payload.dict(exclude={"address"}),
            "address_line1": address.line1,
            "address_line2": address.line2,
            "postal_code": address.postal_code,
            "city": address.city,
            "country": (address.country or "").upper(),
        }
    )
    if not form.is_valid():
        errors = field_errors_from_form(form)
        # Report address fields where the client sent them: address.line1, address.postal_code…
        for form_field, api_field in {**_ADDRESS_FIELDS, "country": "country"}.items():
            if form_field in errors:
                errors[f"address.{api_field}"] = errors.pop(form_field)
        raise ApiError(400, errors)
    data = form.holder_data()
    try:
        services.registration_limit_check(data=data, ip=client_ip(request))
    except services.TooManyRegistrations as error:
        raise ApiError(429, str(error))
    registration = situations.holder_register_declaring(
        data=data, password=form.cleaned_data["password"], language=get_language()
    )
    if registration.nir_taken:
        recovery_url = request.build_absolute_uri(reverse("identity:recover"))
        raise ApiError(400, {"nir": [str(services.NIR_TAKEN)]}, recovery_url=recovery_url)
    return Status(201, {"id": registration.holder_id, "email_confirmation_required": True})
