import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CHARACTER_CLASSES = (
    (re.compile(r"[a-z]"), "lower"),
    (re.compile(r"[A-Z]"), "upper"),
    (re.compile(r"[0-9]"), "digit"),
    (re.compile(r"[^a-zA-Z0-9]"), "symbol"),
)


class CharacterClassesValidator:
    """A password mixes lower case, upper case, digits and symbols (DESIGN §2.5)."""

    def validate(self, password, user=None):
        missing = [name for pattern, name in CHARACTER_CLASSES if not pattern.search(password or "")]
        if missing:
            raise ValidationError(self.get_help_text(), code="password_classes")

    def get_help_text(self):
        return _("Your password must contain a lower-case letter, an upper-case letter, a digit and a symbol.")


def _scripts(text: str) -> set[str]:
    """The writing systems of the letters in `text` ("LATIN", "CYRILLIC", "GREEK"…), from their Unicode names."""
    scripts = set()
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            scripts.add(name.split(" ")[0] if name else "UNKNOWN")
    return scripts


def validate_email_scripts(email: str) -> None:
    """Refuse look-alike addresses: "pаypal.fr" with a Cyrillic "а" looks like paypal.fr.

    The domain (every label, the top-level one included, once decoded from punycode) must be written in one
    script, and so must the local part. A genuine internationalised address keeps working (пример@почта.рф is
    all Cyrillic; josé@exemple.fr is all Latin), but a Cyrillic label under a Latin ".fr" or ".com" — the usual
    shape of a whole-script look-alike — is refused, as is any mix inside the address's parts."""
    local, _at, domain = (email or "").rpartition("@")
    labels = []
    for label in domain.split("."):
        if label.lower().startswith("xn--"):
            try:
                label = label.encode("ascii").decode("idna")
            except UnicodeError:
                raise ValidationError(_("Enter a valid email address."), code="email_idna")
        labels.append(label)
    if len(_scripts("".join(labels))) > 1 or len(_scripts(local)) > 1:
        raise ValidationError(
            _("This address mixes alphabets (for example Cyrillic letters among Latin ones): check it."),
            code="email_mixed_scripts",
        )
