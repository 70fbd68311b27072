"""Filing a scam report (DESIGN §2.6): signed in, or anonymously with NIR + birth date + email.

Nothing an anonymous reporter types reveals whether an account exists: a report whose identity matches no account
is kept for the agents, answered and emailed exactly like the others, and freezes nothing. Named files must be the
reporter's own (404 otherwise, nothing written). Files not yet paid are frozen; a file another report already froze
stays frozen by that one and the new report is attached to it. Filing can lock the account at once.
"""

import datetime
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.fr import siret as stdnum_siret

from opencpf.accounts import services as accounts
from opencpf.accounts.digests import digest
from opencpf.accounts.enums import Role
from opencpf.accounts.models import Holder, User
from opencpf.accounts.nir import normalize_nir
from opencpf.catalogue.models import Organisation
from opencpf.dossiers.enums import TERMINAL_STATES
from opencpf.dossiers.freezes import dossier_freeze
from opencpf.dossiers.models import Dossier
from opencpf.scams import evidence as evidence_files
from opencpf.scams.enums import FreezeOutcome, Situation
from opencpf.scams.models import Evidence, Freeze, Report
from opencpf.scams.notifications import follow_url, notify_reporter

MAX_DESCRIPTION = 5000
MAX_DOSSIERS = 20
# Anti-flooding, not legal values: reports per source address per hour, and per identity (NIR) per day.
PER_ADDRESS_PER_HOUR = 5
PER_IDENTITY_PER_DAY = 3


class ReportError(Exception):
    """A refused report: `errors` per field for the user, `status` for the API (400, 403, 404, 429)."""

    def __init__(self, errors: dict[str, list[str]] | str, *, status: int = 400, code: str = "invalid"):
        self.errors = errors if isinstance(errors, dict) else {"__all__": [str(errors)]}
        self.status = status
        self.code = code
        super().__init__("; ".join(m for messages in self.errors.values() for m in messages))


@dataclass(frozen=True)
class Identity:
    """What an anonymous reporter types to say who they are."""

    nir: str
    birth_date: datetime.date
    email: str


@dataclass(frozen=True)
class Filed:
    report: Report

    @property
    def follow_url(self) -> str:
        return follow_url(self.report)


def identity_key(nir: str) -> str:
    return digest(f"scam-report-identity:{normalize_nir(nir)}")


def _new_reference(now: datetime.datetime) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return f"SIG-{now:%Y}-" + "".join(secrets.choice(alphabet) for _i in range(8))


def _holder_matching(identity: Identity) -> Holder | None:
    return (
        Holder.objects.select_related("user")
        .filter(
            nir=normalize_nir(identity.nir),
            birth_date=identity.birth_date,
            user__email__iexact=identity.email.strip(),
        )
        .first()
    )


def _organisation_for(text: str) -> Organisation | None:
    text = (text or "").strip()
    if not text:
        return None
    compact = stdnum_siret.compact(text)
    if compact.isdigit() and len(compact) == 14:
        return Organisation.objects.filter(siret=compact).first()
    return Organisation.objects.filter(name__iexact=text).first()


def _rate_limit(*, ip: str | None, key: str, now: datetime.datetime) -> None:
    recent = Report.objects.filter(created_at__gt=now - datetime.timedelta(days=1))
    by_identity = recent.filter(identity_key=key).count()
    by_address = recent.filter(ip_address=ip, created_at__gt=now - datetime.timedelta(hours=1)).count() if ip else 0
    if by_identity >= PER_IDENTITY_PER_DAY or by_address >= PER_ADDRESS_PER_HOUR:
        raise ReportError(
            _(
                "Several reports were already filed in a short time. Your earlier reports are being handled; "
                "try again later, or call Info Fraud (0 805 805 817, free) if it is urgent."
            ),
            status=429,
            code="rate_limited",
        )


def _clean_text(value: str, field: str, limit: int, *, required: bool) -> str:
    value = (value or "").replace("\x00", "").strip()
    if required and not value:
        raise ReportError({field: [_("This field is required.")]})
    if len(value) > limit:
        raise ReportError({field: [_("At most %(count)s characters.") % {"count": limit}]})
    return value


def _clean_ids(dossier_ids) -> list[int]:
    try:
        ids = sorted({int(i) for i in (dossier_ids or [])})
    except (TypeError, ValueError):
        raise ReportError({"dossier_ids": [_("Enter valid file numbers.")]})
    if len(ids) > MAX_DOSSIERS or any(i <= 0 or i > 2**62 for i in ids):
        raise ReportError({"dossier_ids": [_("Enter valid file numbers.")]})
    return ids


