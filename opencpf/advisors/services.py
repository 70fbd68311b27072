"""Writes of the advisors area: a holder asks for an appointment; the site's advisors propose a slot, decline with
a reason or mark it held; the holder may cancel. Every move is a guarded UPDATE (no lost update between two
advisors), is audited, and emails both sides once committed."""

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.accounts.enums import IdentitySource, Role
from opencpf.accounts.models import Holder, User
from opencpf.accounts.services import audit
from opencpf.advisors import notifications, selectors
from opencpf.advisors.enums import (
    OPEN_STATUSES,
    AppointmentMode,
    AppointmentStatus,
    AppointmentSubject,
    HalfDay,
)
from opencpf.advisors.models import AdvisorMembership, AdvisorSite, Appointment
from opencpf.identity.enums import DocumentKind
from opencpf.identity.services import holder_identity_verify

MIN_SLOTS, MAX_SLOTS = 2, 3
# How far ahead a holder may ask for a slot: a service choice (advisors plan a few weeks ahead), not a legal value.
SLOT_HORIZON_DAYS = 92


class AppointmentError(Exception):
    """A refused action. `errors` maps fields ("__all__" for the whole) to messages; `status` is what the API
    answers (400 bad input, 404 unknown, 409 not possible now)."""

    def __init__(self, errors: dict[str, list[str]] | str, *, status: int = 409):
        self.errors = errors if isinstance(errors, dict) else {"__all__": [str(errors)]}
        self.status = status
        super().__init__("; ".join(message for messages in self.errors.values() for message in messages))


def _today() -> datetime.date:
    return timezone.localdate()


def _check_slots(slots: list[tuple[datetime.date, str]], today: datetime.date) -> list[dict[str, str]]:
    if not MIN_SLOTS <= len(slots) <= MAX_SLOTS:
        raise AppointmentError(
            {"slots": [_("Choose %(min)s or %(max)s preferred slots.") % {"min": MIN_SLOTS, "max": MAX_SLOTS}]},
            status=400,
        )
    last = today + datetime.timedelta(days=SLOT_HORIZON_DAYS)
    result, seen = [], set()
    for day, half_day in slots:
        if half_day not in HalfDay.values:
            raise AppointmentError({"slots": [_("Choose the morning or the afternoon.")]}, status=400)
        if not today < day <= last:
            raise AppointmentError(
                {"slots": [_("Choose days after today and within %(days)s days.") % {"days": SLOT_HORIZON_DAYS}]},
                status=400,
            )
        if (day, half_day) in seen:
            raise AppointmentError({"slots": [_("Choose different slots.")]}, status=400)
        seen.add((day, half_day))
        result.append({"date": day.isoformat(), "half_day": half_day})
    return sorted(result, key=lambda slot: (slot["date"], slot["half_day"] != HalfDay.MORNING))


