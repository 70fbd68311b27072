"""Emails at every step of an appointment request, to the holder and to the site's advisors (or the site's own
address when it has no advisor account yet), each in the recipient's language, sent by the background worker once
the move is committed."""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation

from opencpf.advisors.enums import AppointmentMode, AppointmentStatus, AppointmentSubject, HalfDay
from opencpf.advisors.models import Appointment

TEMPLATES = {"holder": "emails/appointment_holder", "advisor": "emails/appointment_advisor"}


def recipients(appointment: Appointment) -> list[tuple[str, str, str]]:
    from opencpf.advisors.selectors import advisors_of_site

    result = [("holder", appointment.holder.user.email, appointment.holder.user.language)]
    advisors = advisors_of_site(appointment.site)
    if advisors:
        result.extend(("advisor", advisor.email, advisor.language) for advisor in advisors)
    elif appointment.site.email:
        result.append(("advisor", appointment.site.email, settings.LANGUAGE_CODE))
    return result


def slot_label(slot: dict) -> str:
    """ "Tuesday 1 December 2026, morning" in the active language."""
    day = formats.date_format(datetime.date.fromisoformat(slot["date"]), "l j F Y")
    return f"{day}, {HalfDay(slot['half_day']).label.lower()}"


def moment_label(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "l j F Y, H:i") if moment else ""


def email_context(appointment: Appointment, step: str, audience: str, language: str) -> dict:
    with translation.override(language or settings.LANGUAGE_CODE):
        path = (
            reverse("advisors:holder_detail", args=[appointment.pk])
            if audience == "holder"
            else reverse("advisors:advisor_detail", args=[appointment.pk])
        )
        site = appointment.site
        return {
            "audience": audience,
            "step": step,
            "status": str(AppointmentStatus(appointment.status).label),
            "site_name": site.name,
            "site_address": f"{site.address}, {site.postal_code} {site.city}",
            "site_phone": site.phone,
            "holder_name": appointment.holder.full_name if audience == "advisor" else "",
            "subject": str(AppointmentSubject(appointment.subject).label),
            "mode": str(AppointmentMode(appointment.mode).label),
            "slots": [slot_label(slot) for slot in appointment.preferred_slots],
            "proposed_at": moment_label(appointment.proposed_at),
            "advisor_message": appointment.advisor_message,
            "reason": appointment.decline_reason,
            "url": settings.OPENCPF_SITE_URL + path,
        }


def notify(appointment_id: int, step: str) -> None:
    """Email both sides about this step once the current transaction commits."""

    def enqueue():
        from opencpf.utils.tasks import send_email_task

        appointment = Appointment.objects.select_related("holder__user", "site").filter(pk=appointment_id).first()
        if appointment is None:
            return
        for audience, email, language in recipients(appointment):
            send_email_task.enqueue(
                to=email,
                template_prefix=TEMPLATES[audience],
                context=email_context(appointment, step, audience, language),
                language=language or settings.LANGUAGE_CODE,
            )

    transaction.on_commit(enqueue)


def notify_holder_identity(appointment_id: int) -> None:
    """Tell the holder their identity was confirmed in person (and where), once the transaction commits: somebody
    who did not meet an advisor learns at once that their account was touched."""

    def enqueue():
        from opencpf.utils.tasks import send_email_task

        appointment = Appointment.objects.select_related("holder__user", "site").filter(pk=appointment_id).first()
        if appointment is None:
            return
        user = appointment.holder.user
        language = user.language or settings.LANGUAGE_CODE
        with translation.override(language):
            context = {
                "site_name": appointment.site.name,
                "verified_on": moment_label(appointment.holder.identity_verified_at),
                "url": settings.OPENCPF_SITE_URL + reverse("advisors:holder_detail", args=[appointment.pk]),
                "report_url": settings.OPENCPF_SITE_URL + reverse("scams:report"),
            }
        send_email_task.enqueue(
            to=user.email, template_prefix="emails/identity_in_person", context=context, language=language
        )

    transaction.on_commit(enqueue)
