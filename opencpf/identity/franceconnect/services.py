"""What a FranceConnect answer does (DESIGN §2.5).

- A signed-in holder verifies their identity: the identity must match the account (`matching`); the account is then
  linked (issuer + `sub`) and, at eidas2 or above, becomes verified (source `franceconnect`). eidas1 only links.
- Someone signs in with FranceConnect: the account linked to that `sub`, whose identity must still match.

A refusal writes nothing but its audit row, and says why in the user's language."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.accounts import services as accounts
from opencpf.accounts.enums import IdentitySource
from opencpf.accounts.models import Holder, User
from opencpf.identity.enums import VERIFYING_ACRS, MatchPoint
from opencpf.identity.franceconnect.client import FederationAnswer, FederationError
from opencpf.identity.franceconnect.matching import ClaimsError, identity_from_claims, identity_mismatches
from opencpf.identity.models import FederationLink
from opencpf.identity.services import holder_identity_verify


def _refuse(*, code: str, message: str, actor: User | None, holder: Holder | None, ip: str | None, **details):
    accounts.audit(
        actor=actor,
        action="franceconnect_refused",
        target=f"holder:{holder.pk}" if holder is not None else "",
        ip=ip,
        reason=code,
        **details,
    )
    return FederationError(code, message)


def _check_identity(*, holder: Holder, answer: FederationAnswer, actor: User | None, ip: str | None) -> None:
    try:
        identity = identity_from_claims(answer.claims)
    except ClaimsError as error:
        raise _refuse(
            code="claims",
            message=_(
                "FranceConnect did not send everything needed to compare your identity (%(claims)s). Nothing was "
                "changed."
            )
            % {"claims": ", ".join(error.claims)},
            actor=actor,
            holder=holder,
            ip=ip,
            claims=error.claims,
        )
    points = identity_mismatches(
        nir=holder.nir,
        last_name=holder.last_name,
        first_names=holder.first_names,
        birth_date=holder.birth_date,
        identity=identity,
    )
    if points:
        labels = ", ".join(str(MatchPoint(point).label) for point in points)
        raise _refuse(
            code="mismatch",
            message=_(
                "The identity FranceConnect sent is not the one of this account. What differs: %(points)s. Nothing "
                "was changed. If your account's details are wrong, verify your identity with an ID document instead."
            )
            % {"points": labels},
            actor=actor,
            holder=holder,
            ip=ip,
            points=[str(point) for point in points],
            acr=answer.acr,
        )


def franceconnect_verify(*, user: User, answer: FederationAnswer, ip: str | None = None) -> FederationLink:
    """The signed-in holder's identity from FranceConnect: links the account, and verifies it at eidas2+."""
    holder = getattr(user, "holder", None) if user.is_holder else None
    if holder is None or answer.user_id != user.pk:
        raise _refuse(
            code="state",
            message=_("This FranceConnect answer was asked by another account. Nothing was changed."),
            actor=user,
            holder=holder,
            ip=ip,
        )
    _check_identity(holder=holder, answer=answer, actor=user, ip=ip)
    taken = FederationLink.objects.filter(issuer=answer.issuer, sub=answer.sub).exclude(holder=holder).exists()
    message = _("This FranceConnect identity is already linked to another account. Nothing was changed.")
    if taken:
        raise _refuse(code="taken", message=message, actor=user, holder=holder, ip=ip)
    try:
        return _link(holder=holder, answer=answer, user=user, ip=ip)
    except IntegrityError:  # linked elsewhere in the meantime
        raise _refuse(code="taken", message=message, actor=user, holder=holder, ip=ip)


@transaction.atomic
def _link(*, holder: Holder, answer: FederationAnswer, user: User, ip: str | None) -> FederationLink:
    now = timezone.now()
    link, _created = FederationLink.objects.update_or_create(
        holder=holder,
        issuer=answer.issuer,
        defaults={"sub": answer.sub, "acr": answer.acr, "last_used_at": now},
        create_defaults={"sub": answer.sub, "acr": answer.acr, "linked_at": now, "last_used_at": now},
    )
    verified = answer.acr in VERIFYING_ACRS and not holder.identity_verified
    if verified:
        holder_identity_verify(holder_id=holder.pk, source=IdentitySource.FRANCECONNECT, now=now)
    accounts.audit(
        actor=user,
        action="franceconnect_linked",
        target=f"holder:{holder.pk}",
        ip=ip,
        acr=answer.acr,
        verified=verified,
    )
    return link


def franceconnect_holder(*, answer: FederationAnswer, ip: str | None = None) -> Holder:
    """Signing in with FranceConnect: the holder whose account is linked to this identity, if it still matches.
    Writes nothing but a refusal's audit (the sign-in itself is `accounts.signin.sign_in_federated`)."""
    link = FederationLink.objects.select_related("holder__user").filter(issuer=answer.issuer, sub=answer.sub).first()
    if link is None:
        raise _refuse(
            code="not_linked",
            message=_(
                "No account is linked to this FranceConnect identity yet. Sign in with your password, then choose "
                "FranceConnect on “Verify my identity”: from then on, FranceConnect signs you in."
            ),
            actor=None,
            holder=None,
            ip=ip,
        )
    holder = link.holder
    _check_identity(holder=holder, answer=answer, actor=None, ip=ip)
    FederationLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
    return holder


@transaction.atomic
def franceconnect_unlink(*, user: User, ip: str | None = None) -> bool:
    """The holder stops signing in with FranceConnect (the identity level stays what it is)."""
    holder = getattr(user, "holder", None) if user.is_holder else None
    deleted, _by_model = FederationLink.objects.filter(holder=holder).delete() if holder else (0, {})
    if deleted:
        accounts.audit(actor=user, action="franceconnect_unlinked", target=f"holder:{holder.pk}", ip=ip)
    return bool(deleted)