def _not_found() -> ReportError:
    return ReportError({"dossier_ids": [_("This training file does not exist.")]}, status=404, code="not_found")


def report_file(**kwargs) -> Filed:
    """File a report (keyword arguments of `_report_file`). Evidence is written to disk inside the transaction;
    if anything fails afterwards the rows roll back and the files written are deleted too."""
    written: list[str] = []
    try:
        return _report_file(written=written, **kwargs)
    except BaseException:
        evidence_files.evidence_delete(written)
        raise


@transaction.atomic
def _report_file(
    *,
    written: list[str],
    user: User | None,
    situation: str,
    description: str,
    identity: Identity | None = None,
    dossier_ids=(),
    organisation: str = "",
    caller_phone: str = "",
    lock_account: bool = False,
    uploads=(),
    ip: str | None = None,
    language: str = "fr",
    now: datetime.datetime | None = None,
) -> Filed:
    now = now or timezone.now()
    signed_in = user is not None and user.is_authenticated
    if signed_in and (user.role != Role.HOLDER or getattr(user, "holder", None) is None):
        raise ReportError(_("Only an account holder can file a scam report."), status=403, code="forbidden")
    if not signed_in and identity is None:
        raise ReportError({"nir": [_("This field is required.")]})
    if situation not in Situation.values:
        raise ReportError({"situation": [_("Choose one of the situations.")]})
    description = _clean_text(description, "description", MAX_DESCRIPTION, required=True)
    organisation_text = _clean_text(organisation, "organisation", 250, required=False)
    caller_phone = _clean_text(caller_phone, "caller_phone", 32, required=False)
    ids = _clean_ids(dossier_ids)
    checked = evidence_files.evidence_check(uploads)  # raises EvidenceError: nothing written yet

    if signed_in:
        holder = user.holder
        key = identity_key(holder.nir)
        email = user.email
    else:
        holder = _holder_matching(identity)
        key = identity_key(identity.nir)
        email = identity.email.strip().lower()
    if holder is not None:
        language = holder.user.language
    _rate_limit(ip=ip, key=key, now=now)

    # The reporter's own files only; an unmatched identity owns none.
    dossiers = list(
        Dossier.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(pk__in=ids, holder=holder)
        .order_by("pk")
        if holder is not None and ids
        else []
    )
    if len(dossiers) != len(ids):
        raise _not_found()

    org = _organisation_for(organisation_text)
    if org is None and dossiers:
        org = dossiers[0].organisation
    report = Report.objects.create(
        reference=_new_reference(now),
        holder=holder,
        filed_signed_in=signed_in,
        situation=situation,
        description=description,
        organisation=org,
        organisation_text=organisation_text,
        caller_phone=caller_phone,
        lock_account=bool(lock_account) and holder is not None,
        contact_email=email,
        language=language,
        identity_key=key,
        ip_address=ip,
        created_at=now,
        updated_at=now,
    )
    _freeze(report, dossiers, now)
    for item in checked:
        name = evidence_files.evidence_write(item)
        written.append(name)
        Evidence.objects.create(
            report=report,
            storage_name=name,
            original_name=item.name,
            content_type=item.content_type,
            size=len(item.content),
            sha256=item.sha256,
            created_at=now,
        )
    accounts.audit(
        actor=user if signed_in else None,
        action="scam_report_filed",
        target=f"report:{report.pk}",
        ip=ip,
        matched=holder is not None,
        dossiers=ids,
    )
    if report.lock_account:
        accounts.account_lock(user=holder.user, actor=user if signed_in else None, reason=report.reference, ip=ip)
    notify_reporter(report, "received")
    return Filed(report=report)


def _freeze(report: Report, dossiers: list[Dossier], now: datetime.datetime) -> None:
    """Freeze the named files that can still move or be paid; a file frozen by another report attaches this one."""
    for dossier in dossiers:
        if dossier.state in TERMINAL_STATES:
            continue
        active = Freeze.objects.filter(dossier=dossier, outcome=FreezeOutcome.ACTIVE).select_related("report").first()
        if active is not None:
            if report.attached_to_id is None:
                report.attached_to = active.report
                report.save(update_fields=["attached_to"])
            continue
        Freeze.objects.create(report=report, dossier=dossier, frozen_at=now)
        dossier_freeze(dossier_id=dossier.pk, now=now)
