"""A holder's own details: editable fields, language, a new email address or phone number."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.accounts.enums import CodePurpose
from opencpf.accounts.models import Holder, User
from opencpf.accounts.services.codes import CodeError, code_check, code_send
from opencpf.accounts.services.core import audit, notify

# --- "My information" ----------------------------------------------------------------------------------------

HOLDER_EDITABLE_FIELDS = (
    "address_line1",
    "address_line2",
    "postal_code",
    "city",
    "country",
    "status",
    "low_qualified",
    "disabled_worker",
)


@transaction.atomic
def holder_update(*, holder: Holder, changes: dict, ip: str | None = None) -> list[str]:
    """Apply the editable fields (never the NIR nor the birth identity); returns the names of changed fields."""
    changed = [
        field for field in HOLDER_EDITABLE_FIELDS if field in changes and getattr(holder, field) != changes[field]
    ]
    for field in changed:
        setattr(holder, field, changes[field])
    if changed:
        holder.full_clean(exclude=["user", "nir", "phone"])
        holder.save(update_fields=[*changed, "updated_at"])
        audit(actor=holder.user, action="holder_updated", target=f"holder:{holder.pk}", ip=ip, fields=changed)
    return changed


def user_language_set(*, user: User, language: str) -> None:
    if language in {code for code, _name in settings.LANGUAGES} and language != user.language:
        user.language = language
        user.save(update_fields=["language"])


class WrongPassword(Exception):
    """The current password given to confirm a sensitive change is wrong."""


@transaction.atomic
def email_change_request(*, user: User, new_email: str, password: str) -> None:
    """Send a code to the NEW address; the account keeps the old one until the code comes back. The current
    password is asked first: an open session alone (a borrowed or stolen one) must not move the account away."""
    if not user.check_password(password or ""):
        raise WrongPassword(_("This password is wrong."))
    code_send(user=user, purpose=CodePurpose.CHANGE_EMAIL, payload=new_email.strip().lower())


@transaction.atomic
def email_change_resend(*, user: User, pending_email: str) -> None:
    """A new code for the change already asked (and authorised by the password then)."""
    code_send(user=user, purpose=CodePurpose.CHANGE_EMAIL, payload=pending_email)


def email_change_confirm(*, user: User, code: str, ip: str | None = None) -> str:
    used = code_check(user=user, purpose=CodePurpose.CHANGE_EMAIL, code=code)
    new_email, old_email = used.payload, user.email
    taken = _("An account already uses this email address.")
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        raise CodeError(taken)
    try:
        with transaction.atomic():
            user.email = new_email
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email", "email_verified_at"])
            audit(actor=user, action="email_changed", target=f"user:{user.pk}", ip=ip)
            # The old address hears about it: if this was not the holder, they can react.
            notify(
                user=user,
                to=old_email,
                template_prefix="emails/email_changed",
                context={"new_email": new_email, "when": timezone.now()},
            )
    except IntegrityError:  # someone took the address in the meantime
        user.email = old_email
        raise CodeError(taken)
    return new_email


@transaction.atomic
def phone_change_request(*, holder: Holder, new_phone: str) -> None:
    """Send a code by SMS to the NEW number; the holder keeps the old one until the code comes back."""
    code_send(user=holder.user, purpose=CodePurpose.CHANGE_PHONE, payload=new_phone)


def phone_change_confirm(*, holder: Holder, code: str, ip: str | None = None) -> str:
    used = code_check(user=holder.user, purpose=CodePurpose.CHANGE_PHONE, code=code)
    with transaction.atomic():
        holder.phone = used.payload
        holder.phone_verified_at = timezone.now()
        holder.save(update_fields=["phone", "phone_verified_at", "updated_at"])
        audit(actor=holder.user, action="phone_changed", target=f"holder:{holder.pk}", ip=ip)
    return holder.phone
