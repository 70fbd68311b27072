"""Evidence files: the type is sniffed from the content (never the name or the browser's word), the size and
count are capped, and files are stored outside the web root under OPENCPF_VAR_DIR, readable only through the
agents' download view."""

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

import filetype
from django.conf import settings
from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
MAX_FILES = 5
ALLOWED_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
# What each type must start with, on top of filetype's guess (a PDF header anywhere in the first kilobyte is not
# enough: the file must be a PDF from its first byte).
SIGNATURES = {"application/pdf": b"%PDF-", "image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG\r\n\x1a\n"}


class EvidenceError(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def evidence_dir() -> Path:
    return Path(getattr(settings, "EVIDENCE_DIR", settings.VAR_DIR / "evidence"))


def _read(upload) -> bytes:
    """At most MAX_BYTES + 1 bytes: a bigger upload is refused without reading it all."""
    if getattr(upload, "size", 0) and upload.size > MAX_BYTES:
        return b"\0" * (MAX_BYTES + 1)
    upload.seek(0)
    return upload.read(MAX_BYTES + 1)


def _clean_name(name: str) -> str:
    name = Path(str(name or "")).name.replace("\x00", "")
    return "".join(ch for ch in name if ch.isprintable())[:200] or "document"


def evidence_check(uploads) -> list[CheckedFile]:
    """Every upload checked before anything is written; EvidenceError with a message for the user otherwise."""
    uploads = list(uploads or [])
    if len(uploads) > MAX_FILES:
        raise EvidenceError(_("Attach at most %(count)s files.") % {"count": MAX_FILES})
    checked = []
    for upload in uploads:
        name = _clean_name(getattr(upload, "name", ""))
        content = _read(upload)
        if len(content) > MAX_BYTES:
            raise EvidenceError(
                _("“%(name)s” is larger than %(size)s MB.") % {"name": name, "size": MAX_BYTES // (1024 * 1024)}
            )
        if not content:
            raise EvidenceError(_("“%(name)s” is empty.") % {"name": name})
        kind = filetype.guess(content[:8192])
        mime = kind.mime if kind else ""
        if mime not in ALLOWED_TYPES or not content.startswith(SIGNATURES[mime]):
            raise EvidenceError(
                _("“%(name)s” is not a PDF, JPEG or PNG file (whatever its name says).") % {"name": name}
            )
        checked.append(CheckedFile(name=name, content_type=mime, content=content))
    return checked


def evidence_write(checked: CheckedFile) -> str:
    """Write the file under a random name (never the user's); returns that name."""
    directory = evidence_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    storage_name = f"{secrets.token_hex(16)}.{ALLOWED_TYPES[checked.content_type]}"
    path = directory / storage_name
    with open(path, "xb") as out:
        out.write(checked.content)
    path.chmod(0o600)
    return storage_name


def evidence_delete(storage_names) -> None:
    for name in storage_names:
        (evidence_dir() / name).unlink(missing_ok=True)


def evidence_path(storage_name: str) -> Path:
    path = (evidence_dir() / storage_name).resolve()
    if path.parent != evidence_dir().resolve():
        raise EvidenceError("bad storage name")
    return path
