"""What a sign-in answers (a status, a message, the pending second step) and the history it leaves (SignInEvent)."""

import datetime
import enum
from dataclasses import asdict, dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.accounts.enums import SignInOutcome
from opencpf.accounts.models import SignInEvent, User
from opencpf.utils.client import ClientInfo
from opencpf.utils.formatting import long_datetime

PENDING_LIFETIME = datetime.timedelta(minutes=15)


class Status(enum.StrEnum):
    OK = "ok"
    DENIED = "denied"  # wrong identifier, password or code
    LOCKED = "locked"  # too many failures: same answer whether or not the account exists
    DEVICE_CODE = "device_code"  # web: a code was emailed to confirm this new device
    TOTP = "totp"  # the account asks for its authenticator code
    EXPIRED = "expired"  # the second step came too late: start again
    ABROAD = "abroad"  # too many attempts today from this address outside the zone (DESIGN §2.7)


@dataclass(frozen=True)
class PendingSignIn:
    """What the web keeps in the (still anonymous) session between the password and the second step."""

    user_id: int
    identifier_key: str
    step: str
    new_device: bool
    started_at: float

    def to_session(self) -> dict:
        return asdict(self)

    @property
    def expired(self) -> bool:
        return timezone.now().timestamp() - self.started_at > PENDING_LIFETIME.total_seconds()

    @classmethod
    def from_session(cls, data) -> "PendingSignIn | None":
        try:
            return cls(**data)
        except TypeError:
            return None


@dataclass(frozen=True)
class SignInResult:
    status: Status
    message: str = ""
    user: User | None = None
    locked_until: datetime.datetime | None = None
    pending: PendingSignIn | None = None
    new_device: bool = False
    field: str = "__all__"  # for the API's field errors: "otp_code" when the authenticator code is the problem

    @property
    def ok(self) -> bool:
        return self.status == Status.OK


def _locked(until: datetime.datetime) -> SignInResult:
    local = timezone.localtime(until)
    message = _(
        "Too many failed attempts. For your security, signing in with this identifier or from this address is "
        "blocked until %(time)s. If you forgot your password, you can reset it."
    ) % {"time": local.strftime("%H:%M") if local.date() == timezone.localdate() else long_datetime(local)}
    return SignInResult(Status.LOCKED, message=message, locked_until=until)


def _denied(message: str | None = None, field: str = "__all__") -> SignInResult:
    return SignInResult(Status.DENIED, message=message or _("Wrong identifier or password."), field=field)


def _record(
    *, user: User | None, client: ClientInfo, outcome: SignInOutcome, channel: str, new_device: bool = False
) -> None:
    SignInEvent.objects.create(
        user=user,
        ip_address=client.ip,
        country=client.country,
        device=client.device[:200],
        outcome=outcome,
        channel=channel,
        new_device=new_device,
    )
