"""The API's challenge: the pending sign-in, signed, handed to the client instead of a session."""

from django.core import signing

from opencpf.accounts import services
from opencpf.accounts.enums import CodePurpose
from opencpf.accounts.models import User
from opencpf.accounts.signin.results import PENDING_LIFETIME, PendingSignIn, Status

# Kept as it was when the sign-in was one module: challenges already handed out stay valid.
_CHALLENGE_SALT = "opencpf.accounts.signin.challenge"


def challenge_of(pending: PendingSignIn) -> str:
    return signing.dumps(pending.to_session(), salt=_CHALLENGE_SALT, compress=True)


def pending_of_challenge(challenge: str) -> PendingSignIn | None:
    """The pending sign-in a challenge carries, or None when it is forged, altered or older than 15 minutes."""
    try:
        data = signing.loads(challenge or "", salt=_CHALLENGE_SALT, max_age=PENDING_LIFETIME)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    pending = PendingSignIn.from_session(data) if isinstance(data, dict) else None
    return pending if pending is not None and pending.step == Status.DEVICE_CODE else None


def device_code_resend(*, pending: PendingSignIn) -> None:
    """Raises services.TooManyCodes when too many were sent lately."""
    user = User.objects.filter(pk=pending.user_id, is_active=True).first()
    if user is not None and pending.step == Status.DEVICE_CODE:
        services.code_send(user=user, purpose=CodePurpose.NEW_DEVICE)
