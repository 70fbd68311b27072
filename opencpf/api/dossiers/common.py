"""A file as JSON for the one who asks, and how a service's refusal becomes an answer."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.accounts.enums import Role
from opencpf.api.errors import ApiError
from opencpf.api.schemas import money
from opencpf.dossiers import rules, selectors, services
from opencpf.dossiers.enums import Action, DossierState
from opencpf.dossiers.models import Dossier
from opencpf.utils.client import client_ip

# The API's action names for the moves of the table.


ACTION_NAMES = {
    Action.ACCEPT: "accept",
    Action.CANCEL_BY_HOLDER: "cancel",
    Action.CANCEL_BY_ORGANISATION: "cancel",
    Action.PROPOSE: "propose",
    Action.REFUSE: "refuse",
    Action.DECLARE_ENTRY: "declare-entry",
    Action.DECLARE_EXIT: "declare-exit",
    Action.DECLARE_NO_SHOW: "declare-no-show",
    Action.DECLARE_ABANDONMENT: "declare-abandonment",
    Action.PAY: "pay",
}


def _funding_json(d: Dossier, *, details: bool) -> dict | None:
    """The organisation sees the amounts it needs (price, paid by rights, paid by card); why the holder is exempt
    and which rights or top-ups pay (a "job seeker" top-up says a lot) are for the holder and agents only."""
    if d.confirmed_at is None:
        return None
    exemption = (d.contribution_exemption or None) if details else None
    return {
        "price": money(d.proposal_price),
        "funded": money(d.funded_amount),
        "card_amount": money(d.card_amount),
        "contribution": money(d.contribution),
        "contribution_due": money(d.contribution_due),
        "exemption": exemption,
        "exemption_label": d.get_contribution_exemption_display() if exemption else None,
        "shortfall": money(d.shortfall),
        "buckets": [
            {
                "bucket": line["bucket"],
                "kind": line["kind"],
                "label": line["label"],
                "amount": line["amount"],
                "earmarked": line["earmarked"],
                "expires_on": line["expires_on"],
            }
            for line in (d.funding if details else [])
        ],
    }


def _share(value) -> str | None:
    return None if value is None else f"{value * 100:.2f}"


def dossier_json(d: Dossier, user, *, events: bool = False) -> dict:
    audience = "holder" if user.role == Role.HOLDER else "organisation"
    deadline = selectors.next_deadline(d)
    actions = []
    for action in selectors.actions_for(user, d):
        name = ACTION_NAMES.get(action)
        if name and name not in actions:
            actions.append(name)
    if selectors.can_evaluate(d, rules.paris_date(timezone.now())) and user.role == Role.HOLDER:
        actions.append("evaluate")
    data = {
        "id": d.pk,
        "state": d.state,
        "state_label": str(DossierState(d.state).label),
        "offer_id": d.offer_id,
        "offer_title": d.offer_title,
        "organisation": {"id": d.organisation_id, "name": d.organisation.name},
        "holder": None if audience == "holder" else {"id": d.holder_id, "name": d.holder.full_name},
        "session_id": d.session_id,
        "start": d.start,
        "end": d.end,
        "price": money(d.price),
        "offer_price": money(d.offer_price),
        "proposal": None
        if d.proposal_price is None
        else {
            "price": money(d.proposal_price),
            "start": d.proposal_start,
            "end": d.proposal_end,
            "message": d.proposal_message,
        },
        "submitted_at": d.submitted_at,
        "respond_before": d.respond_before,
        "accept_before": d.accept_before,
        "free_cancellation_until": d.free_cancellation_until,
        "declare_entry_before": d.declare_entry_before,
        "declare_exit_before": d.declare_exit_before,
        "pay_before": d.pay_before,
        "next_deadline": {"name": deadline[0], "date": deadline[1]} if deadline else None,
        "next_step": selectors.state_message(d, audience),
        "funding": _funding_json(d, details=selectors.sees_funding_details(user)),
        "settlement": None
        if d.settled_at is None
        else {
            "ending": d.ending,
            "ending_label": d.get_ending_display(),
            "restored": money(d.restored_amount),
            "forfeited": money(d.forfeited_amount),
            "card_refund": money(d.holder_refund),
            "organisation_payment": money(d.organisation_amount),
            "completion_share": _share(d.completion_share),
            "attendance_share": _share(d.attendance_share),
            "force_majeure": d.force_majeure,
        },
        "refusal_reason": d.refusal_reason,
        "cancel_reason": d.cancel_reason,
        "took_place": d.took_place,
        "allowed_actions": actions,
        "frozen": d.frozen_at is not None,
    }
    if events:
        data["events"] = [
            {
                "at": e.at,
                "from_state": e.from_state or None,
                "to_state": e.to_state,
                "action": e.action,
                "actor_kind": e.actor_kind,
                "reason": e.reason,
            }
            for e in selectors.dossier_history(d)
        ]
    return data


def visible_dossier(request, dossier_id: int) -> Dossier:
    dossier = selectors.dossier_visible_to(request.auth, dossier_id)
    if dossier is None:
        raise Http404
    return dossier


# Refusals whose code the client must act on (DESIGN §4): the answer carries `code` and `detail`.
STABLE_CODES = frozenset({"frozen", "email_unconfirmed", "identity_required"})


def refused(error: services.DossierError) -> ApiError:
    return ApiError(error.status, error.errors, code=error.code if error.code in STABLE_CODES else None)


def answer(request, dossier_id: int, call) -> dict:
    """Run a service for a file the caller can see; map refusals to statuses; return the file's JSON.

    The file a move returns is the one it locked and wrote (with its holder, organisation and session): it is
    answered as is, not read again (tests/api/test_dossiers_api.py checks it equals a fresh read)."""
    if not selectors.dossier_is_visible_to(request.auth, dossier_id):
        raise Http404
    try:
        moved = call(ip=client_ip(request))
    except services.DossierError as error:
        raise refused(error)
    except PermissionDenied:
        raise PermissionDenied(_("You cannot do this on this file."))
    if not isinstance(moved, Dossier) or moved.pk != dossier_id:  # a payment's move: read its file
        moved = selectors.dossier_visible_to(request.auth, dossier_id)
    return dossier_json(moved, request.auth, events=True)
