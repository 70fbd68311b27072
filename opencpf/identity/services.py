"""Online identity checks (DESIGN §2.5, §4.1): an ID document reviewed by an agent. Approved for a signed-in holder,
the holder becomes verified; approved for an anonymous request that names an account ("this is my number"), the
account is recovered: its email and password are replaced, everything signed in ends, both addresses are told, and
the files not yet paid are frozen by a scam report, as if the real holder had reported the squatter."""

import datetime
import logging
import secrets

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opencpf.accounts import services as accounts
from opencpf.accounts.enums import IdentityLevel, IdentitySource
from opencpf.accounts.models import Holder, User
from opencpf.accounts.nir import normalize_nir
from opencpf.accounts.selectors import _comparable_name
from opencpf.dossiers.enums import TERMINAL_STATES
from opencpf.dossiers.models import Dossier
from opencpf.identity import review
from opencpf.identity.enums import CheckStatus, DocumentKind
from opencpf.identity.models import IdentityCheck
from opencpf.scams import evidence
from opencpf.scams.enums import Situation
from opencpf.utils.emails import send_email

logger = logging.getLogger(__name__)
CHECKS_PER_DAY_PER_ADDRESS = 5


IdentityCheckError = review.ReviewError  # the name the callers know
review_target_hours = review.review_target_hours


def _reference(now: datetime.datetime) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return f"IDV-{now:%Y}-" + "".join(secrets.choice(alphabet) for _i in range(8))


def _email(to: str, template: str, context: dict, language: str) -> None:
    transaction.on_commit(lambda: send_email(to=to, template_prefix=template, context=context, language=language))


def _holder_claimed(*, nir: str, birth_date: datetime.date, last_name: str) -> Holder | None:
    holder = Holder.objects.select_related("user").filter(nir=normalize_nir(nir), birth_date=birth_date).first()
    if holder is None or _comparable_name(holder.last_name) != _comparable_name(last_name):
        return None
    return holder


def identity_check_file(
    *,
    user: User | None,
    document_kind: str,
    upload,
    nir: str = "",
    birth_date: datetime.date | None = None,
    last_name: str = "",
    email: str = "",
    ip: str | None = None,
    language: str = "fr",
) -> IdentityCheck:
    """A signed-in holder's check, or an anonymous recovery request (nir, birth_date, last_name, new email). The
    answer is the same whether or not the identity matches an account. Nothing is written unless all is valid."""
    now = timezone.now()
    signed_in = user is not None and user.is_authenticated
    if signed_in and (not user.is_holder or getattr(user, "holder", None) is None):
        raise IdentityCheckError(
            _("Only an account holder can have their identity checked."), status=403, code="forbidden"
        )
    if document_kind not in DocumentKind.values:
        raise IdentityCheckError({"document_kind": [_("Choose an identity card, a passport or a residence permit.")]})
    if upload is None:
        raise IdentityCheckError({"document": [_("This field is required.")]})
    try:
        (checked,) = evidence.evidence_check([upload])
    except evidence.EvidenceError as error:
        raise IdentityCheckError({"document": [error.message]})
    if ip and IdentityCheck.objects.filter(ip_address=ip, created_at__gt=now - datetime.timedelta(days=1)).count() >= (
        CHECKS_PER_DAY_PER_ADDRESS
    ):
        raise IdentityCheckError(
            _("Too many identity checks were sent from this address today. Try again tomorrow."),
            status=429,
            code="rate_limited",
        )
    holder = user.holder if signed_in else _holder_claimed(nir=nir, birth_date=birth_date, last_name=last_name)
    pending = IdentityCheck.objects.filter(status=CheckStatus.PENDING)
    if holder is not None and pending.filter(holder=holder, recovery=not signed_in).exists():
        raise IdentityCheckError(
            _("An identity check for this account is already waiting for an agent. You will get an email."),
            status=409,
            code="already_pending",
        )
    name = evidence.evidence_write(checked)
    try:
        with transaction.atomic():
            check = IdentityCheck.objects.create(
                reference=_reference(now),
                holder=holder,
                recovery=not signed_in,
                claimed_nir=normalize_nir(nir) if not signed_in else "",
                claimed_birth_date=birth_date if not signed_in else None,
                claimed_last_name=last_name[:150] if not signed_in else "",
                contact_email=(user.email if signed_in else email.strip().lower()),
                document_kind=document_kind,
                document_storage_name=name,
                document_content_type=checked.content_type,
                ip_address=ip,
                language=holder.user.language if signed_in else language,
                created_at=now,
            )
            accounts.audit(
                actor=user if signed_in else None,
                action="identity_check_filed",
                target=f"identity_check:{check.pk}",
                ip=ip,
                recovery=check.recovery,
            )
            _email(
                check.contact_email,
                "emails/identity_check",
                {"reference": check.reference, "step": "received", "hours": review.review_target_hours()},
                check.language,
            )
    except BaseException:
        evidence.evidence_delete([name])
        raise
    return check


