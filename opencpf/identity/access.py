"""Requests for personal access from abroad (DESIGN §2.7, §4.3): filed anonymously (the requester is locked out),
rate-limited per address and deduplicated per NIR; an agent grants (optionally until a date) or refuses; the
requester is told by email. A grant lifts the per-address limit for that holder only (`opencpf.accounts.abroad`)."""

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from opencpf.accounts import services as accounts
from opencpf.accounts.models import Holder, User
from opencpf.accounts.nir import normalize_nir
from opencpf.identity import review
from opencpf.identity.enums import AccessRequestStatus
from opencpf.identity.models import AccessRequest
from opencpf.identity.services import IdentityCheckError
from opencpf.scams import evidence
from opencpf.utils.emails import send_email

REQUESTS_PER_DAY_PER_ADDRESS = 3


def _reference(now: datetime.datetime) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return f"ACC-{now:%Y}-" + "".join(secrets.choice(alphabet) for _i in range(8))


def _email(request: AccessRequest, step: str) -> None:
    context = {
        "reference": request.reference,
        "step": step,
        "until": request.until,
        "reason": request.refusal_reason,
    }
    to, language = request.email, request.language
    transaction.on_commit(
        lambda: send_email(to=to, template_prefix="emails/access_request", context=context, language=language)
    )


def access_request_file(
    *,
    nir: str,
    birth_date: datetime.date,
    email: str,
    country: str,
    reason: str,
    upload,
    phone_abroad: str = "",
    address_abroad: str = "",
    ip: str | None = None,
    language: str = "fr",
) -> AccessRequest:
    """The answer is the same whether or not the identity matches an account; nothing is written on an error."""
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    country = (country or "").strip().upper()
    if len(country) != 2 or country not in countries:
        errors["country"] = [_("Enter the country as a 2-letter code (ISO 3166), for example CA.")]
    reason = review.clean_text(reason, review.MAX_REASON)
    if not reason:
        errors["reason"] = [_("This field is required.")]
    if upload is None:
        errors["proof"] = [_("This field is required.")]
    if errors:
        raise IdentityCheckError(errors)
    try:
        (checked,) = evidence.evidence_check([upload])
    except evidence.EvidenceError as error:
        raise IdentityCheckError({"proof": [error.message]})
    nir = normalize_nir(nir)
    if ip and AccessRequest.objects.filter(ip_address=ip, created_at__gt=now - datetime.timedelta(days=1)).count() >= (
        REQUESTS_PER_DAY_PER_ADDRESS
    ):
        raise IdentityCheckError(
            _("Too many requests were sent from this address today. Try again tomorrow."),
            status=429,
            code="rate_limited",
        )
    duplicate = IdentityCheckError(
        _("A request for this social security number is already waiting for an agent: you will get an email."),
        status=409,
        code="already_pending",
    )
    if AccessRequest.objects.filter(nir=nir, status=AccessRequestStatus.PENDING).exists():
        raise duplicate
    holder = (
        Holder.objects.select_related("user")
        .filter(nir=nir, birth_date=birth_date, user__email__iexact=email.strip())
        .first()
    )
    name = evidence.evidence_write(checked)
    try:
        with transaction.atomic():
            request = AccessRequest.objects.create(
                reference=_reference(now),
                holder=holder,
                nir=nir,
                birth_date=birth_date,
                email=email.strip().lower(),
                country=country,
                reason=reason,
                phone_abroad=review.clean_text(phone_abroad, 32),
                address_abroad=review.clean_text(address_abroad, 500),
                proof_storage_name=name,
                proof_content_type=checked.content_type,
                ip_address=ip,
                language=holder.user.language if holder else language,
                created_at=now,
            )
            accounts.audit(actor=None, action="access_request_filed", target=f"access_request:{request.pk}", ip=ip)
            _email(request, "received")
    except IntegrityError:  # a twin request won the race
        evidence.evidence_delete([name])
        raise duplicate
    except BaseException:
        evidence.evidence_delete([name])
        raise
    return request


def _approve(request: AccessRequest, *, agent: User, now: datetime.datetime, ip=None, until=None) -> str:
    holder = Holder.objects.select_for_update().filter(pk=request.holder_id).first() if request.holder_id else None
    if holder is None:
        raise IdentityCheckError(
            _("No account matches this identity: refuse the request and tell the requester."),
            status=409,
            code="no_account",
        )
    if holder.closed_on is not None:
        raise IdentityCheckError(_("This account is closed: access cannot be granted."), status=409, code="closed")
    if until is not None and until < timezone.localdate(now):
        raise IdentityCheckError({"until": [_("The end date is in the past.")]})
    Holder.objects.filter(pk=holder.pk).update(abroad_access_granted_at=now, abroad_access_until=until)
    request.until = until
    return AccessRequestStatus.GRANTED


ACCESS_REQUESTS = review.ReviewKind(
    name="access_request",
    model=AccessRequest,
    pending=AccessRequestStatus.PENDING,
    approved=AccessRequestStatus.GRANTED,
    refused=AccessRequestStatus.REFUSED,
    approve=_approve,
    tell=_email,
    reason_field="refusal_reason",
    document_field="proof_storage_name",
    content_type_field="proof_content_type",
    approve_fields=("until",),
    document_opened="access_proof_opened",
)


def access_request_grant(
    *, request_id: int, agent: User, until: datetime.date | None = None, ip: str | None = None
) -> AccessRequest:
    return review.review_approve(kind=ACCESS_REQUESTS, item_id=request_id, agent=agent, ip=ip, until=until)


def access_request_refuse(*, request_id: int, agent: User, reason: str, ip: str | None = None) -> AccessRequest:
    return review.review_refuse(kind=ACCESS_REQUESTS, item_id=request_id, agent=agent, reason=reason, ip=ip)
