"""Fill French translations from a JSON file {"msgid": "msgstr", ...}: `python scripts/po_fill.py fr.json`.

Entries it fills lose their fuzzy flag. Used when translating a batch of new messages.
"""

import json
import sys
from pathlib import Path

PO_FILE = Path(__file__).resolve().parent.parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _unquote(parts: list[str]) -> str:
    return "".join(json.loads(part) for part in parts)


def _without_fuzzy(flags_line: str) -> str:
    return ", ".join(part for part in flags_line.split(", ") if part.strip() != "fuzzy")


def fill(po_text: str, translations: dict[str, str]) -> tuple[str, int]:
    blocks, filled = [], 0
    for block in po_text.split("\n\n"):
        lines = block.split("\n")
        try:
            start = next(i for i, line in enumerate(lines) if line.startswith("msgid "))
            end = next(i for i, line in enumerate(lines) if line.startswith("msgstr "))
        except StopIteration:
            blocks.append(block)
            continue
        msgid = _unquote([lines[start][6:]] + lines[start + 1 : end])
        if msgid in translations:
            lines = [line for line in lines[:start] if not line.startswith("#| ")] + lines[start:end]
            lines = [
                ", ".join(part for part in line.split(", ") if part.strip() != "fuzzy")
                if line.startswith("#,")
                else line
                for line in lines
            ]
            lines = [line for line in lines if line.strip() != "#,"]
            lines.append("msgstr " + _quote(translations[msgid]))
            filled += 1
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks), filled


if __name__ == "__main__":
    translations = json.loads(Path(sys.argv[1]).read_text())
    text, filled = fill(PO_FILE.read_text(), translations)
    PO_FILE.write_text(text)
    print(f"{filled} of {len(translations)} messages filled.")
