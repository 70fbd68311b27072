"""Fails when a French message is missing or fuzzy: French is the first language of the service."""

import sys
from pathlib import Path

PO_FILE = Path(__file__).resolve().parent.parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def untranslated(po_text: str) -> list[str]:
    problems = []
    for block in po_text.split("\n\n"):
        lines = [line for line in block.strip().splitlines() if line.strip()]
        if not lines or any(line.startswith("#~") for line in lines):
            continue
        msgid = "".join(_strings(lines, "msgid "))
        if not msgid:
            continue  # the header
        if any(line.startswith("#,") and "fuzzy" in line for line in lines):
            problems.append(f"fuzzy: {msgid!r}")
            continue
        if any(line.startswith("msgid_plural") for line in lines):
            translations = [
                "".join(_strings(lines, f"msgstr[{index}] ")) for index in range(2) if f"msgstr[{index}]" in block
            ]
        else:
            translations = ["".join(_strings(lines, "msgstr "))]
        if not all(translations):
            problems.append(f"missing: {msgid!r}")
    return problems


def _strings(lines: list[str], keyword: str) -> list[str]:
    collected, inside = [], False
    for line in lines:
        if line.startswith(keyword):
            inside = True
            collected.append(line[len(keyword) :].strip()[1:-1])
        elif inside and line.startswith('"'):
            collected.append(line[1:-1])
        elif inside:
            break
    return collected


if __name__ == "__main__":
    if not PO_FILE.exists():
        sys.exit(f"{PO_FILE} is missing: run `make messages` and translate.")
    found = untranslated(PO_FILE.read_text())
    if found:
        print(f"{len(found)} French messages to translate in {PO_FILE}:")
        print("\n".join(f"  {problem}" for problem in found[:50]))
        sys.exit(1)
    print("French translations complete.")
