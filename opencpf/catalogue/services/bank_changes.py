"""Bank details changed through the API. A key lives in the organisation's software: if that software is broken
into, the key must not be enough to send the money elsewhere. So the API only asks: the change waits, changes
nothing, and is told to the access and finance managers; a person of the organisation, finance manager, confirms it
in the space with the password and a fresh second factor, as for a change made there (opencpf.catalogue.services.
bank), and never the caller who asked. Then the IBAN changes and payments wait, as on the web; or a manager rejects
it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.accounts.models import User
from opencpf.accounts.services import audit
from opencpf.catalogue.enums import BankChangeState, OrganisationRole
from opencpf.catalogue.models import BankDetailsChange, Organisation
from opencpf.catalogue.selectors import has_organisation_role, masked_iban, organisation_role_required
from opencpf.catalogue.services.bank import iban_apply, iban_clean, managers_emails, second_factor_check
from opencpf.utils.emails import send_email


class BankChangeConflict(Exception):
    """A change already waits, or this one was already decided (answered 409 with `code`)."""

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


def _already_pending() -> BankChangeConflict:
    return BankChangeConflict(
        "bank_change_pending",
        _("A change of bank details already waits for confirmation: it must be confirmed or rejected first."),
    )


def bank_change_request(
    *, organisation: Organisation, actor: User, iban: str, ip: str | None = None
) -> BankDetailsChange:
    organisation_role_required(actor, organisation.pk, OrganisationRole.FINANCE_MANAGER)
    iban = iban_clean(iban)
    try:
        with transaction.atomic():
            locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
            if locked.iban == iban:
                raise ValidationError({"iban": [_("This is already your organisation's IBAN.")]})
            if BankDetailsChange.objects.filter(organisation=locked, state=BankChangeState.PENDING).exists():
                raise _already_pending()
            change = BankDetailsChange.objects.create(organisation=locked, iban=iban, requested_by=actor)
            audit(
                actor=actor,
                action="organisation_iban_change_requested",
                target=f"organisation:{locked.pk}",
                ip=ip,
                change=change.pk,
                iban=masked_iban(iban),
            )
            context = {"organisation": locked.name, "iban": masked_iban(iban), "by": str(actor)}
            for email in managers_emails(locked):
                transaction.on_commit(
                    lambda email=email: send_email(
                        to=email,
                        template_prefix="emails/organisation_iban_change_requested",
                        context=context,
                        language="fr",
                    )
                )
    except IntegrityError:  # another request won the race for the one waiting place
        raise _already_pending()
    return change


def _pending(change_id: int, organisation: Organisation) -> BankDetailsChange:
    change = (
        BankDetailsChange.objects.select_for_update()
        .select_related("requested_by")
        .filter(pk=change_id, organisation=organisation)
        .first()
    )
    if change is None:
        raise BankDetailsChange.DoesNotExist
    if change.state != BankChangeState.PENDING:
        raise BankChangeConflict("bank_change_decided", _("This change of bank details was already decided."))
    return change


def _not_the_requester(requested_by_id: int | None, actor: User) -> None:
    if requested_by_id == actor.pk:
        raise PermissionDenied(_("Another person of your organisation must confirm the change you asked for."))


def bank_change_confirm(
    *, change_id: int, organisation: Organisation, actor: User, password: str, code: str, ip: str | None = None
) -> Organisation:
    organisation_role_required(actor, organisation.pk, OrganisationRole.FINANCE_MANAGER)
    # Before the second factor, so that the requester's code is not spent in vain.
    _not_the_requester(
        BankDetailsChange.objects.filter(pk=change_id).values_list("requested_by", flat=True).first(), actor
    )
    second_factor_check(actor, password, code)  # outside the transaction: wrong tries count
    with transaction.atomic():
        change = _pending(change_id, organisation)
        _not_the_requester(change.requested_by_id, actor)
        change.state, change.decided_by, change.decided_at = BankChangeState.CONFIRMED, actor, timezone.now()
        change.save(update_fields=["state", "decided_by", "decided_at"])
        return iban_apply(
            organisation_id=organisation.pk,
            iban=change.iban,
            actor=actor,
            ip=ip,
            change=change.pk,
            requested_by=str(change.requested_by),
        )


def bank_change_reject(
    *, change_id: int, organisation: Organisation, actor: User, ip: str | None = None
) -> BankDetailsChange:
    """Either manager told of the change may stop it: rejecting moves no money."""
    managers = (OrganisationRole.FINANCE_MANAGER, OrganisationRole.ACCESS_MANAGER)
    if not any(has_organisation_role(actor, organisation.pk, role) for role in managers):
        raise PermissionDenied(_("Only a finance or access manager of the organisation may reject this change."))
    with transaction.atomic():
        change = _pending(change_id, organisation)
        _not_the_requester(change.requested_by_id, actor)
        change.state, change.decided_by, change.decided_at = BankChangeState.REJECTED, actor, timezone.now()
        change.save(update_fields=["state", "decided_by", "decided_at"])
        audit(
            actor=actor,
            action="organisation_iban_change_rejected",
            target=f"organisation:{organisation.pk}",
            ip=ip,
            change=change.pk,
            iban=masked_iban(change.iban),
        )
    return change
