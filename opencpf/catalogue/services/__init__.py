"""Everything that writes the catalogue. Each write that changes what search shows marks the offers
(`search_changed_at`) and, once the transaction commits, enqueues the task that updates the search index."""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.accounts.models import User
from opencpf.accounts.services import audit
from opencpf.catalogue.enums import Modality, OrganisationStatus
from opencpf.catalogue.models import Certification, Offer, Organisation, Session
from opencpf.places.selectors import place_for, places_for_postal_code

CENT = Decimal("0.01")


def search_index_follow(*, offer_ids=(), organisation_ids=(), at_once: bool = False) -> None:
    """Mark offers as changed for search and update the index once the current transaction commits: by a background
    task, or `at_once` in this process (a sanction: the offers leave this server's search before the answer; other
    servers catch up through `sync`)."""
    offer_ids = sorted({int(i) for i in offer_ids})
    organisation_ids = sorted({int(i) for i in organisation_ids})
    if not offer_ids and not organisation_ids:
        return
    now = timezone.now()
    if offer_ids:
        Offer.objects.filter(id__in=offer_ids).update(search_changed_at=now)
    if organisation_ids:
        Offer.objects.filter(organisation_id__in=organisation_ids).update(search_changed_at=now)

    def enqueue():
        from opencpf.catalogue.tasks import search_index_update_task

        search_index_update_task.enqueue(offer_ids=offer_ids, organisation_ids=organisation_ids)

    def now_here():
        from opencpf.catalogue import search_index

        search_index.update(offer_ids=offer_ids, organisation_ids=organisation_ids)

    transaction.on_commit(now_here if at_once else enqueue)


# Organisations -------------------------------------------------------------------------------------------------


@transaction.atomic
def organisation_status_set(
    *,
    organisation: Organisation,
    status: OrganisationStatus,
    actor: User | None = None,
    reason: str = "",
    at_once: bool = False,
    ip: str | None = None,
) -> Organisation:
    """Approve, observe, suspend payments, delist…: the organisation's offers leave or join search at once."""
    if status not in OrganisationStatus.values:
        raise ValidationError({"status": [_("Unknown status.")]})
    previous = organisation.status
    organisation.status = status
    organisation.status_changed_at = timezone.now()
    organisation.save(update_fields=["status", "status_changed_at", "updated_at"])
    audit(
        actor=actor,
        action="organisation_status_changed",
        target=f"organisation:{organisation.pk}",
        ip=ip,
        previous=previous,
        status=str(status),
        reason=reason,
    )
    search_index_follow(organisation_ids=[organisation.pk], at_once=at_once)
    return organisation


MAX_QUALIOPI_CERTIFICATE = 100


@transaction.atomic
def organisation_approve(
    *,
    organisation_id: int,
    agent: User,
    qualiopi_certificate: str,
    qualiopi_expires_on: datetime.date,
    ip: str | None = None,
) -> Organisation:
    """An agent lists an organisation pending approval (after an import, say), with its Qualiopi certificate and
    expiry: its offers join search at once. Audited (organisation_status_changed, with the certificate)."""
    if agent is None or not agent.is_authenticated or not agent.is_active or not agent.is_agent:
        raise PermissionDenied(_("Only an agent of the Caisse des Dépôts can do this."))
    organisation = Organisation.objects.select_for_update().filter(pk=organisation_id).first()
    if organisation is None:
        raise Organisation.DoesNotExist
    errors = {}
    if organisation.status != OrganisationStatus.PENDING:
        errors["status"] = [_("Only an organisation pending approval can be approved.")]
    certificate = (qualiopi_certificate or "").replace("\x00", "").strip()
    if not certificate or len(certificate) > MAX_QUALIOPI_CERTIFICATE:
        errors["qualiopi_certificate"] = [
            _("Enter the Qualiopi certificate number (at most %(count)s characters).")
            % {"count": MAX_QUALIOPI_CERTIFICATE}
        ]
    if qualiopi_expires_on is None or qualiopi_expires_on <= timezone.localdate():
        errors["qualiopi_expires_on"] = [_("The Qualiopi certificate must be valid after today.")]
    if errors:
        raise ValidationError(errors)
    organisation.qualiopi_certificate = certificate
    organisation.qualiopi_expires_on = qualiopi_expires_on
    organisation.save(update_fields=["qualiopi_certificate", "qualiopi_expires_on", "updated_at"])
    return organisation_status_set(
        organisation=organisation,
        status=OrganisationStatus.APPROVED,
        actor=agent,
        reason=f"approved, Qualiopi {certificate} until {qualiopi_expires_on.isoformat()}",
        at_once=True,
        ip=ip,
    )


# Offers --------------------------------------------------------------------------------------------------------

_OFFER_FIELDS = {
    "certification",
    "external_number",
    "title",
    "summary",
    "objectives",
    "prerequisites",
    "programme",
    "expected_results",
    "price",
    "hours",
    "modality",
    "is_active",
}


