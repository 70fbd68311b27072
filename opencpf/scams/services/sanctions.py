"""The sanctions ladder on organisations (DESIGN §2.6): observation, payments suspended, partial delisting of chosen
offers, full delisting; each with a reason and a date, lifted the same way.

The organisation's status is the highest rung in force, and the ladder is cumulative: from "payments suspended"
up, the payment task holds its payments (`dossiers.services.UNPAYABLE_STATUSES`) until the sanction is lifted.
Delisted offers (`Offer.delisted_at`) and the offers of a delisted organisation leave the public catalogue and the
search index as soon as the transaction commits, and accept no new file."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.accounts import services as accounts
from opencpf.accounts.models import User
from opencpf.catalogue.enums import OrganisationStatus
from opencpf.catalogue.models import Offer, Organisation
from opencpf.catalogue.services import organisation_status_set, search_index_follow
from opencpf.scams.enums import SANCTION_ORDER, SanctionLevel
from opencpf.scams.models import Sanction
from opencpf.scams.services.reports import MAX_DESCRIPTION, ReportError

STATUS_OF_LEVEL = {
    SanctionLevel.OBSERVATION: OrganisationStatus.UNDER_OBSERVATION,
    SanctionLevel.PAYMENTS_SUSPENDED: OrganisationStatus.PAYMENTS_SUSPENDED,
    SanctionLevel.PARTIAL_DELISTING: OrganisationStatus.PARTIALLY_DELISTED,
    SanctionLevel.DELISTED: OrganisationStatus.DELISTED,
}
SANCTION_STATUSES = frozenset(STATUS_OF_LEVEL.values())


def _agent(user: User) -> None:
    if user is None or not user.is_authenticated or not user.is_agent or not user.is_active:
        raise ReportError(_("Only an agent of the Caisse des Dépôts can do this."), status=403, code="forbidden")


def _reason(value: str, field: str = "reason") -> str:
    value = (value or "").replace("\x00", "").strip()
    if not value:
        raise ReportError({field: [_("Give the reason.")]})
    if len(value) > MAX_DESCRIPTION:
        raise ReportError({field: [_("At most %(count)s characters.") % {"count": MAX_DESCRIPTION}]})
    return value


def _organisation(organisation_id: int) -> Organisation:
    organisation = Organisation.objects.select_for_update().filter(pk=organisation_id).first()
    if organisation is None:
        raise ReportError(_("This organisation does not exist."), status=404, code="not_found")
    return organisation


def _sync_status(organisation: Organisation, agent: User, reason: str) -> None:
    levels = set(
        Sanction.objects.filter(organisation=organisation, lifted_at__isnull=True).values_list("level", flat=True)
    )
    highest = max((SANCTION_ORDER.index(SanctionLevel(level)) for level in levels), default=None)
    if highest is not None:
        status = STATUS_OF_LEVEL[SANCTION_ORDER[highest]]
    elif organisation.status in SANCTION_STATUSES:
        status = OrganisationStatus.APPROVED
    else:
        return
    if organisation.status != status:
        organisation_status_set(organisation=organisation, status=status, actor=agent, reason=reason, at_once=True)


@transaction.atomic
def sanction_impose(
    *, organisation_id: int, level: str, reason: str, agent: User, offer_ids=(), ip: str | None = None
) -> Sanction:
    _agent(agent)
    if level not in SanctionLevel.values:
        raise ReportError({"level": [_("Choose a level of the ladder.")]})
    reason = _reason(reason)
    organisation = _organisation(organisation_id)
    offers = []
    if level == SanctionLevel.PARTIAL_DELISTING:
        try:
            ids = sorted({int(i) for i in offer_ids or []})
        except (TypeError, ValueError):
            ids = []
        offers = list(Offer.objects.filter(pk__in=[i for i in ids if 0 < i < 2**62], organisation=organisation))
        if not ids or len(offers) != len(ids):
            raise ReportError({"offer_ids": [_("Choose offers of this organisation.")]})
    now = timezone.now()
    sanction = Sanction.objects.create(
        organisation=organisation, level=level, reason=reason, created_by=agent, started_at=now
    )
    if offers:
        sanction.offers.set(offers)
        Offer.objects.filter(pk__in=[o.pk for o in offers], delisted_at__isnull=True).update(delisted_at=now)
        search_index_follow(offer_ids=[o.pk for o in offers], at_once=True)
    _sync_status(organisation, agent, reason)
    accounts.audit(
        actor=agent,
        action="sanction_imposed",
        target=f"organisation:{organisation.pk}",
        ip=ip,
        level=level,
        reason=reason,
        offers=[o.pk for o in offers],
    )
    return sanction


@transaction.atomic
def sanction_lift(*, sanction_id: int, agent: User, reason: str, ip: str | None = None) -> Sanction:
    _agent(agent)
    reason = _reason(reason)
    sanction = Sanction.objects.select_for_update().filter(pk=sanction_id).first()
    if sanction is None:
        raise ReportError(_("This sanction does not exist."), status=404, code="not_found")
    if sanction.lifted_at is not None:
        raise ReportError(_("This sanction was already lifted."), status=409, code="already_lifted")
    organisation = _organisation(sanction.organisation_id)
    now = timezone.now()
    Sanction.objects.filter(pk=sanction.pk).update(lifted_at=now, lifted_by=agent, lift_reason=reason)
    sanction.refresh_from_db()
    offer_ids = list(sanction.offers.values_list("pk", flat=True))
    if offer_ids:
        still = set(
            Sanction.objects.filter(
                lifted_at__isnull=True, level=SanctionLevel.PARTIAL_DELISTING, offers__in=offer_ids
            ).values_list("offers", flat=True)
        )
        released = [i for i in offer_ids if i not in still]
        Offer.objects.filter(pk__in=released).update(delisted_at=None)
        search_index_follow(offer_ids=released, at_once=True)
    _sync_status(organisation, agent, reason)
    accounts.audit(
        actor=agent,
        action="sanction_lifted",
        target=f"organisation:{organisation.pk}",
        ip=ip,
        level=sanction.level,
        reason=reason,
    )
    return sanction


def sanction_flag(*, organisation_id: int, agent: User, reason: str, ip: str | None = None) -> Sanction | None:
    """A confirmed scam flags the organisation: under observation, unless a sanction is already in force."""
    if Sanction.objects.filter(organisation_id=organisation_id, lifted_at__isnull=True).exists():
        return None
    return sanction_impose(
        organisation_id=organisation_id, level=SanctionLevel.OBSERVATION, reason=reason, agent=agent, ip=ip
    )
