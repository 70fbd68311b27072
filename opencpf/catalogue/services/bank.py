"""The organisation's bank details: where its money goes, so where fraud hits. A change needs the finance manager
role, the password typed again and a fresh second factor (the authenticator's code, or a code by email), is
audited (masked) and told to the organisation's access and finance managers, and holds payments for
`OPENCPF_IBAN_CHANGE_HOLD_DAYS` days (the payment task and the payment service both wait)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError

from opencpf.accounts.enums import CodePurpose
from opencpf.accounts.models import User
from opencpf.accounts.selectors import confirmed_totp_device
from opencpf.accounts.services import CodeError, audit, code_check, code_send, totp_verify
from opencpf.catalogue.enums import OrganisationRole
from opencpf.catalogue.models import Organisation, OrganisationMemberRole
from opencpf.catalogue.selectors import masked_iban, organisation_role_required
from opencpf.utils.emails import send_email


def iban_clean(value: str) -> str:
    """The IBAN in its compact form, its check digits verified (python-stdnum); ValidationError on `iban`."""
    try:
        return stdnum_iban.validate((value or "").replace("\x00", ""))
    except StdnumError:
        raise ValidationError({"iban": [_("This IBAN is not valid: check it against your bank's document.")]})


def bank_details_code_send(*, organisation: Organisation, actor: User) -> None:
    """A code by email, for those without an authenticator app."""
    organisation_role_required(actor, organisation.pk, OrganisationRole.FINANCE_MANAGER)
    code_send(user=actor, purpose=CodePurpose.BANK_DETAILS)


def second_factor_check(actor: User, password: str, code: str) -> None:
    """The password typed again and a fresh code (authenticator app, or else the code sent by email)."""
    # Checked outside any transaction: wrong tries must count even though the change is refused.
    if not actor.check_password(password or ""):
        raise ValidationError({"password": [_("This password is wrong.")]})
    device = confirmed_totp_device(actor)
    if device is not None:
        right, message, _counts = totp_verify(device=device, code=code)
        if not right:
            raise ValidationError({"code": [message]})
        return
    try:
        code_check(user=actor, purpose=CodePurpose.BANK_DETAILS, code=code)
    except CodeError as error:
        raise ValidationError({"code": [str(error)]})


def organisation_iban_set(
    *, organisation: Organisation, actor: User, iban: str, password: str, code: str, ip: str | None = None
) -> Organisation:
    organisation_role_required(actor, organisation.pk, OrganisationRole.FINANCE_MANAGER)
    iban = iban_clean(iban)
    second_factor_check(actor, password, code)
    with transaction.atomic():
        return iban_apply(organisation_id=organisation.pk, iban=iban, actor=actor, ip=ip)


def managers_emails(organisation: Organisation) -> list[str]:
    """The people told of a change of bank details: the access and finance managers (not the keys' accounts)."""
    return sorted(
        set(
            OrganisationMemberRole.objects.filter(
                member__organisation=organisation,
                role__in=[OrganisationRole.ACCESS_MANAGER, OrganisationRole.FINANCE_MANAGER],
                member__user__is_active=True,
            )
            .exclude(member__user__organisation_api_key__isnull=False)
            .values_list("member__user__email", flat=True)
        )
    )


def iban_apply(*, organisation_id: int, iban: str, actor: User, ip: str | None = None, **details) -> Organisation:
    """The change itself, once its checks passed (inside the caller's transaction): the IBAN, the start of the
    payment hold, the audit (masked) and the managers' emails. The one place an IBAN changes."""
    locked = Organisation.objects.select_for_update().get(pk=organisation_id)
    previous = locked.iban
    if previous == iban:
        return locked
    locked.iban, locked.iban_changed_at = iban, timezone.now()
    locked.save(update_fields=["iban", "iban_changed_at", "updated_at"])
    audit(
        actor=actor,
        action="organisation_iban_changed",
        target=f"organisation:{locked.pk}",
        ip=ip,
        previous=masked_iban(previous),
        iban=masked_iban(iban),
        **details,
    )
    context = {
        "organisation": locked.name,
        "iban": masked_iban(iban),
        "by": str(actor),
        "when": locked.iban_changed_at,
    }
    for email in managers_emails(locked):
        transaction.on_commit(
            lambda email=email: send_email(
                to=email, template_prefix="emails/organisation_iban_changed", context=context, language="fr"
            )
        )
    return locked
