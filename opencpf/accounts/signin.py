"""Signing in, shared by the web sign-in and `POST /api/v1/auth/token`.

1. Locks first: an identifier (NIR or email, hashed, counted whether or not an account exists) or a source address
   that failed too often is locked for a delay that doubles with each lock. A locked attempt is not even checked,
   and the answer is the same whether or not the account exists.
2. Password.
3. Second step: the authenticator code (TOTP) for accounts that enabled it; otherwise a 6-digit code by email when
   the browser or application is not a known device (web and API alike). Wrong codes count as failures too.
4. Success: history (SignInEvent), web session listed on "My security", device remembered, and an email to the
   holder when the device is new.
"""

import datetime
import enum
import hashlib
import secrets
from dataclasses import asdict, dataclass

from django.contrib.auth import authenticate
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries.fields import Country

from opencpf.accounts import services
from opencpf.accounts.abroad import abroad_restricted
from opencpf.accounts.enums import CodePurpose, SignInChannel, SignInOutcome
from opencpf.accounts.lockouts import clear_failures, count_failure, current_lock, identifier_key, identifier_keys_of
from opencpf.accounts.models import KnownDevice, SignInEvent, User
from opencpf.accounts.selectors import confirmed_totp_device, user_by_identifier
from opencpf.utils.client import ClientInfo
from opencpf.utils.emails import send_email
from opencpf.utils.formatting import long_datetime

PENDING_LIFETIME = datetime.timedelta(minutes=15)
DEVICE_LIFETIME = datetime.timedelta(days=365)


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


# --- answers ---------------------------------------------------------------------------------------------------


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


# --- devices ---------------------------------------------------------------------------------------------------


def device_hash(token: str) -> str:
    return hashlib.sha256(f"opencpf-device:{token}".encode()).hexdigest()


def device_is_known(*, user: User, token: str | None) -> bool:
    if not token:
        return False
    return KnownDevice.objects.filter(
        user=user, token_hash=device_hash(token), last_seen_at__gt=timezone.now() - DEVICE_LIFETIME
    ).exists()


def device_remember(*, user: User, client: ClientInfo, token: str | None = None) -> str:
    """Remember this browser for the user (reusing the browser's token if it has one); returns the token."""
    token = token or secrets.token_urlsafe(32)
    # One statement: inserted, or (a device seen before) its label and last sighting brought up to date.
    KnownDevice.objects.bulk_create(
        [
            KnownDevice(
                user=user, token_hash=device_hash(token), label=client.device[:200], last_seen_at=timezone.now()
            )
        ],
        update_conflicts=True,
        unique_fields=["user", "token_hash"],
        update_fields=["label", "last_seen_at"],
    )
    return token


@transaction.atomic
def device_forget(*, user: User, device_id: int, ip: str | None = None) -> bool:
    deleted, _by_model = KnownDevice.objects.filter(user=user, pk=device_id).delete()
    if deleted:
        services.audit(actor=user, action="device_forgotten", target=f"user:{user.pk}", ip=ip)
    return bool(deleted)


# --- the steps -------------------------------------------------------------------------------------------------


def _abroad_message() -> str:
    return _(
        "Too many sign-ins were tried today from your address, which is outside France and the European "
        "Union. If you live abroad, ask for personal access: an agent answers by email."
    )


