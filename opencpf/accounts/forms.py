"""Validation of a holder's registration, shared by the web form and the JSON API (same messages)."""

import datetime

import phonenumbers
from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from dsfr.forms import DsfrBaseForm

from opencpf.accounts.enums import HolderStatus
from opencpf.accounts.models import User
from opencpf.accounts.nir import validate_nir
from opencpf.accounts.services import HolderData
from opencpf.accounts.validators import validate_email_scripts
from opencpf.utils.dates import validate_birth_date
from opencpf.utils.fields import NameField
from opencpf.utils.legal import legal_text_lazy

MINIMUM_AGE = 16  # CPF accounts open at 16 (15 for apprentices, who register through their school)
PRIORITY_HELP = legal_text_lazy(
    _("Your yearly credit is then %(priority)s instead of %(annual)s."),
    priority="rights/annual_amount_priority",
    annual="rights/annual_amount",
)


def normalize_phone(value: str, country: str) -> str:
    """E.164 form of a French or international number; raises ValidationError if it cannot be a real number."""
    try:
        number = phonenumbers.parse(value, country or "FR")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Enter a valid phone number (French, or international starting with +)."), code="phone_invalid"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class AccountEmailField(forms.EmailField):
    """An account's email address: lower case, and no look-alike mixing alphabets (see validate_email_scripts)."""

    default_validators = [*forms.EmailField.default_validators, validate_email_scripts]

    def to_python(self, value):
        return super().to_python(value).strip().lower()


def _anniversary(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # born on 29 February
        return day.replace(year=day.year + years, day=28)


class HolderIdentityFields(forms.Form):
    """Contact and address fields, also used on "My information"."""

    phone = forms.CharField(label=_("Phone"), max_length=32, help_text=_("Abroad: start with + and the country code"))
    address_line1 = forms.CharField(label=_("Address"), max_length=200)
    address_line2 = forms.CharField(label=_("Address (continued)"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=16)
    city = forms.CharField(label=_("City"), max_length=120)
    country = forms.ChoiceField(label=_("Country"), choices=lambda: list(countries), initial="FR")
    status = forms.ChoiceField(label=_("Your situation"), choices=HolderStatus.choices)
    low_qualified = forms.BooleanField(
        label=_("I hold no certification of level 3 (CAP, BEP) or above"),
        required=False,
        help_text=PRIORITY_HELP,
    )
    disabled_worker = forms.BooleanField(
        label=_("I am a disabled worker (BOETH)"),
        required=False,
        help_text=PRIORITY_HELP,
    )

    def clean(self):
        cleaned = super().clean()
        country = cleaned.get("country") or "FR"
        postal_code = (cleaned.get("postal_code") or "").strip()
        if country == "FR" and postal_code and not (len(postal_code) == 5 and postal_code.isdigit()):
            self.add_error("postal_code", _("A French postal code has 5 digits."))
        if phone := cleaned.get("phone"):
            try:
                cleaned["phone"] = normalize_phone(phone, country)
            except ValidationError as error:
                self.add_error("phone", error)
        return cleaned


class HolderRegistrationForm(DsfrBaseForm, HolderIdentityFields):
    nir = forms.CharField(
        label=_("Social security number"),
        max_length=21,
        help_text=_("15 characters, on your carte Vitale: 13 digits and a 2-digit key"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}),
    )
    last_name = NameField(label=_("Birth name"), max_length=150)
    first_names = NameField(label=_("First names"), max_length=200, help_text=_("In the order of your civil status"))
    birth_date = forms.DateField(
        label=_("Birth date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_birth_date],
    )
    email = AccountEmailField(label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters with a lower-case letter, an upper-case letter, a digit and a symbol."),
    )

    field_order = ["nir", "last_name", "first_names", "birth_date", "email", "phone", "address_line1"]

    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        if birth_date > today:
            raise ValidationError(_("The birth date cannot be in the future."), code="birth_date_future")
        if _anniversary(birth_date, MINIMUM_AGE) > today:
            raise ValidationError(
                _("A training account opens at %(age)s.") % {"age": MINIMUM_AGE}, code="birth_date_too_young"
            )
        if birth_date.year < today.year - 120:
            raise ValidationError(_("Check the birth date."), code="birth_date_too_old")
        return birth_date

    def clean(self):
        cleaned = super().clean()
        if raw_nir := cleaned.get("nir"):
            try:
                nir = validate_nir(raw_nir, cleaned.get("birth_date"))
            except ValidationError as error:
                self.add_error("nir", error)
            else:
                # Whether an account already uses this NIR or email is never said here: see
                # services.holder_register_or_notify.
                cleaned["nir"] = nir
        if password := cleaned.get("password"):
            probe = User(email=cleaned.get("email") or "", display_name=cleaned.get("last_name") or "")
            try:
                password_validation.validate_password(password, probe)
            except ValidationError as error:
                self.add_error("password", error)
        return cleaned

    def holder_data(self) -> HolderData:
        data = self.cleaned_data
        return HolderData(
            nir=data["nir"],
            last_name=data["last_name"].strip(),
            first_names=data["first_names"].strip(),
            birth_date=data["birth_date"],
            email=data["email"],
            phone=data["phone"],
            address_line1=data["address_line1"].strip(),
            address_line2=(data.get("address_line2") or "").strip(),
            postal_code=data["postal_code"].strip(),
            city=data["city"].strip(),
            country=data["country"],
            status=HolderStatus(data["status"]),
            low_qualified=bool(data.get("low_qualified")),
            disabled_worker=bool(data.get("disabled_worker")),
        )