def _set_password_url(user: User) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.OPENCPF_SITE_URL + reverse("accounts:password_reset_confirm", args=[uidb64, token])


def holder_identity_verify(*, holder_id: int, source: str, now: datetime.datetime | None = None) -> None:
    """The one place a holder's identity becomes *verified* (DESIGN §2.5), whatever proved it: an ID document an
    agent checked, the identity federation, or an advisor who met the holder in person. The caller audits and
    tells the holder."""
    if source not in IdentitySource.values:
        raise ValueError(source)
    Holder.objects.filter(pk=holder_id).update(
        identity_level=IdentityLevel.VERIFIED, identity_source=source, identity_verified_at=now or timezone.now()
    )


def _recover(check: IdentityCheck, *, agent: User, ip: str | None, now: datetime.datetime) -> None:
    """The account goes back to the person whose document was checked; the squatter is out."""
    from opencpf.scams.services.reports import ReportError, report_file

    holder = Holder.objects.select_related("user").select_for_update(of=("self",)).get(pk=check.holder_id)
    user = holder.user
    old_email = user.email
    new_email = check.contact_email
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        raise IdentityCheckError(
            _("The new email address already belongs to another account: ask the requester for another one."),
            status=409,
            code="email_taken",
        )
    user.email = new_email
    user.email_verified_at = None  # following the set-password link confirms it
    user.set_unusable_password()
    user.is_active = True
    user.save(update_fields=["email", "email_verified_at", "password", "is_active"])
    accounts.sign_out_everywhere(user=user, ip=ip)  # sessions, tokens and remembered devices
    holder_identity_verify(holder_id=holder.pk, source=IdentitySource.DOCUMENT_CHECK, now=now)
    unpaid = list(
        Dossier.objects.filter(holder=holder).exclude(state__in=TERMINAL_STATES).values_list("pk", flat=True)
    )
    if unpaid:
        try:
            report_file(
                user=user,
                situation=Situation.ACCOUNT_HACKED,
                description=_("Account recovered after identity check %(reference)s: files of the previous user.")
                % {"reference": check.reference},
                dossier_ids=unpaid,
                ip=ip,
                language=check.language,
            )
        except ReportError:  # a report for this holder is already open today: its agent sees the recovery
            logger.warning("Recovery %s: no new scam report (rate limit)", check.reference)
    _email(
        old_email,
        "emails/identity_recovery",
        {"reference": check.reference, "old_address": True},
        user.language,
    )
    _email(
        new_email,
        "emails/identity_recovery",
        {"reference": check.reference, "old_address": False, "set_password_url": _set_password_url(user)},
        check.language,
    )


def _tell(check: IdentityCheck, step: str) -> None:
    context = {"reference": check.reference, "step": step, "reason": check.reason}
    _email(check.contact_email, "emails/identity_check", context, check.language)


def _approve(check: IdentityCheck, *, agent: User, now: datetime.datetime, ip: str | None = None) -> str | None:
    if check.holder_id is None:  # the claimed identity has no account: the requester may simply create one
        return "no_account"
    if check.recovery:
        _recover(check, agent=agent, ip=ip, now=now)
        return None  # both addresses were told
    holder_identity_verify(holder_id=check.holder_id, source=IdentitySource.DOCUMENT_CHECK, now=now)
    return "approved"


IDENTITY_CHECKS = review.ReviewKind(
    name="identity_check",
    model=IdentityCheck,
    pending=CheckStatus.PENDING,
    approved=CheckStatus.APPROVED,
    refused=CheckStatus.REJECTED,
    approve=_approve,
    tell=_tell,
    document_opened="identity_document_opened",
    already_decided=gettext_lazy("This identity check was already decided."),
)


def identity_check_approve(*, check_id: int, agent: User, ip: str | None = None) -> IdentityCheck:
    return review.review_approve(kind=IDENTITY_CHECKS, item_id=check_id, agent=agent, ip=ip)


def identity_check_reject(*, check_id: int, agent: User, reason: str, ip: str | None = None) -> IdentityCheck:
    return review.review_refuse(kind=IDENTITY_CHECKS, item_id=check_id, agent=agent, reason=reason, ip=ip)
