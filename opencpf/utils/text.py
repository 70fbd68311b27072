"""Text received from people: names without invisible or direction-changing characters, no NUL anywhere."""

import re
import unicodedata

# Bidirectional controls (LRE…RLO, LRI…PDI, LRM, RLM, ALM) reorder what follows them: "Formation\u202egnp.exe"
# shows as "Formationexe.png". Zero-width characters hide inside a name to make two names look the same.
_INVISIBLE = re.compile(
    "[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u180e\u00ad\u034f\u115f\u1160\u3164\uffa0]"
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")


def clean_name(value: str | None) -> str:
    """A person's or organisation's name as shown to others: NFC, no invisible or control character, one space
    between words. Used by the forms, the API and the catalogue importer."""
    text = unicodedata.normalize("NFC", value or "")
    text = _CONTROL.sub(" ", _INVISIBLE.sub("", text))
    return _SPACES.sub(" ", text).strip()


def has_nul(value: str) -> bool:
    return "\x00" in value


_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(value: str | None) -> str:
    """Free text written by people (a message): NFC, no invisible, direction-changing or control character (line
    breaks and tabs kept), Windows line ends made plain, no blank around."""
    text = unicodedata.normalize("NFC", value or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_BUT_LINES.sub("", _INVISIBLE.sub("", text)).strip()
