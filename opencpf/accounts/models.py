from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from opencpf.accounts.enums import (
    SIGN_IN_OUTCOME_BADGES,
    ClosureReason,
    CodePurpose,
    HolderStatus,
    IdentityLevel,
    IdentitySource,
    Role,
    SignInChannel,
    SignInOutcome,
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra_fields):
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True, role=Role.AGENT)
        return self.create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in: holders, organisations' staff, advisors, funders, agents."""

    email = models.EmailField(_("email address"), unique=True)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.HOLDER)
    display_name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, default="fr")
    email_verified_at = models.DateTimeField(_("email confirmed on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Raised by "sign out everywhere": every web session signed with the previous value stops being valid.
    sessions_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_valid"),
        ]

    def __str__(self):
        return self.display_name or self.email

    def _get_session_auth_hash(self, secret=None):
        # Django signs each session with an HMAC of the password hash; the epoch is mixed in so that signing out
        # everywhere invalidates sessions the platform did not list (epoch 0 keeps Django's own value).
        if not self.sessions_epoch:
            return super()._get_session_auth_hash(secret=secret)
        key_salt = "opencpf.accounts.models.User.get_session_auth_hash"
        value = f"{self.password}:{self.sessions_epoch}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    @property
    def is_holder(self) -> bool:
        return self.role == Role.HOLDER

    @property
    def is_agent(self) -> bool:
        return self.role == Role.AGENT


class Holder(models.Model):
    """The holder of a personal training account: one NIR, one account."""

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="holder")
    nir = models.CharField(_("social security number"), max_length=15, unique=True)
    last_name = models.CharField(_("birth name"), max_length=150)
    first_names = models.CharField(_("first names"), max_length=200)
    birth_date = models.DateField(_("birth date"))
    phone = models.CharField(_("phone"), max_length=20, help_text=_("E.164 format"))
    phone_verified_at = models.DateTimeField(null=True, blank=True)
    address_line1 = models.CharField(_("address"), max_length=200)
    address_line2 = models.CharField(_("address (continued)"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=16)
    city = models.CharField(_("city"), max_length=120)
    country = models.CharField(_("country"), max_length=2, default="FR")
    status = models.CharField(_("status"), max_length=32, choices=HolderStatus.choices)
    low_qualified = models.BooleanField(_("no certification of level 3"), default=False)
    disabled_worker = models.BooleanField(_("disabled worker (BOETH)"), default=False)
    # Situations exempting from the flat contribution (L6323-4), once an agent has seen the proof. The identity
    # issue adds the proof review queue; until then an agent sets them in the back office.
    c2p_confirmed = models.BooleanField(
        _("professional prevention account (C2P) confirmed"), default=False, db_default=False
    )
    work_accident_rate = models.DecimalField(
        _("confirmed permanent incapacity rate"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_(
            "Work accident or occupational disease, as a share between 0 and 1 (0.12 for 12 %), confirmed on proof."
        ),
    )
    # DESIGN §2.5: verified (by a federation, an identity check or in person) to engage rights.
    identity_level = models.CharField(
        _("identity level"),
        max_length=16,
        choices=IdentityLevel.choices,
        default=IdentityLevel.BASIC,
        db_default=IdentityLevel.BASIC,
    )
    identity_source = models.CharField(
        _("identity proven by"), max_length=32, choices=IdentitySource.choices, blank=True, db_default=""
    )
    identity_verified_at = models.DateTimeField(_("identity verified on"), null=True, blank=True)
    # DESIGN §2.7: an agent granted personal access from abroad (optionally until a date): the per-address limit on
    # sign-ins from outside the zone does not apply to this holder.
    abroad_access_granted_at = models.DateTimeField(_("personal access from abroad granted on"), null=True, blank=True)
    abroad_access_until = models.DateField(_("personal access from abroad until"), null=True, blank=True)
    closed_on = models.DateField(_("account closed on"), null=True, blank=True)
    closure_reason = models.CharField(_("closure reason"), max_length=32, choices=ClosureReason.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("holder")
        verbose_name_plural = _("holders")
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=HolderStatus.values), name="holder_status_valid"),
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True, closure_reason="")
                | models.Q(closed_on__isnull=False, closure_reason__in=ClosureReason.values),
                name="holder_closure_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(identity_level=IdentityLevel.BASIC, identity_source="")
                | models.Q(identity_level=IdentityLevel.VERIFIED, identity_source__in=IdentitySource.values),
                name="holder_verified_identity_has_source",
            ),
            models.CheckConstraint(
                condition=models.Q(work_accident_rate__isnull=True)
                | models.Q(work_accident_rate__gte=0, work_accident_rate__lte=1),
                name="holder_work_accident_rate_share",
            ),
        ]

    def __str__(self):
        return f"{self.first_names} {self.last_name}"

    @property
    def identity_verified(self) -> bool:
        return self.identity_level == IdentityLevel.VERIFIED

    @property
    def full_name(self) -> str:
        return f"{self.first_names} {self.last_name.upper()}"


