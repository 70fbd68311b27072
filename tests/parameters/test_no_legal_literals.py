"""No legal value is written in a text people read: it is rendered from the parameter in force.

The values in force today are taken from the parameters (so a new value is guarded as soon as its file says so)
and turned into the ways people write them ("7 business days", "7 jours ouvrés", "5 %", "5 000 €", "1 607 h",
"103,20", "two working days"). They are searched where texts live: every translatable message of the templates
(as `makemessages` extracts them) and of the Python code, the text of the templates outside tags, the OpenAPI
descriptions, and the msgids of the French catalogue that the code still uses. A bare number is not searched
(it would match a page number or a rating): only a number with the unit the parameter gives it.
"""

import ast
import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils.translation.template import templatize

from opencpf.parameters import ParameterNotInForce, all_parameters

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "opencpf"
TEMPLATES = SOURCES / "templates"
PO_FILE = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"

GETTEXT_NAMES = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
# Keyword arguments whose text people read without translation: OpenAPI pages (summary, description).
VISIBLE_KEYWORDS = {"description", "summary"}

SPACE = r"[ \u00a0\u202f]?"
WORDS_EN = {2: "two", 3: "three", 4: "four", 5: "five", 7: "seven", 10: "ten", 11: "eleven", 30: "thirty"}
WORDS_FR = {2: "deux", 3: "trois", 4: "quatre", 5: "cinq", 7: "sept", 10: "dix", 11: "onze", 30: "trente"}


def _grouped(integer: int) -> str:
    """1607 → "1[ ,.]?607": the thousands separators of both languages, or none."""
    digits = str(integer)
    head, groups = (
        digits[: len(digits) % 3 or 3],
        [digits[i : i + 3] for i in range(len(digits) % 3 or 3, len(digits), 3)],
    )
    return head + "".join(rf"[ \u00a0\u202f,.]?{group}" for group in groups)


def _number(value: int) -> str:
    words = [str(value), WORDS_EN.get(value), WORDS_FR.get(value)]
    return r"(?<![\w.,])(?:" + "|".join(re.escape(word) for word in words if word) + r")"


def patterns_for(unit: str, value) -> list[re.Pattern]:
    """How people write this value, as regular expressions (case-insensitive)."""
    if unit == "currency-EUR":
        amount = Decimal(value).quantize(Decimal("0.01"))
        integer, cents = divmod(int(amount * 100), 100)
        number = rf"(?<![\w.,]){_grouped(integer)}(?:[.,]{cents:02d})?"
        found = [rf"{number}{SPACE}(?:€|euros?\b)", rf"€{SPACE}{_grouped(integer)}(?![\d])"]
        if cents:  # 103.20: distinctive enough on its own
            found.append(rf"(?<![\w.,]){_grouped(integer)}[.,]{cents:02d}(?!\d)")
        return [re.compile(item, re.IGNORECASE) for item in found]
    if unit == "share":
        percent = (Decimal(value) * 100).normalize()
        number = re.escape(f"{percent:f}").replace(r"\.", "[.,]")
        return [re.compile(rf"(?<![\w.,]){number}{SPACE}(?:%|pour{SPACE}cent|per{SPACE}cent)", re.IGNORECASE)]
    if unit == "hours":
        return [re.compile(rf"(?<![\w.,]){_grouped(int(value))}(?!\d)")]
    if unit in {"business-days", "days"}:
        days = rf"{SPACE}(?:(?:business|working|calendar){SPACE})?(?:days?|jours?|bd)\b"
        return [re.compile(_number(int(value)) + days, re.IGNORECASE)]
    if unit == "count":
        return [re.compile(_number(int(value)) + rf"{SPACE}(?:open{SPACE})?(?:requests?|demandes?)\b", re.IGNORECASE)]
    return []  # lists (absences) are checked by their own tests


def legal_patterns(on: datetime.date) -> dict[str, list[re.Pattern]]:
    found = {}
    for name, parameter in all_parameters().items():
        try:
            value = parameter.value(on)
        except ParameterNotInForce:
            continue
        if patterns := patterns_for(parameter.unit, value):
            found[name] = patterns
    return found


PATTERNS = legal_patterns(datetime.date.today())


def offences(texts: dict[str, str]) -> list[str]:
    """ "where: parameter in «text»" for every text that writes a value in force."""
    found = []
    for where, text in texts.items():
        for name, patterns in PATTERNS.items():
            if any(pattern.search(text) for pattern in patterns):
                found.append(f"{where}: {name} in «{text[:140]}»")
    return found


# --- where texts live ----------------------------------------------------------------------------------------


CALL = re.compile(r"\b(?:n?p?gettext|_)\(")
STRING = re.compile(r"""\s*u?('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\s*,?""")