def sign_in_password(
    *,
    identifier: str,
    password: str,
    client: ClientInfo,
    channel: SignInChannel,
    device_token: str | None = None,
    otp_code: str | None = None,
) -> SignInResult:
    """First step, the same on the web and the API. A device that never proved itself gets DEVICE_CODE (a code by
    email) with a `pending` to keep (web session, or the API's signed `challenge`); an account with an authenticator
    app gets TOTP on the web, and on the API checks `otp_code` at once (it replaces the emailed code, as on the
    web)."""
    owner = user_by_identifier(identifier)
    # Holders abroad (DESIGN §4.3): this answer comes before any other, locks and password included.
    if abroad_restricted(client=client, owner=owner):
        _record(user=owner, client=client, outcome=SignInOutcome.ABROAD_RESTRICTED, channel=channel)
        return SignInResult(Status.ABROAD, message=_abroad_message())
    id_key = identifier_key(identifier, owner=owner)
    known_device = owner is not None and device_is_known(user=owner, token=device_token)
    # An address lock never stops a correct password from a known device: one guesser behind a shared address
    # (a company's NAT, a mobile carrier) cannot lock everybody else out. The identifier's lock still applies.
    if until := current_lock(id_key=id_key, client_ip=client.ip, address=not known_device):
        _record(user=owner, client=client, outcome=SignInOutcome.THROTTLED, channel=channel)
        return _locked(until)
    user = authenticate(None, username=identifier, password=password, owner=owner)
    if user is None:
        until = count_failure(id_key=id_key, client_ip=client.ip)
        _record(user=owner, client=client, outcome=SignInOutcome.BAD_CREDENTIALS, channel=channel)
        return _locked(until) if until else _denied()
    return _second_step(
        user=user, id_key=id_key, known_device=known_device, client=client, channel=channel, otp_code=otp_code
    )


def sign_in_federated(*, user: User, client: ClientInfo, device_token: str | None = None) -> SignInResult:
    """The web sign-in through an identity federation (FranceConnect): the provider's answer replaces the password,
    nothing else. The same refusal from abroad, locks, authenticator code or new-device code, and history."""
    if abroad_restricted(client=client, owner=user):
        _record(user=user, client=client, outcome=SignInOutcome.ABROAD_RESTRICTED, channel=SignInChannel.WEB)
        return SignInResult(Status.ABROAD, message=_abroad_message())
    id_key = identifier_key(user.email, owner=user)
    known_device = device_is_known(user=user, token=device_token)
    if until := current_lock(id_key=id_key, client_ip=client.ip, address=not known_device):
        _record(user=user, client=client, outcome=SignInOutcome.THROTTLED, channel=SignInChannel.WEB)
        return _locked(until)
    if not user.is_active:
        return _denied(_("This account cannot be signed in to. Contact the support."))
    return _second_step(user=user, id_key=id_key, known_device=known_device, client=client, channel=SignInChannel.WEB)


def _second_step(
    *,
    user: User,
    id_key: str,
    known_device: bool,
    client: ClientInfo,
    channel: SignInChannel,
    otp_code: str | None = None,
) -> SignInResult:
    """After the first factor (password or federation): the authenticator code, or the new device's emailed code."""
    totp = confirmed_totp_device(user)
    if user.is_agent and totp is None:
        # Agents act on everyone's data: no second factor, no sign-in (an agent who manages agents sets it up).
        _record(user=user, client=client, outcome=SignInOutcome.TOTP_ASKED, channel=channel)
        return _denied(_("Agents sign in with their authenticator app, and none is set up for this account."))
    new_device = not known_device
    started = timezone.now().timestamp()
    if totp is not None and channel == SignInChannel.API:
        if not (otp_code or "").strip():
            _record(user=user, client=client, outcome=SignInOutcome.TOTP_ASKED, channel=channel)
            return SignInResult(Status.TOTP, message=_("Enter the code shown by your authenticator app."), user=user)
        right, message, counted = services.totp_verify(device=totp, code=otp_code)
        if not right:
            until = count_failure(id_key=id_key, client_ip=client.ip) if counted else None
            outcome = SignInOutcome.BAD_TOTP if counted else SignInOutcome.THROTTLED
            _record(user=user, client=client, outcome=outcome, channel=channel)
            return _locked(until) if until else _denied(message, field="otp_code")
        return SignInResult(Status.OK, user=user, new_device=new_device)
    if totp is not None:
        _record(user=user, client=client, outcome=SignInOutcome.TOTP_ASKED, channel=channel, new_device=new_device)
        pending = PendingSignIn(user.pk, id_key, Status.TOTP.value, new_device, started)
        return SignInResult(Status.TOTP, user=user, pending=pending, new_device=new_device)
    if new_device:
        try:
            with transaction.atomic():
                services.code_send(user=user, purpose=CodePurpose.NEW_DEVICE)
                _record(user=user, client=client, outcome=SignInOutcome.CODE_SENT, channel=channel, new_device=True)
        except services.TooManyCodes:
            pass  # the last code sent is still valid: ask for it
        pending = PendingSignIn(user.pk, id_key, Status.DEVICE_CODE.value, True, started)
        message = _("This device is new for this account: enter the 6-digit code we just emailed you.")
        return SignInResult(Status.DEVICE_CODE, message=message, user=user, pending=pending, new_device=True)
    return SignInResult(Status.OK, user=user)


