import re

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
