"""The machinery every move of a training file shares: errors, locking, the claim of a move from the
transition table and its guarded application, who acts, and input checks."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.accounts.enums import Role
from opencpf.accounts.models import Holder, User
from opencpf.catalogue.enums import OrganisationRole
from opencpf.catalogue.selectors import has_organisation_role
from opencpf.dossiers import notifications
from opencpf.dossiers.enums import (
    TERMINAL_STATES,
    Action,
    Actor,
    DossierState,
    Refusal,
    Transition,
    TransitionNotAllowed,
    transition,
)
from opencpf.dossiers.models import (
    Dossier,
    DossierEvent,
)

S = DossierState
ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MAX_PRICE = Decimal("99999999.99")
MAX_TEXT = 2000


class DossierError(Exception):
    """A refused action. `errors` maps fields ("__all__" for the file as a whole) to messages for the user;
    `status` is what the API answers (400 bad input, 402 card declined, 403 not yours, 409 not possible now)."""

    def __init__(self, errors: dict[str, list[str]] | str, *, status: int = 409, code: str = ""):
        self.errors = errors if isinstance(errors, dict) else {"__all__": [str(errors)]}
        self.status = status
        self.code = code
        super().__init__("; ".join(message for messages in self.errors.values() for message in messages))


def _invalid(errors: dict[str, list[str]]) -> DossierError:
    return DossierError(errors, status=400, code="invalid")


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _refusal(refusal: Refusal, *, field: str = "__all__", status: int = 409) -> DossierError:
    return DossierError({field: [str(refusal.label)]}, status=status, code=refusal.value)


def _not_allowed(error: TransitionNotAllowed) -> DossierError:
    """A move the table does not allow from the file's state, said plainly."""
    state, action = error.state, error.action
    code = "not_allowed"
    if action in (Action.DECLARE_EXIT, Action.DECLARE_ABANDONMENT) and state == S.CONFIRMED:
        code = "entry_not_declared"
    if action == Action.DECLARE_EXIT and state == S.CONFIRMED:
        message = _("The entry into training has not been declared: declare it before the exit.")
    elif action == Action.DECLARE_ABANDONMENT and state == S.CONFIRMED:
        message = _("The entry into training has not been declared: declare a no-show or the entry first.")
    else:
        message = _("This is not possible on a file in the state “%(state)s”.") % {
            "state": DossierState(state).label if state else "—"
        }
    return DossierError({"__all__": [message]}, status=409, code=code)


# --- who acts --------------------------------------------------------------------------------------------------


def holder_of(user: User) -> Holder:
    holder = getattr(user, "holder", None) if user and user.role == Role.HOLDER else None
    if holder is None:
        raise PermissionDenied(_("Only an account holder can do this."))
    return holder


def is_member(user: User, organisation_id: int) -> bool:
    """Whether `user` moves the organisation's files: its staff with the files manager role (least privilege)."""
    return has_organisation_role(user, organisation_id, OrganisationRole.FILES_MANAGER)


def _actor(dossier: Dossier, user: User, *, holder: bool = False, organisation: bool = False) -> Actor:
    """Who `user` is for this file among the sides allowed; PermissionDenied otherwise (views answer 404)."""
    if holder and user and user.role == Role.HOLDER and dossier.holder.user_id == user.pk:
        return Actor.HOLDER
    if organisation and is_member(user, dossier.organisation_id):
        return Actor.ORGANISATION
    if organisation and user and user.is_agent:
        return Actor.AGENT
    raise PermissionDenied(_("This training file is not yours."))


# --- the move itself -------------------------------------------------------------------------------------------


def frozen_error() -> DossierError:
    return DossierError(
        {
            "__all__": [
                _(
                    "This file is frozen: a scam report names it. Nothing can be done on it until the Caisse des "
                    "Dépôts decides."
                )
            ]
        },
        status=409,
        code="frozen",
    )


def _lock(dossier_id: int, *, frozen_ok: bool = False) -> Dossier:
    """Lock the file for a move. A file frozen by a scam report refuses every move (409 `frozen`) but the agent's
    cancellation for fraud (`frozen_ok`)."""
    dossier = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("holder__user", "organisation", "offer__certification", "session")
        .filter(pk=dossier_id)
        .first()
    )
    if dossier is None:
        raise DossierError({"__all__": [_("This training file does not exist.")]}, status=404, code="not_found")
    if dossier.frozen_at is not None and not frozen_ok:
        raise frozen_error()
    return dossier


def _claim(dossier_id: int, action: Action, user: User, **sides) -> tuple[Dossier, Transition, Actor]:
    """Lock the file, check that `user` is on an allowed side and that the table allows the move now."""
    dossier = _lock(dossier_id)
    actor = _actor(dossier, user, **sides)
    try:
        move = transition(DossierState(dossier.state), action, actor)
    except TransitionNotAllowed as error:
        raise _not_allowed(error)
    return dossier, move, actor


def _apply(
    dossier: Dossier,
    move: Transition,
    *,
    actor: Actor,
    user: User | None,
    now: datetime.datetime,
    ip: str | None = None,
    reason: str = "",
    details: dict | None = None,
    notify: bool = True,
    **fields,
) -> DossierEvent:
    """The guarded update: the state moves only if it is still the one the move starts from. `notify=False`
    leaves the emails to the caller (bulk moves send them from one background task)."""
    fields.update(state=move.target, updated_at=now)
    if move.target in TERMINAL_STATES:
        fields["closed_at"] = now
    guard = {} if move.action == Action.CANCEL_FOR_FRAUD else {"frozen_at__isnull": True}
    updated = Dossier.objects.filter(pk=dossier.pk, state=move.source, **guard).update(**fields)
    if updated != 1:
        raise DossierError(
            {"__all__": [_("This training file changed meanwhile: reload it and try again.")]}, code="changed"
        )
    for name, value in fields.items():
        setattr(dossier, name, value)
    event = DossierEvent.objects.create(
        dossier=dossier,
        from_state=move.source or "",
        to_state=move.target,
        action=move.action,
        actor_kind=actor,
        actor=user if actor != Actor.SYSTEM else None,
        at=now,
        ip_address=ip or None,
        reason=reason,
        details=details or {},
    )
    if notify:
        notifications.notify_move(dossier, event)
    return event


def _text(value: str, field: str, *, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise _invalid({field: [_("Give the reason.")]})
    if len(value) > MAX_TEXT:
        raise _invalid({field: [_("At most %(count)s characters.") % {"count": MAX_TEXT}]})
    return value


def _share(value, field: str) -> Decimal:
    """A share given in percent (0–100, two decimals at most), returned as a fraction 0–1."""
    try:
        percent = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise _invalid({field: [_("Enter a percentage between 0 and 100.")]})
    if not percent.is_finite() or not 0 <= percent <= 100 or percent != percent.quantize(CENT):
        raise _invalid({field: [_("Enter a percentage between 0 and 100.")]})
    return (percent / 100).quantize(Decimal("0.0001"))