def sign_in_second_step(
    *, pending: PendingSignIn, code: str, client: ClientInfo, channel: SignInChannel = SignInChannel.WEB
) -> SignInResult:
    """The emailed code of a new device, or the authenticator code."""
    if pending.expired:
        return SignInResult(Status.EXPIRED, message=_("This sign-in took too long. Please start again."))
    user = User.objects.filter(pk=pending.user_id, is_active=True).first()
    if user is None:
        return SignInResult(Status.EXPIRED, message=_("This sign-in took too long. Please start again."))
    if until := current_lock(id_key=pending.identifier_key, client_ip=client.ip):
        _record(user=user, client=client, outcome=SignInOutcome.THROTTLED, channel=channel)
        return _locked(until)
    counted = True
    if pending.step == Status.TOTP:
        _right, error, counted = services.totp_verify(device=confirmed_totp_device(user), code=code)
        bad_outcome = SignInOutcome.BAD_TOTP if counted else SignInOutcome.THROTTLED
    else:
        try:
            services.code_check(user=user, purpose=CodePurpose.NEW_DEVICE, code=code)
            error = None
        except services.CodeError as exc:
            error = str(exc)
        bad_outcome = SignInOutcome.BAD_CODE
    if error:
        until = count_failure(id_key=pending.identifier_key, client_ip=client.ip) if counted else None
        _record(user=user, client=client, outcome=bad_outcome, channel=channel, new_device=pending.new_device)
        return _locked(until) if until else _denied(error, field="device_code")
    return SignInResult(Status.OK, user=user, new_device=pending.new_device)


# --- the API's challenge: the pending sign-in, signed, handed to the client instead of a session -------------

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


@transaction.atomic
def sign_in_complete(
    *,
    user: User,
    client: ClientInfo,
    channel: SignInChannel,
    new_device: bool,
    security_url: str,
    session_key: str | None = None,
    device_token: str | None = None,
    language: str | None = None,
) -> str | None:
    """Record the success; on the web, list the session; remember the device. Returns the device token the
    browser or the application must keep (its own when it already had one)."""
    now = timezone.now()
    _record(user=user, client=client, outcome=SignInOutcome.SUCCESS, channel=channel, new_device=new_device)
    clear_failures(keys=identifier_keys_of(user))
    update = {"last_login": now}
    if language and language != user.language:
        update["language"] = language
    User.objects.filter(pk=user.pk).update(**update)
    for field, value in update.items():
        setattr(user, field, value)
    if channel == SignInChannel.WEB:
        services.session_open(user=user, session_key=session_key, client=client)
    # One store of remembered devices for the web (a cookie) and the API (the client keeps `device_token`).
    token = device_remember(user=user, client=client, token=device_token)
    if new_device:
        services.audit(
            actor=user, action="new_device_sign_in", target=f"user:{user.pk}", ip=client.ip, channel=channel
        )
        context = {
            "when": now,
            "ip": client.ip or "?",
            "country": Country(client.country) if client.country else None,
            "device": client.device,
            "channel": channel,
            "security_url": security_url,
        }
        email, language = user.email, user.language
        transaction.on_commit(
            lambda: send_email(to=email, template_prefix="emails/new_device", context=context, language=language)
        )
    return token