@transaction.atomic
def appointment_request(
    *,
    user: User,
    site_id: int,
    subject: str,
    mode: str,
    slots: list[tuple[datetime.date, str]],
    message: str = "",
    network: str = "",
    share_balance: bool = False,
    share_dossiers: bool = False,
    today: datetime.date | None = None,
    ip: str | None = None,
) -> Appointment:
    today = today or _today()
    if user.role != Role.HOLDER or not hasattr(user, "holder"):
        raise AppointmentError(_("Only account holders can ask for an appointment."), status=403)
    if user.email_verified_at is None:
        raise AppointmentError(_("Confirm your email address before asking for an appointment."), status=403)
    site = AdvisorSite.objects.select_for_update().filter(pk=site_id).first()
    if site is None:
        raise AppointmentError({"site_id": [_("This site does not exist.")]}, status=404)
    if not site.is_open:
        raise AppointmentError(
            {"site_id": [_("This site is closed and takes no appointment: choose another one.")]}, status=409
        )
    errors: dict[str, list[str]] = {}
    if subject not in AppointmentSubject.values:
        errors["subject"] = [_("Choose a subject.")]
    if mode not in AppointmentMode.values:
        errors["mode"] = [_("Choose in person, phone or video.")]
    elif mode == AppointmentMode.IN_PERSON and site.remote_only:
        errors["mode"] = [_("This site meets people by phone or video only.")]
    if "\x00" in message or len(message) > 2000:
        errors["message"] = [_("Write at most 2000 characters, without control characters.")]
    served = selectors.site_networks(site)
    if network and network not in served:
        errors["network"] = [_("This site does not belong to that network.")]
    if errors:
        raise AppointmentError(errors, status=400)
    preferred = _check_slots(slots, today)
    if Appointment.objects.filter(holder=user.holder, site=site, status__in=OPEN_STATUSES).exists():
        raise AppointmentError(_("You already have a request in progress with this site."), status=409)
    try:
        with transaction.atomic():
            appointment = Appointment.objects.create(
                holder=user.holder,
                site=site,
                network=network or served[0],
                subject=subject,
                message=message.strip(),
                mode=mode,
                preferred_slots=preferred,
                share_balance=share_balance,
                share_dossiers=share_dossiers,
            )
    except IntegrityError:  # the same request sent twice at once: the database keeps one
        raise AppointmentError(_("You already have a request in progress with this site."), status=409)
    audit(actor=user, action="appointment_requested", target=f"appointment:{appointment.pk}", ip=ip, site=site.code)
    notifications.notify(appointment.pk, "requested")
    return appointment


def _advisor_appointment(user: User, appointment_id: int) -> Appointment:
    appointment = selectors.appointment_visible_to(user, appointment_id)
    if appointment is None or user.role != Role.ADVISOR:
        raise AppointmentError(_("Appointment not found."), status=404)
    return appointment


def _move(appointment: Appointment, from_statuses, **changes: Any) -> None:
    """Apply the move only if the request is still in one of `from_statuses` (another advisor may have answered)."""
    updated = Appointment.objects.filter(pk=appointment.pk, status__in=from_statuses).update(
        updated_at=timezone.now(), **changes
    )
    if not updated:
        raise AppointmentError(_("This request was already answered: reload the page."), status=409)
    appointment.refresh_from_db()


@transaction.atomic
def appointment_propose(
    *,
    user: User,
    appointment_id: int,
    at: datetime.datetime,
    message: str = "",
    now: datetime.datetime | None = None,
    ip: str | None = None,
) -> Appointment:
    appointment = _advisor_appointment(user, appointment_id)
    now = now or timezone.now()
    if at.tzinfo is None:
        at = timezone.make_aware(at)
    if at <= now or at > now + datetime.timedelta(days=365):
        raise AppointmentError({"at": [_("Propose a moment in the coming year.")]}, status=400)
    if "\x00" in message or len(message) > 2000:
        raise AppointmentError(
            {"message": [_("Write at most 2000 characters, without control characters.")]}, status=400
        )
    _move(
        appointment,
        OPEN_STATUSES,
        status=AppointmentStatus.PROPOSED,
        proposed_at=at,
        advisor=user,
        advisor_message=message.strip(),
    )
    audit(actor=user, action="appointment_proposed", target=f"appointment:{appointment.pk}", ip=ip)
    notifications.notify(appointment.pk, "proposed")
    return appointment


@transaction.atomic
def appointment_decline(*, user: User, appointment_id: int, reason: str, ip: str | None = None) -> Appointment:
    appointment = _advisor_appointment(user, appointment_id)
    reason = (reason or "").strip()
    if not reason or "\x00" in reason or len(reason) > 2000:
        raise AppointmentError({"reason": [_("Give the reason in at most 2000 characters.")]}, status=400)
    _move(appointment, OPEN_STATUSES, status=AppointmentStatus.DECLINED, decline_reason=reason, advisor=user)
    audit(actor=user, action="appointment_declined", target=f"appointment:{appointment.pk}", ip=ip)
    notifications.notify(appointment.pk, "declined")
    return appointment