class OneTimeCode(models.Model):
    """A 6-digit code sent by email (or SMS) to prove control of an address; only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="one_time_codes")
    purpose = models.CharField(max_length=32, choices=CodePurpose.choices)
    code_hash = models.CharField(max_length=128)
    payload = models.CharField(max_length=254, blank=True, help_text="The new email or phone being confirmed.")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "purpose", "-created_at"])]


class KnownDevice(models.Model):
    """A browser or app that already proved itself with an emailed code; identified by a cookie token hash."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="known_devices")
    # One browser carries one token; every account that proved itself on that browser has its own row.
    token_hash = models.CharField(max_length=64, db_index=True)
    label = models.CharField(max_length=200, blank=True)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "token_hash"], name="known_device_unique")]


class SignInEvent(models.Model):
    """The sign-in history shown to the holder: time, address, country, device, outcome."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_in_events", null=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField(null=True)
    country = models.CharField(max_length=2, blank=True)
    device = models.CharField(max_length=200, blank=True)
    outcome = models.CharField(max_length=32, choices=SignInOutcome.choices)
    new_device = models.BooleanField(default=False)
    channel = models.CharField(max_length=8, choices=SignInChannel.choices, default=SignInChannel.WEB)

    class Meta:
        # The second index counts an address's attempts of the day (holders abroad, DESIGN §2.7).
        indexes = [models.Index(fields=["user", "-at"]), models.Index(fields=["ip_address", "at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(channel__in=SignInChannel.values), name="sign_in_channel_valid")
        ]

    @property
    def badge_class(self) -> str:
        return SIGN_IN_OUTCOME_BADGES[self.outcome]

    @property
    def by_application(self) -> bool:
        return self.channel == SignInChannel.API


class UserSession(models.Model):
    """A signed-in web session, listed on "My security" so the holder can revoke it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="web_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True)
    country = models.CharField(max_length=2, blank=True)
    device = models.CharField(max_length=200, blank=True)


class ApiToken(models.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)


class FailureCounter(models.Model):
    """Failed sign-ins per identifier (hashed, whether or not an account exists) and per source address."""

    scope = models.CharField(max_length=16)  # "identifier" or "ip"
    key = models.CharField(max_length=64)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField(default=timezone.now)
    locked_until = models.DateTimeField(null=True, blank=True)
    lockouts = models.PositiveIntegerField(default=0, help_text="Locks in a row: each one lasts twice as long.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="failure_counter_unique"),
            models.CheckConstraint(condition=models.Q(scope__in=["identifier", "ip"]), name="failure_counter_scope"),
        ]


class AuditEvent(models.Model):
    """Sensitive actions (who, what, on whom, from where). Never holds a password, a code or a full NIR."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=64)
    target = models.CharField(max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True)
    details = models.JSONField(default=dict, blank=True)


class SmsOutbox(models.Model):
    """SANDBOX SMS GATEWAY: no SMS leaves this platform; messages land here (the sandbox's phone) for demos/tests."""

    to = models.CharField(max_length=20)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("SMS (sandbox outbox)")
        verbose_name_plural = _("SMS (sandbox outbox)")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.to} {self.created_at:%Y-%m-%d %H:%M}"
