"""Agents looking at and acting on holders' accounts: every look is audited, as is every action."""

from django.db import transaction
from django.utils.translation import gettext as _

from opencpf.accounts import services as accounts
from opencpf.accounts.models import Holder, User
from opencpf.scams.models import Evidence
from opencpf.scams.services.reports import ReportError
from opencpf.scams.services.review import _agent


def holder_look(*, agent: User, holder_id: int, what: str, ip: str | None = None) -> Holder:
    """Record that an agent saw a holder's data (`what`: account, search hit…), then give the holder."""
    _agent(agent)
    holder = Holder.objects.select_related("user").filter(pk=holder_id).first()
    if holder is None:
        raise ReportError(_("This holder does not exist."), status=404, code="not_found")
    accounts.audit(actor=agent, action="holder_viewed", target=f"holder:{holder.pk}", ip=ip, what=what)
    return holder


def holders_search_audit(*, agent: User, query_kind: str, holder_ids: list[int], ip: str | None = None) -> None:
    _agent(agent)
    accounts.audit(
        actor=agent, action="holders_searched", target="holders", ip=ip, kind=query_kind, results=holder_ids[:50]
    )


def evidence_open(*, agent: User, evidence_id: int, ip: str | None = None) -> Evidence:
    _agent(agent)
    evidence = Evidence.objects.select_related("report").filter(pk=evidence_id).first()
    if evidence is None:
        raise ReportError(_("This file does not exist."), status=404, code="not_found")
    accounts.audit(
        actor=agent, action="evidence_downloaded", target=f"report:{evidence.report_id}", ip=ip, evidence=evidence.pk
    )
    return evidence


@transaction.atomic
def holder_lock(*, agent: User, holder_id: int, reason: str, ip: str | None = None) -> Holder:
    _agent(agent)
    holder = Holder.objects.select_related("user").filter(pk=holder_id).first()
    if holder is None:
        raise ReportError(_("This holder does not exist."), status=404, code="not_found")
    reason = (reason or "").replace("\x00", "").strip()[:2000]
    if not reason:
        raise ReportError({"reason": [_("Give the reason.")]})
    accounts.account_lock(user=holder.user, actor=agent, reason=reason, ip=ip)
    return holder


@transaction.atomic
def holder_unlock(*, agent: User, holder_id: int, reason: str, ip: str | None = None) -> Holder:
    _agent(agent)
    holder = Holder.objects.select_related("user").filter(pk=holder_id).first()
    if holder is None:
        raise ReportError(_("This holder does not exist."), status=404, code="not_found")
    reason = (reason or "").replace("\x00", "").strip()[:2000]
    if not reason:
        raise ReportError({"reason": [_("Give the reason.")]})
    accounts.account_unlock(user=holder.user, actor=agent, reason=reason, ip=ip)
    return holder
