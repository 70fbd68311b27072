"""Emails to the reporter at each step, in their language, once the transaction commits. Every email carries the
link to follow the report: the status page in the account, or a signed link for a reporter who filed signed out
(it names the report and cannot be forged; it says nothing about the account)."""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from opencpf.scams.models import Report
from opencpf.utils.emails import send_email

FOLLOW_SALT = "opencpf.scams.follow"


def follow_token(report: Report) -> str:
    return signing.dumps({"report": report.pk, "reference": report.reference}, salt=FOLLOW_SALT, compress=True)


def report_id_from_follow_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=FOLLOW_SALT)
        return int(data["report"]), str(data["reference"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def follow_url(report: Report) -> str:
    if report.filed_signed_in:
        return settings.OPENCPF_SITE_URL + reverse("scams:status", args=[report.reference])
    return settings.OPENCPF_SITE_URL + reverse("scams:follow", args=[follow_token(report)])


def notify_reporter(report: Report, step: str, *, message: str = "") -> None:
    context = {
        "reference": report.reference,
        "step": step,
        "status": report.status,
        "message": message,
        "follow_url": follow_url(report),
        "precautions_url": settings.OPENCPF_SITE_URL + reverse("scams:precautions"),
    }
    to, language = report.contact_email, report.language
    transaction.on_commit(
        lambda: send_email(to=to, template_prefix="emails/scam_report", context=context, language=language)
    )
