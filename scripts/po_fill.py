"""Fill French translations from JSON files {"msgid": "msgstr" or ["singular", "plural"], ...}.

`python scripts/po_fill.py locale/pending/*.json`. Entries it fills lose their fuzzy flag; a plural entry takes a
list of its two French forms. Used when translating a batch of new messages.
"""

import json
import sys
from pathlib import Path

PO_FILE = Path(__file__).resolve().parent.parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _unquote(parts: list[str]) -> str:
    return "".join(json.loads(part) for part in parts)


def _translation_lines(value: str | list[str], plural: bool) -> list[str]:
    if not plural:
        return ["msgstr " + _quote(value if isinstance(value, str) else value[0])]
    forms = [value, value] if isinstance(value, str) else value
    return [f"msgstr[{index}] " + _quote(form) for index, form in enumerate(forms[:2])]


def fill(po_text: str, translations: dict[str, str | list[str]]) -> tuple[str, int]:
    blocks, filled = [], 0
    for block in po_text.split("\n\n"):
        lines = block.split("\n")
        try:
            start = next(i for i, line in enumerate(lines) if line.startswith("msgid "))
            end = next(i for i, line in enumerate(lines) if line.startswith(("msgstr ", "msgid_plural ")))
        except StopIteration:
            blocks.append(block)
            continue
        msgid = _unquote([lines[start][6:]] + lines[start + 1 : end])
        if msgid in translations:
            plural = lines[end].startswith("msgid_plural ")
            keep_until = next(i for i, line in enumerate(lines) if line.startswith("msgstr")) if plural else end
            lines = [line for line in lines[:start] if not line.startswith("#| ")] + lines[start:keep_until]
            lines = [
                ", ".join(part for part in line.split(", ") if part.strip() != "fuzzy")
                if line.startswith("#,")
                else line
                for line in lines
            ]
            lines = [line for line in lines if line.strip() != "#,"]
            lines.extend(_translation_lines(translations[msgid], plural))
            filled += 1
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks), filled


if __name__ == "__main__":
    translations: dict[str, str | list[str]] = {}
    for name in sys.argv[1:]:
        translations.update(json.loads(Path(name).read_text()))
    text, filled = fill(PO_FILE.read_text(), translations)
    PO_FILE.write_text(text)
    print(f"{filled} of {len(translations)} messages filled.")
