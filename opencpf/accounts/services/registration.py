"""Registration of a holder, and its limits per address and per identifier."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opencpf.accounts.digests import digest
from opencpf.accounts.enums import CodePurpose, HolderStatus, Role
from opencpf.accounts.models import AuditEvent, Holder, User
from opencpf.accounts.services.codes import code_send
from opencpf.accounts.services.core import audit, notify


@dataclass(frozen=True)
class HolderData:
    nir: str
    last_name: str
    first_names: str
    birth_date: datetime.date
    email: str
    phone: str
    address_line1: str
    postal_code: str
    city: str
    country: str
    status: HolderStatus
    low_qualified: bool
    disabled_worker: bool
    address_line2: str = ""


@transaction.atomic
def holder_register(*, data: HolderData, password: str, language: str = "fr") -> Holder:
    """Create the user and the holder together (the database refuses a second account for a NIR or email)."""
    user = User.objects.create_user(
        email=data.email,
        password=password,
        role=Role.HOLDER,
        display_name=f"{data.first_names} {data.last_name}",
        language=language,
    )
    holder = Holder.objects.create(
        user=user,
        nir=data.nir,
        last_name=data.last_name,
        first_names=data.first_names,
        birth_date=data.birth_date,
        phone=data.phone,
        address_line1=data.address_line1,
        address_line2=data.address_line2,
        postal_code=data.postal_code,
        city=data.city,
        country=data.country,
        status=data.status,
        low_qualified=data.low_qualified,
        disabled_worker=data.disabled_worker,
    )
    audit(actor=user, action="holder_registered", target=f"holder:{holder.pk}")
    code_send(user=user, purpose=CodePurpose.CONFIRM_EMAIL)
    return holder


NIR_TAKEN = gettext_lazy("An account already exists for this social security number.")


REGISTRATIONS_PER_ADDRESS = 10


REGISTRATIONS_PER_IDENTIFIER = 3


REGISTRATION_WINDOW = datetime.timedelta(hours=1)


class TooManyRegistrations(Exception):
    """Too many registrations lately from this address or for this NIR or email: the message says to wait."""


@dataclass(frozen=True)
class Registration:
    """What the caller may say about a registration: for a taken email, the same as for a new account.

    `holder` is the new account (None when the NIR or email already had one: its owner was told by email);
    `holder_id` is what the answer shows: the new holder's id, or an id drawn from the same sequence, so that
    nothing in the answer (status, shape, the id's size) tells whether the email had an account."""

    holder_id: int
    holder: Holder | None
    # The NIR already has an account: the registrant is told so, and only so (never whose, nor which email), and
    # offered "this is my number" (DESIGN §2.5). A taken email alone still answers like a new account.
    nir_taken: bool = False


def _registration_keys(data: HolderData) -> dict[str, str]:
    return {
        "nir_key": digest(f"registration:nir:{data.nir}"),
        "email_key": digest(f"registration:email:{data.email.lower()}"),
    }


def registration_limit_check(*, data: HolderData, ip: str | None) -> None:
    """Refuse (TooManyRegistrations) past the limits, then count this attempt, in its own transaction, so that
    attempts count whatever happens next. The answer is the same whether or not an account exists."""
    since = timezone.now() - REGISTRATION_WINDOW
    recent = AuditEvent.objects.filter(action="registration_attempted", at__gt=since)
    keys = _registration_keys(data)
    too_many = (ip is not None and recent.filter(ip_address=ip).count() >= REGISTRATIONS_PER_ADDRESS) or any(
        recent.filter(**{f"details__{name}": key}).count() >= REGISTRATIONS_PER_IDENTIFIER
        for name, key in keys.items()
    )
    if too_many:
        raise TooManyRegistrations(_("Too many registrations were tried lately. Wait an hour, then try again."))
    with transaction.atomic():
        audit(actor=None, action="registration_attempted", ip=ip, **keys)


def _next_holder_id() -> int:
    """Consume an id from the holders' own sequence, as an insert would (the next real holder gets the next one)."""
    table = Holder._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
            return cursor.fetchone()[0]
        # SQLite: AUTOINCREMENT tables draw from sqlite_sequence (the row appears with the first insert).
        cursor.execute(
            "INSERT INTO sqlite_sequence (name, seq) SELECT %s, 0 WHERE NOT EXISTS "
            "(SELECT 1 FROM sqlite_sequence WHERE name = %s)",
            [table, table],
        )
        cursor.execute(
            f"UPDATE sqlite_sequence SET seq = max(seq, (SELECT coalesce(max(id), 0) FROM {table})) + 1 "
            "WHERE name = %s RETURNING seq",
            [table],
        )
        return cursor.fetchone()[0]


def holder_register_or_notify(*, data: HolderData, password: str, language: str = "fr") -> Registration:
    """Register a holder, or, when the NIR or the email already has an account, create nothing and tell that
    account's owner by email. The caller answers the same in both cases (see Registration)."""
    existing = list(User.objects.filter(email__iexact=data.email)) + [
        holder.user for holder in Holder.objects.filter(nir=data.nir).select_related("user")
    ]
    if not existing:
        try:
            holder = holder_register(data=data, password=password, language=language)
        except IntegrityError:  # two registrations racing for one NIR or email: the database decided
            existing = list(User.objects.filter(email__iexact=data.email)) + [
                holder.user for holder in Holder.objects.filter(nir=data.nir).select_related("user")
            ]
        else:
            return Registration(holder_id=holder.pk, holder=holder)
    make_password(password)  # the same hashing work as a real registration: the time says nothing either
    with transaction.atomic():
        for user in {user.pk: user for user in existing}.values():
            same_nir = getattr(user, "holder", None) is not None and user.holder.nir == data.nir
            audit(actor=user, action="registration_refused_existing", target=f"user:{user.pk}")
            notify(
                user=user,
                template_prefix="emails/registration_attempt",
                context={"when": timezone.now(), "same_nir": same_nir},
            )
        holder_id = _next_holder_id()
    nir_taken = any(getattr(user, "holder", None) is not None and user.holder.nir == data.nir for user in existing)
    return Registration(holder_id=holder_id, holder=None, nir_taken=nir_taken)