def _clean_offer_fields(fields: dict) -> dict:
    errors = {}
    if "title" in fields:
        fields["title"] = (fields["title"] or "").strip()
        if not fields["title"]:
            errors["title"] = [_("Enter a title.")]
    if "price" in fields:
        try:
            fields["price"] = Decimal(str(fields["price"])).quantize(CENT, rounding=ROUND_HALF_UP)
            if fields["price"] < 0 or fields["price"] >= Decimal("100000000"):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors["price"] = [_("Enter a price in euros, 0 or more.")]
    if "hours" in fields:
        try:
            fields["hours"] = Decimal(str(fields["hours"])).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            if fields["hours"] <= 0 or fields["hours"] >= Decimal("1000000"):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors["hours"] = [_("Enter a duration in hours, more than 0.")]
    if "modality" in fields and fields["modality"] not in Modality.values:
        errors["modality"] = [_("Choose on site, remote or mixed.")]
    if errors:
        raise ValidationError(errors)
    return fields


@transaction.atomic
def offer_create(
    *,
    organisation: Organisation,
    certification: Certification,
    title: str,
    price: Decimal,
    hours: Decimal,
    modality: Modality = Modality.ON_SITE,
    **fields,
) -> Offer:
    unknown = set(fields) - _OFFER_FIELDS
    if unknown:
        raise TypeError(f"unknown offer fields: {sorted(unknown)}")
    fields = _clean_offer_fields({"title": title, "price": price, "hours": hours, "modality": modality, **fields})
    offer = Offer.objects.create(organisation=organisation, certification=certification, **fields)
    search_index_follow(offer_ids=[offer.pk])
    return offer


@transaction.atomic
def offer_update(*, offer: Offer, **fields) -> Offer:
    unknown = set(fields) - _OFFER_FIELDS
    if unknown:
        raise TypeError(f"unknown offer fields: {sorted(unknown)}")
    fields = _clean_offer_fields(fields)
    for name, value in fields.items():
        setattr(offer, name, value)
    offer.save()
    search_index_follow(offer_ids=[offer.pk])
    return offer


@transaction.atomic
def offer_rating_update(
    *, offer: Offer, average: Decimal | None, count: int, details: dict[str, Decimal] | None = None
) -> Offer:
    """Store the aggregates of the holders' evaluations (computed by the training files' area) and show them."""
    if count < 0 or (count == 0) != (average is None):
        raise ValidationError({"rating": [_("An average needs at least one rating, and one rating an average.")]})
    if average is not None:
        average = Decimal(str(average)).quantize(CENT, rounding=ROUND_HALF_UP)
        if not Decimal(1) <= average <= Decimal(5):
            raise ValidationError({"rating": [_("Ratings go from 1 to 5.")]})
    offer.rating_average = average
    offer.rating_count = count
    if details is not None:
        offer.rating_details = {
            name: str(Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)) for name, value in details.items()
        }
    offer.save(update_fields=["rating_average", "rating_count", "rating_details", "updated_at"])
    search_index_follow(offer_ids=[offer.pk])
    return offer


# Sessions ------------------------------------------------------------------------------------------------------


def _session_place(*, is_remote: bool, postal_code: str, city: str) -> dict:
    if is_remote:
        return {
            "is_remote": True,
            "postal_code": "",
            "city": "",
            "insee_code": "",
            "latitude": None,
            "longitude": None,
        }
    postal_code = (postal_code or "").strip().replace(" ", "")
    if not places_for_postal_code(postal_code):
        raise ValidationError({"postal_code": [_("Unknown postal code.")]})
    place = place_for(postal_code, city)
    if place is None:
        raise ValidationError({"city": [_("This city does not match the postal code.")]})
    return {
        "is_remote": False,
        "postal_code": place.postal_code,
        "city": place.name,
        "insee_code": place.insee,
        "latitude": place.latitude,
        "longitude": place.longitude,
    }


def _check_dates(start_date: datetime.date, end_date: datetime.date) -> None:
    if end_date < start_date:
        raise ValidationError({"end_date": [_("The session cannot end before it starts.")]})


@transaction.atomic
def session_create(
    *,
    offer: Offer,
    start_date: datetime.date,
    end_date: datetime.date,
    is_remote: bool = False,
    postal_code: str = "",
    city: str = "",
    seats: int | None = None,
) -> Session:
    _check_dates(start_date, end_date)
    if seats is not None and seats < 1:
        raise ValidationError({"seats": [_("Enter at least one seat, or leave empty for no limit.")]})
    session = Session.objects.create(
        offer=offer,
        start_date=start_date,
        end_date=end_date,
        seats=seats,
        **_session_place(is_remote=is_remote, postal_code=postal_code, city=city),
    )
    search_index_follow(offer_ids=[offer.pk])
    return session


@transaction.atomic
def session_update(*, session: Session, **fields) -> Session:
    allowed = {"start_date", "end_date", "is_remote", "postal_code", "city", "seats", "is_active"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    if {"is_remote", "postal_code", "city"} & set(fields):
        fields.update(
            _session_place(
                is_remote=fields.pop("is_remote", session.is_remote),
                postal_code=fields.pop("postal_code", session.postal_code),
                city=fields.pop("city", session.city),
            )
        )
    for name, value in fields.items():
        setattr(session, name, value)
    _check_dates(session.start_date, session.end_date)
    session.save()
    search_index_follow(offer_ids=[session.offer_id])
    return session
