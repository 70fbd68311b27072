"""The steps of a sign-in: the first factor (password, or the federation's answer), then the authenticator code or
the new device's emailed code."""

from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.accounts import services
from opencpf.accounts.abroad import abroad_restricted
from opencpf.accounts.enums import CodePurpose, SignInChannel, SignInOutcome
from opencpf.accounts.lockouts import count_failure, current_lock, identifier_key
from opencpf.accounts.models import User
from opencpf.accounts.selectors import confirmed_totp_device, user_by_identifier
from opencpf.accounts.signin.devices import device_is_known
from opencpf.accounts.signin.results import PendingSignIn, SignInResult, Status, _denied, _locked, _record
from opencpf.utils.client import ClientInfo


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
