from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    HOLDER = "holder", _("Account holder")
    ORGANISATION_STAFF = "organisation_staff", _("Training organisation staff")
    ADVISOR = "advisor", _("Career advisor")
    FUNDER = "funder", _("Funder")
    AGENT = "agent", _("Caisse des Dépôts agent")


class HolderStatus(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    JOB_SEEKER = "job_seeker", _("Job seeker")


class ClosureReason(models.TextChoices):
    RETIREMENT = "retirement", _("Retirement pension liquidated")
    DEATH = "death", _("Death")


class CodePurpose(models.TextChoices):
    CONFIRM_EMAIL = "confirm_email", _("Email confirmation")
    NEW_DEVICE = "new_device", _("Sign-in from a new device")
    CHANGE_EMAIL = "change_email", _("New email address")
    CHANGE_PHONE = "change_phone", _("New phone number")
    BANK_DETAILS = "bank_details", _("Change of an organisation's bank details")


class SignInOutcome(models.TextChoices):
    SUCCESS = "success", _("Signed in")
    BAD_CREDENTIALS = "bad_credentials", _("Wrong password")
    THROTTLED = "throttled", _("Blocked after repeated failures")
    CODE_SENT = "code_sent", _("Code sent to confirm a new device")
    BAD_CODE = "bad_code", _("Wrong confirmation code")
    TOTP_ASKED = "totp_asked", _("Authenticator code asked")
    BAD_TOTP = "bad_totp", _("Wrong authenticator code")
    ABROAD_RESTRICTED = "abroad_restricted", _("Refused: too many attempts from abroad")


# The badge of each outcome in the holder's sign-in history: green signed in, blue a step asked, red refused.
SIGN_IN_OUTCOME_BADGES = {
    SignInOutcome.SUCCESS: "fr-badge--success",
    SignInOutcome.BAD_CREDENTIALS: "fr-badge--error",
    SignInOutcome.THROTTLED: "fr-badge--error",
    SignInOutcome.CODE_SENT: "fr-badge--info",
    SignInOutcome.BAD_CODE: "fr-badge--error",
    SignInOutcome.TOTP_ASKED: "fr-badge--info",
    SignInOutcome.BAD_TOTP: "fr-badge--error",
    SignInOutcome.ABROAD_RESTRICTED: "fr-badge--error",
}


class SignInChannel(models.TextChoices):
    WEB = "web", _("Website")
    API = "api", _("API")


class IdentityLevel(models.TextChoices):
    """DESIGN §2.5: *basic* reads, searches and asks; *verified* engages rights (accepts a proposal)."""

    BASIC = "basic", _("Basic")
    VERIFIED = "verified", _("Verified")


class IdentitySource(models.TextChoices):
    """How a verified identity was proven."""

    FRANCECONNECT = "franceconnect", _("FranceConnect+")
    DOCUMENT_CHECK = "document_check", _("Online identity check")
    IN_PERSON = "in_person", _("In person with an advisor")
    DEMO = "demo", _("Demo data")
