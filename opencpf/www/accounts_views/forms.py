from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from opencpf.accounts import services
from opencpf.accounts.forms import AccountEmailField, HolderIdentityFields, HolderRegistrationForm
from opencpf.accounts.models import User
from opencpf.accounts.tasks import TOKEN_PLACEHOLDER, UID_PLACEHOLDER, password_reset_task
from opencpf.utils.client import client_ip
from opencpf.utils.dates import validate_birth_date


class SignInForm(DsfrBaseForm):
    username = forms.CharField(
        label=_("Social security number or email"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class CodeForm(DsfrBaseForm):
    code = forms.RegexField(
        label=_("6-digit code"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("The code has 6 digits.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": "6"}),
    )


class PasswordConfirmForm(DsfrBaseForm):
    """Re-authentication before a sensitive change."""

    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This password is wrong."), code="password_incorrect")
        return password


class PasswordChangeForm(DsfrBaseForm, auth_forms.PasswordChangeForm):
    """Django's checks (old password, two identical new ones, validators); the view saves through the service."""


class PasswordResetForm(DsfrBaseForm, auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label=_("Email address of your account"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def save(self, request=None, **kwargs):
        """Same answer, in the same time, whether or not an account uses this address: the look-up and the email
        happen in a background task."""
        path = reverse(
            "accounts:password_reset_confirm", kwargs={"uidb64": UID_PLACEHOLDER, "token": TOKEN_PLACEHOLDER}
        )
        password_reset_task.enqueue(
            email=self.cleaned_data["email"], url_template=request.build_absolute_uri(path), ip=client_ip(request)
        )


class SetPasswordForm(DsfrBaseForm, auth_forms.SetPasswordForm):
    pass


class InformationForm(DsfrBaseForm, HolderIdentityFields):
    """ "My information": contact, address, situation; a new email or phone waits for its code."""

    email = AccountEmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("If you change it, we send a code to the new address; the old one is kept until you enter it."),
    )
    current_password = forms.CharField(
        label=_("Your current password (only to change the email address)"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    language = forms.ChoiceField(label=_("Language of our emails"), choices=settings.LANGUAGES)

    field_order = [
        "email",
        "current_password",
        "phone",
        "address_line1",
        "address_line2",
        "postal_code",
        "city",
        "country",
    ]

    def __init__(self, user, *args, **kwargs):
        self.user = user
        self.holder = getattr(user, "holder", None) if user.is_holder else None
        super().__init__(*args, **kwargs)
        self.fields["phone"].help_text = _(
            "If you change it, we send a code by SMS to the new number; the old one is kept until you enter it."
        )
        self._bound_fields_cache.pop("phone", None)  # DsfrBaseForm already built it with the old help text
        if self.holder is None:  # staff and agents only have an email and a language
            for name in [*HolderIdentityFields.base_fields]:
                del self.fields[name]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email != self.user.email and User.objects.filter(email__iexact=email).exclude(pk=self.user.pk).exists():
            raise forms.ValidationError(_("An account already uses this email address."), code="email_taken")
        return email

    def clean(self):
        cleaned = super().clean()
        # Whoever has an open session must not be able to move the account to their own mailbox.
        email = cleaned.get("email")
        if email and email != self.user.email:
            password = cleaned.get("current_password") or ""
            if not password:
                self.add_error("current_password", _("Enter your current password to change the email address."))
            elif not self.user.check_password(password):
                self.add_error(
                    "current_password", forms.ValidationError(_("This password is wrong."), code="password_incorrect")
                )
        return cleaned

    def holder_changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in services.HOLDER_EDITABLE_FIELDS if name in self.cleaned_data}


class BirthDateWidget(forms.MultiWidget):
    """Day, month and year in three boxes, as the DSFR recommends for a known date (a birth date): no calendar to
    scroll back decades. Gives the date field an ISO string; an incomplete or impossible date stays invalid."""

    def __init__(self):
        numeric = {"inputmode": "numeric", "class": "fr-input"}
        super().__init__(
            widgets={
                "day": forms.TextInput(attrs={**numeric, "maxlength": 2, "autocomplete": "bday-day"}),
                "month": forms.TextInput(attrs={**numeric, "maxlength": 2, "autocomplete": "bday-month"}),
                "year": forms.TextInput(attrs={**numeric, "maxlength": 4, "autocomplete": "bday-year"}),
            }
        )

    def decompress(self, value):
        if hasattr(value, "year"):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        day, month, year = (str(part or "").strip() for part in super().value_from_datadict(data, files, name))
        if not (day or month or year):
            return ""
        if day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4:
            return f"{year}-{int(month):02d}-{int(day):02d}"
        return f"{year}-{month}-{day}"  # not a date: the field says "Enter a valid date."


class HolderRegistrationWebForm(HolderRegistrationForm):
    """The registration form of the web pages: the same checks as the API (HolderRegistrationForm), with the birth
    date typed in three boxes and the fields grouped in the template (identity, contact, situation, password)."""

    birth_date = forms.DateField(
        label=_("Birth date"),
        help_text=_("For example: 14 12 1984"),
        widget=BirthDateWidget(),
        validators=[validate_birth_date],
    )

    IDENTITY = ("nir", "last_name", "first_names")
    CONTACT = ("email", "phone", "address_line1", "address_line2", "postal_code", "city", "country")
    SITUATION = ("status", "low_qualified", "disabled_worker")

    def birth_date_parts(self) -> dict[str, str]:
        """What was typed in the three boxes, to show it again next to the error."""
        if not self.is_bound:
            return {"day": "", "month": "", "year": ""}
        prefix = self.add_prefix("birth_date")
        return {part: self.data.get(f"{prefix}_{part}", "")[:4] for part in ("day", "month", "year")}

    def groups(self):
        return {
            name: [self[field] for field in fields]
            for name, fields in (("identity", self.IDENTITY), ("contact", self.CONTACT), ("situation", self.SITUATION))
        }

    def error_summary(self) -> list[dict[str, str]]:
        """One entry per field in error, in the page's order, leading to it: the DSFR error summary."""
        summary = [{"id": "", "label": "", "message": str(message)} for message in self.non_field_errors()]
        for field in self:
            if field.errors:
                target = f"{field.auto_id}_day" if field.name == "birth_date" else field.auto_id
                summary.append({"id": target, "label": str(field.label), "message": " ".join(field.errors)})
        return summary
