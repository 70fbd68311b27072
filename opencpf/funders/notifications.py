"""Emails about file top-ups ("abondements"): the funder's members are told of a holder's request, the holder of the
funder's answer; each in the recipient's language, sent by the background worker once the write is committed."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import formats, translation

from opencpf.funders.models import FileTopUpRequest
from opencpf.utils.formatting import long_date

TEMPLATES = {"funder": "emails/file_top_up_funder", "holder": "emails/file_top_up_holder"}


def recipients(file_request: FileTopUpRequest, audience: str) -> list[tuple[str, str]]:
    """(email, language) of the holder, or of every active member of the funder asked."""
    if audience == "holder":
        user = file_request.holder.user
        return [(user.email, user.language)]
    members = file_request.organisation.members.select_related("user").filter(user__is_active=True)
    return [(member.user.email, member.user.language) for member in members.order_by("pk")]


def email_context(file_request: FileTopUpRequest, audience: str, language: str) -> dict:
    """Everything the email says, as strings in `language` (task arguments are JSON). The funder reads the holder's
    name and the training, never the NIR."""
    dossier = file_request.dossier
    with translation.override(language or settings.LANGUAGE_CODE):
        path = (
            reverse("dossiers:detail", args=[dossier.pk])
            if audience == "holder"
            else reverse("funders:file_request_detail", args=[file_request.pk])
        )
        return {
            "status": file_request.status,
            "funder_name": file_request.organisation.name,
            "holder_name": file_request.holder.full_name if audience == "funder" else "",
            "offer_title": dossier.offer_title,
            "amount_asked": formats.number_format(file_request.amount_asked, 2, use_l10n=True, force_grouping=True),
            "amount_granted": (
                formats.number_format(file_request.amount_granted, 2, use_l10n=True, force_grouping=True)
                if file_request.amount_granted is not None
                else ""
            ),
            "reason": file_request.reason,
            "accept_before": long_date(dossier.accept_before) if dossier.accept_before else "",
            "url": settings.OPENCPF_SITE_URL + path,
        }


def notify(file_request_id: int, audience: str) -> None:
    """Email `audience` ("funder" or "holder") about the request's current step once the transaction commits."""

    def enqueue():
        from opencpf.utils.tasks import send_email_task

        file_request = (
            FileTopUpRequest.objects.select_related("holder__user", "dossier", "organisation")
            .filter(pk=file_request_id)
            .first()
        )
        if file_request is None:
            return
        for email, language in recipients(file_request, audience):
            language = language or settings.LANGUAGE_CODE
            send_email_task.enqueue(
                to=email,
                template_prefix=TEMPLATES[audience],
                context=email_context(file_request, audience, language),
                language=language,
            )

    transaction.on_commit(enqueue)