def template_messages(path: Path) -> list[str]:
    """The messages `makemessages` extracts from a template (via Django's own `templatize`)."""
    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    messages = []
    for call in CALL.finditer(code):
        position = call.end()
        while literal := STRING.match(code, position):
            messages.append(ast.literal_eval(literal.group(1)))
            position = literal.end()
    return messages


TAGS = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}|<(script|style)\b.*?</\1>|<[^>]*>", re.DOTALL)


def template_raw_text(path: Path) -> str:
    """The text of a template outside Django tags and HTML tags (attributes and styles are not read)."""
    return TAGS.sub(" ", path.read_text(encoding="utf-8"))


def python_texts(path: Path) -> list[str]:
    """Messages of gettext calls and OpenAPI summaries/descriptions in one Python file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    texts = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name in GETTEXT_NAMES:
            texts += [arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
        texts += [
            keyword.value.value
            for keyword in node.keywords
            if keyword.arg in VISIBLE_KEYWORDS
            and isinstance(keyword.value, ast.Constant)
            and isinstance(keyword.value.value, str)
        ]
    return texts


def po_msgids(path: Path) -> list[str]:
    """The msgids of a gettext catalogue, obsolete entries (`#~`) left out."""
    msgids, current = [], None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("msgid "):
            current = [ast.literal_eval(line[len("msgid ") :])]
        elif line.startswith('"') and current is not None:
            current.append(ast.literal_eval(line))
        elif current is not None:
            msgids.append("".join(current))
            current = None
    return [msgid for msgid in msgids if msgid]


def python_files() -> list[Path]:
    return [path for path in sorted(SOURCES.rglob("*.py")) if "migrations" not in path.parts]


def all_source_messages() -> set[str]:
    messages = set()
    for path in sorted(TEMPLATES.rglob("*")):
        if path.is_file():
            messages.update(template_messages(path))
    for path in python_files():
        messages.update(python_texts(path))
    return messages


# --- the guard catches what it must --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Free cancellation was possible until %(date)s (more than 7 business days before the start).",
        "The organisation answers within 2 working days; you confirm and pay the flat contribution.",
        "The organisation answers within two working days.",
        "L'organisme répond sous 2 jours ouvrés.",
        "the organisation receives 5 %% of the price.",
        "(25 % at least, in full above 80 %)",
        "within 30 days of its exit declaration",
        "Your yearly credit is then 800 € instead of 500 €.",
        "Acquired rights up to 5 000 €.",
        "Plafond de 8\u00a0000,00\u00a0€",
        "1 607 hours unless your collective agreement sets another duration.",
        "Full-time hours of the year (default 1607).",
        "The flat contribution is 103,20 €.",
        "with a rate of at least 10 %",
        "At most 5 open requests for the same training.",
    ],
)
def test_the_guard_finds_a_legal_value_written_in_a_text(text):
    assert offences({"example": text}), f"the guard missed a legal value in «{text}»"


@pytest.mark.parametrize(
    "text",
    [
        "The share must be between 0 % and 100 %",
        "Enter the 6-digit code sent to %(email)s. It is valid for 15 minutes.",
        "The last 30 sign-ins and attempts.",
        "A holder, %(date)s — %(average)s / 5",
        "Use 4242 4242 4242 4242 to accept.",
        "Page 2 of %(pages)s",
        "The organisation answers within %(respond_days)s.",
    ],
)
def test_the_guard_leaves_other_numbers_alone(text):
    assert not offences({"example": text})


# --- the texts -----------------------------------------------------------------------------------------------


def test_no_legal_value_in_the_messages_of_the_templates():
    texts = {}
    for path in sorted(TEMPLATES.rglob("*")):
        if path.is_file():
            for number, message in enumerate(template_messages(path)):
                texts[f"{path.relative_to(ROOT)} #{number}"] = message
    assert texts, "no message found in the templates: the extraction is broken"
    assert offences(texts) == []


def test_no_legal_value_in_the_raw_text_of_the_templates():
    texts = {
        str(path.relative_to(ROOT)): template_raw_text(path) for path in sorted(TEMPLATES.rglob("*")) if path.is_file()
    }
    assert offences(texts) == []


def test_no_legal_value_in_python_messages_and_api_descriptions():
    texts = {}
    for path in python_files():
        for number, text in enumerate(python_texts(path)):
            texts[f"{path.relative_to(ROOT)} #{number}"] = text
    assert len(texts) > 100, "too few messages found in the code: the extraction is broken"
    assert offences(texts) == []


def test_no_legal_value_in_the_msgids_still_in_use():
    """The French catalogue's msgids that the code still uses (the others go at the next `make messages`)."""
    in_use = all_source_messages()
    catalogue = po_msgids(PO_FILE)
    live = {
        f"django.po: {msgid[:60]}": msgid
        for msgid in catalogue
        if msgid in in_use or msgid.replace("%%", "%") in in_use
    }
    assert len(live) > len(catalogue) // 2, "most msgids should match a message of the code: the extraction is broken"
    assert offences(live) == []
