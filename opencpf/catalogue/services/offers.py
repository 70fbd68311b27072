"""The organisation manages its catalogue: one service per action, each checking the actor's role (catalogue
manager) and the rules, audited, and followed by search (`search_index_follow`, within seconds by the task).

Rules checked here, on top of the plain writes of `offer_writes` and `session_writes` (title, price, hours, modality,
places):
- price above 0 with at most two decimals; hours above 0 with at most one decimal;
- the certification is active;
- a session does not start in the past, starts no earlier than its certification's registration and ends no later
  than it, ends on or after its start; seats 1 or more, or empty (no limit);
- a remote offer has remote sessions only, an on-site offer on-site sessions only (mixed: both)."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.accounts.models import User
from opencpf.accounts.services import audit
from opencpf.catalogue.enums import Modality, OrganisationRole
from opencpf.catalogue.models import Certification, Offer, Organisation, Session
from opencpf.catalogue.selectors import organisation_role_required
from opencpf.catalogue.services import offer_writes, session_writes
from opencpf.utils.formatting import long_date

EDITABLE_OFFER_FIELDS = frozenset(
    {"title", "summary", "objectives", "prerequisites", "programme", "expected_results", "price", "hours", "modality"}
)
EDITABLE_SESSION_FIELDS = frozenset({"start_date", "end_date", "is_remote", "postal_code", "city", "seats"})
MAX_TEXT = 20_000


def _decimal(value, *, field: str, places: int, message: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: [message]})
    if not number.is_finite() or number <= 0 or number.as_tuple().exponent < -places:
        raise ValidationError({field: [message]})
    return number


def _check_offer_values(values: dict) -> dict:
    errors = {}
    if "price" in values:
        try:
            values["price"] = _decimal(
                values["price"], field="price", places=2, message=_("Enter a price above 0, with at most 2 decimals.")
            )
        except ValidationError as error:
            errors.update(error.message_dict)
    if "hours" in values:
        try:
            values["hours"] = _decimal(
                values["hours"], field="hours", places=1, message=_("Enter hours above 0, with at most 1 decimal.")
            )
        except ValidationError as error:
            errors.update(error.message_dict)
    for name in EDITABLE_OFFER_FIELDS - {"price", "hours", "modality"}:
        if name in values:
            values[name] = (values[name] or "").replace("\x00", "").strip()
            if len(values[name]) > (300 if name == "title" else MAX_TEXT):
                errors[name] = [_("This text is too long.")]
    if errors:
        raise ValidationError(errors)
    return values


def _certification(certification_code: str) -> Certification:
    certification = Certification.objects.filter(code=(certification_code or "").strip().upper()).first()
    if certification is None or not certification.is_active:
        raise ValidationError({"certification": [_("Unknown or inactive certification code.")]})
    return certification


def _offer_for(actor: User, offer_id: int, *, lock: bool = True) -> Offer:
    offers = Offer.objects.select_related("organisation", "certification")
    offer = (offers.select_for_update(of=("self",)) if lock else offers).filter(pk=offer_id).first()
    if offer is None:
        raise Offer.DoesNotExist
    organisation_role_required(actor, offer.organisation_id, OrganisationRole.CATALOGUE_MANAGER)
    return offer


def _audit(actor: User, action: str, offer: Offer, ip: str | None, **details) -> None:
    audit(actor=actor, action=action, target=f"offer:{offer.pk}", ip=ip, organisation=offer.organisation_id, **details)


@transaction.atomic
def offer_create(
    *,
    actor: User,
    organisation: Organisation,
    certification_code: str,
    title: str,
    price,
    hours,
    modality: str = Modality.ON_SITE,
    external_number: str = "",
    ip: str | None = None,
    **texts,
) -> Offer:
    """A new offer, unpublished until `offer_publish` (it can be prepared with its sessions first)."""
    organisation_role_required(actor, organisation.pk, OrganisationRole.CATALOGUE_MANAGER)
    unknown = set(texts) - EDITABLE_OFFER_FIELDS
    if unknown:
        raise TypeError(f"unknown offer fields: {sorted(unknown)}")
    values = _check_offer_values({"title": title, "price": price, "hours": hours, **texts})
    certification = _certification(certification_code)
    external_number = (external_number or "").replace("\x00", "").strip()
    if len(external_number) > 64:
        raise ValidationError({"external_number": [_("At most 64 characters.")]})
    if external_number and Offer.objects.filter(organisation=organisation, external_number=external_number).exists():
        raise ValidationError({"external_number": [_("Another offer of the organisation has this number.")]})
    offer = offer_writes.offer_create(
        organisation=organisation,
        certification=certification,
        modality=modality,
        external_number=external_number,
        is_active=False,
        **values,
    )
    _audit(actor, "offer_created", offer, ip, title=offer.title, price=str(offer.price))
    return offer


@transaction.atomic
def offer_update(*, actor: User, offer_id: int, ip: str | None = None, **fields) -> Offer:
    offer = _offer_for(actor, offer_id)
    certification_code = fields.pop("certification_code", None)
    unknown = set(fields) - EDITABLE_OFFER_FIELDS
    if unknown:
        raise TypeError(f"unknown offer fields: {sorted(unknown)}")
    values = _check_offer_values(dict(fields))
    if certification_code is not None:
        values["certification"] = _certification(certification_code)
    if "modality" in values:
        _check_sessions_fit_modality(offer, values["modality"])
    before = {name: str(getattr(offer, name)) for name in values}
    offer = offer_writes.offer_update(offer=offer, **values)
    _audit(actor, "offer_updated", offer, ip, before=before, after={k: str(getattr(offer, k)) for k in values})
    return offer


@transaction.atomic
def offer_publish(*, actor: User, offer_id: int, ip: str | None = None) -> Offer:
    """Into the catalogue (searchable when the organisation is listed). Needs an active certification."""
    offer = _offer_for(actor, offer_id)
    if offer.delisted_at is not None:
        raise ValidationError({"offer": [_("This offer was delisted by the Caisse des Dépôts.")]})
    if not offer.certification.is_active:
        raise ValidationError({"certification": [_("Unknown or inactive certification code.")]})
    if not offer.is_active:
        offer = offer_writes.offer_update(offer=offer, is_active=True)
        _audit(actor, "offer_published", offer, ip)
    return offer


@transaction.atomic
def offer_close(*, actor: User, offer_id: int, ip: str | None = None) -> Offer:
    """Out of the catalogue: no new registration (open files go on)."""
    offer = _offer_for(actor, offer_id)
    if offer.is_active:
        offer = offer_writes.offer_update(offer=offer, is_active=False)
        _audit(actor, "offer_closed", offer, ip)
    return offer


# Sessions ------------------------------------------------------------------------------------------------------


def _check_session(
    offer: Offer, start: datetime.date, end: datetime.date, is_remote: bool, seats, today: datetime.date
) -> None:
    errors: dict[str, list[str]] = {}
    if start < today:
        errors["start_date"] = [_("A session cannot start in the past.")]
    certification = offer.certification
    if certification.valid_from and start < certification.valid_from:
        errors.setdefault("start_date", []).append(
            _("The certification is registered only from %(date)s.") % {"date": long_date(certification.valid_from)}
        )
    if certification.valid_until and end > certification.valid_until:
        errors["end_date"] = [
            _("The certification is registered only until %(date)s.") % {"date": long_date(certification.valid_until)}
        ]
    if end < start:
        errors.setdefault("end_date", []).append(_("The session cannot end before it starts."))
    if offer.modality == Modality.REMOTE and not is_remote:
        errors["is_remote"] = [_("A remote offer has remote sessions only.")]
    if offer.modality == Modality.ON_SITE and is_remote:
        errors["is_remote"] = [_("An on-site offer has sessions in a place only.")]
    if seats is not None and (isinstance(seats, bool) or not isinstance(seats, int) or not 1 <= seats <= 100_000):
        errors["seats"] = [_("Enter at least one seat, or leave empty for no limit.")]
    if errors:
        raise ValidationError(errors)


def _check_sessions_fit_modality(offer: Offer, modality: str) -> None:
    sessions = Session.objects.filter(offer=offer, is_active=True, end_date__gte=timezone.localdate())
    if (modality == Modality.REMOTE and sessions.filter(is_remote=False).exists()) or (
        modality == Modality.ON_SITE and sessions.filter(is_remote=True).exists()
    ):
        raise ValidationError({"modality": [_("Open sessions of this offer do not fit this modality.")]})


@transaction.atomic
def session_create(
    *,
    actor: User,
    offer_id: int,
    start_date: datetime.date,
    end_date: datetime.date,
    is_remote: bool = False,
    postal_code: str = "",
    city: str = "",
    seats: int | None = None,
    ip: str | None = None,
) -> Session:
    offer = _offer_for(actor, offer_id)
    _check_session(offer, start_date, end_date, is_remote, seats, timezone.localdate())
    session = session_writes.session_create(
        offer=offer,
        start_date=start_date,
        end_date=end_date,
        is_remote=is_remote,
        postal_code=postal_code,
        city=city,
        seats=seats,
    )
    _audit(actor, "session_created", offer, ip, session=session.pk, start=start_date.isoformat())
    return session


def _session_for(actor: User, session_id: int) -> Session:
    session = Session.objects.select_for_update(of=("self",)).select_related("offer").filter(pk=session_id).first()
    if session is None:
        raise Session.DoesNotExist
    organisation_role_required(actor, session.offer.organisation_id, OrganisationRole.CATALOGUE_MANAGER)
    return session


@transaction.atomic
def session_update(*, actor: User, session_id: int, ip: str | None = None, **fields) -> Session:
    session = _session_for(actor, session_id)
    unknown = set(fields) - EDITABLE_SESSION_FIELDS
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    offer = Offer.objects.select_related("certification").get(pk=session.offer_id)
    _check_session(
        offer,
        fields.get("start_date", session.start_date),
        fields.get("end_date", session.end_date),
        fields.get("is_remote", session.is_remote),
        fields.get("seats", session.seats),
        # A session under way keeps its start: only a new start date must not be in the past.
        timezone.localdate() if "start_date" in fields else datetime.date.min,
    )
    session = session_writes.session_update(session=session, **fields)
    _audit(actor, "session_updated", offer, ip, session=session.pk, fields=sorted(fields))
    return session


@transaction.atomic
def session_close(*, actor: User, session_id: int, ip: str | None = None) -> Session:
    """No new registration for this session (open files go on)."""
    session = _session_for(actor, session_id)
    if session.is_active:
        session = session_writes.session_update(session=session, is_active=False)
        _audit(actor, "session_closed", session.offer, ip, session=session.pk)
    return session
