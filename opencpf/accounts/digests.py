"""The keyed digest: for what must be compared but never stored in clear (codes, identifiers of failed sign-ins)."""

import hashlib
import hmac

from django.conf import settings


def digest(value: str) -> str:
    """Keyed hash for what must be compared but never stored in clear (codes, identifiers of failed sign-ins)."""
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()