@transaction.atomic
def appointment_mark_held(
    *, user: User, appointment_id: int, now: datetime.datetime | None = None, ip: str | None = None
) -> Appointment:
    appointment = _advisor_appointment(user, appointment_id)
    # Not proposed (any more): the move below refuses it as already answered.
    if appointment.is_proposed and not appointment.can_be_marked_held(now or timezone.now()):
        raise AppointmentError(_("The appointment has not taken place yet."), status=409)
    _move(appointment, [AppointmentStatus.PROPOSED], status=AppointmentStatus.HELD, advisor=user)
    audit(actor=user, action="appointment_held", target=f"appointment:{appointment.pk}", ip=ip)
    notifications.notify(appointment.pk, "held")
    return appointment


@transaction.atomic
def appointment_identity_confirm(
    *,
    user: User,
    appointment_id: int,
    document_kind: str,
    now: datetime.datetime | None = None,
    ip: str | None = None,
) -> Holder:
    """The advisor met the holder who asked them and saw their original ID document: the holder becomes *verified*
    "in person" (DESIGN §2.5), through the identity area's own service. Audited; the holder is emailed."""
    appointment = _advisor_appointment(user, appointment_id)
    now = now or timezone.now()
    if document_kind not in DocumentKind.values:
        raise AppointmentError(
            {"document_kind": [_("Choose an identity card, a passport or a residence permit.")]}, status=400
        )
    # Read again under a lock: two advisors (or two tabs) confirm once.
    appointment.holder = Holder.objects.select_for_update().select_related("user").get(pk=appointment.holder_id)
    if (refusal := selectors.identity_confirmation_refusal(appointment, now)) is not None:
        raise AppointmentError(refusal, status=409)
    holder_identity_verify(holder_id=appointment.holder_id, source=IdentitySource.IN_PERSON, now=now)
    audit(
        actor=user,
        action="identity_confirmed_in_person",
        target=f"holder:{appointment.holder_id}",
        ip=ip,
        appointment=appointment.pk,
        site=appointment.site.code,
        document_kind=document_kind,
    )
    notifications.notify_holder_identity(appointment.pk)
    appointment.holder.refresh_from_db()
    return appointment.holder


@transaction.atomic
def appointment_cancel(*, user: User, appointment_id: int, ip: str | None = None) -> Appointment:
    appointment = selectors.appointment_visible_to(user, appointment_id)
    if appointment is None or user.role != Role.HOLDER:
        raise AppointmentError(_("Appointment not found."), status=404)
    _move(appointment, OPEN_STATUSES, status=AppointmentStatus.CANCELLED)
    audit(actor=user, action="appointment_cancelled", target=f"appointment:{appointment.pk}", ip=ip)
    notifications.notify(appointment.pk, "cancelled")
    return appointment


@transaction.atomic
def advisor_create(*, email: str, display_name: str, site_codes: list[str], password: str | None = None) -> User:
    """An advisor account attached to sites (an existing advisor gets the sites added). Without a password the
    advisor sets one through "forgot my password"."""
    sites = list(AdvisorSite.objects.filter(code__in=site_codes))
    missing = sorted(set(site_codes) - {site.code for site in sites})
    if missing or not site_codes:
        raise AppointmentError(
            {"sites": [_("Unknown site codes: %(codes)s.") % {"codes": ", ".join(missing)}]}, status=400
        )
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, role=Role.ADVISOR, display_name=display_name)
        if password is None:
            user.set_unusable_password()
            user.save(update_fields=["password"])
    elif user.role != Role.ADVISOR:
        raise AppointmentError(
            {"email": [_("This address belongs to an account that is not an advisor's.")]}, status=400
        )
    for site in sites:
        AdvisorMembership.objects.get_or_create(user=user, site=site)
    audit(actor=None, action="advisor_created", target=f"user:{user.pk}", sites=[s.code for s in sites])
    return user
