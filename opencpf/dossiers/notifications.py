"""Emails at every move of a file, to the holder and to the organisation, each in the recipient's language.

A move enqueues, once its transaction commits, one `send_email_task` per recipient (the background worker
sends it). The context is computed at that moment in the recipient's language, so the email says what the move
was even if the file moves again before the worker sends it. Bulk moves of the periodic task enqueue one
`dossiers_notify_task` per chunk of moves instead, which renders and sends the same emails. (That task lives here,
beside what it runs, so that the deadlines can enqueue it without importing the scheduled tasks of `tasks`.)
"""

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import translation

from opencpf.dossiers.enums import Action, DossierState
from opencpf.dossiers.models import Dossier, DossierEvent
from opencpf.utils.formatting import long_date

TEMPLATES = {"holder": "emails/dossier_holder", "organisation": "emails/dossier_organisation"}


def recipients(dossier: Dossier) -> list[tuple[str, str, str]]:
    """(audience, email, language) for the holder and every member of the organisation (or its contact email)."""
    result = [("holder", dossier.holder.user.email, dossier.holder.user.language)]
    members = list(dossier.organisation.members.select_related("user").filter(user__is_active=True))
    if members:
        result.extend(("organisation", m.user.email, m.user.language) for m in members)
    elif dossier.organisation.email:
        result.append(("organisation", dossier.organisation.email, settings.LANGUAGE_CODE))
    return result


def _date(value) -> str:
    return long_date(value) if value else ""


def email_context(dossier: Dossier, event: DossierEvent, audience: str, language: str) -> dict:
    """Everything the email says, as strings in `language` (the task arguments must be JSON)."""
    from opencpf.dossiers.selectors import state_message

    with translation.override(language or settings.LANGUAGE_CODE):
        snapshot = Dossier(**{f.attname: getattr(dossier, f.attname) for f in Dossier._meta.concrete_fields})
        snapshot.state = event.to_state
        path = (
            reverse("dossiers:detail", args=[dossier.pk])
            if audience == "holder"
            else reverse("dossiers:organisation_detail", args=[dossier.pk])
        )
        return {
            "audience": audience,
            "dossier_id": dossier.pk,
            "offer_title": dossier.offer_title,
            "organisation_name": dossier.organisation.name,
            "holder_name": dossier.holder.full_name if audience == "organisation" else "",
            "action": str(Action(event.action).label),
            "state": str(DossierState(event.to_state).label),
            "next_step": state_message(snapshot, audience),
            "reason": event.reason,
            "start": _date(dossier.proposal_start or dossier.session.start_date),
            "end": _date(dossier.proposal_end or dossier.session.end_date),
            "url": settings.OPENCPF_SITE_URL + path,
        }


def send_move_emails(dossier: Dossier, event: DossierEvent, *, enqueue: bool = True) -> None:
    from opencpf.utils.emails import send_email
    from opencpf.utils.tasks import send_email_task

    for audience, email, language in recipients(dossier):
        kwargs = {
            "to": email,
            "template_prefix": TEMPLATES[audience],
            "context": email_context(dossier, event, audience, language),
            "language": language or settings.LANGUAGE_CODE,
        }
        if enqueue:
            send_email_task.enqueue(**kwargs)
        else:
            send_email(**kwargs)


def notify_move(dossier: Dossier, event: DossierEvent) -> None:
    """Email both sides about this move once the current transaction commits. The file and the event are the
    ones the move just wrote (with the file's holder and user, organisation and session at hand): nothing is read
    again, and nothing is sent if the move is rolled back."""
    transaction.on_commit(lambda: send_move_emails(dossier, event))


def notify_events(event_ids: list[int]) -> None:
    """Email both sides about many moves (the periodic task's), from a background task."""
    events = DossierEvent.objects.filter(pk__in=event_ids).select_related(
        "dossier__holder__user", "dossier__organisation", "dossier__session"
    )
    for event in events.iterator(chunk_size=500):
        send_move_emails(event.dossier, event, enqueue=False)


@task()
def dossiers_notify_task(*, event_ids: list[int]) -> int:
    """Email both sides of each of these moves (made in bulk by the periodic task)."""
    notify_events(event_ids)
    return len(event_ids)
