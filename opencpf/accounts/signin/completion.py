"""A sign-in that succeeded: history, the web session listed, the device remembered, an email when it is new."""

from django.db import transaction
from django.utils import timezone
from django_countries.fields import Country

from opencpf.accounts import services
from opencpf.accounts.enums import SignInChannel, SignInOutcome
from opencpf.accounts.lockouts import clear_failures, identifier_keys_of
from opencpf.accounts.models import User
from opencpf.accounts.signin.devices import device_remember
from opencpf.accounts.signin.results import _record
from opencpf.utils.client import ClientInfo
from opencpf.utils.emails import send_email


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
