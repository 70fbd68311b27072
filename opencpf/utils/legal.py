"""Legal values shown to people: rendered from the dated parameters in force, never written in a text.

One formatter per unit of `opencpf.parameters` (money, share, days, hours, counts), in the active language:
a share of 0.125 → "12,5 %", an amount of 1290 → "1 290,00 €" in French, a delay → "3 jours ouvrés".
Messages take them through placeholders: `legal_text(gettext_noop("… more than %(days)s before …"),
days="dossiers/free_cancellation_days")`. Templates use `{% legal_value %}` (opencpf.utils.templatetags.legal).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext, ngettext

from opencpf.parameters import parameter
from opencpf.utils.formatting import long_date

CURRENCY = "currency-EUR"
SHARE = "share"
BUSINESS_DAYS = "business-days"
DAYS = "days"
HOURS = "hours"
YEARS = "years"
COUNT = "count"
DAY_OF_YEAR = "day-of-year"


def format_money(amount: Decimal) -> str:
    """1290 → "1 290,00 €" in French, "1,290.00 €" in English (non-breaking space before the sign)."""
    return f"{formats.number_format(Decimal(amount), 2, use_l10n=True, force_grouping=True)}\u00a0€"


def format_share(share: Decimal) -> str:
    """0.125 → "12,5 %", 0.3 → "30 %" in French: a share as a percentage without useless zeros."""
    percent = (Decimal(share) * 100).normalize()
    decimals = max(0, -percent.as_tuple().exponent)
    return f"{formats.number_format(percent, decimals, use_l10n=True)}\u00a0%"


def format_count(count: int | Decimal) -> str:
    """1500 → "1 500" in French: a whole number with the locale's grouping."""
    return formats.number_format(count, 0, use_l10n=True, force_grouping=True)


def format_unit(unit: str, raw) -> str:
    """A parameter's value in words of its unit (the YAML `unit:` field)."""
    if unit == CURRENCY:
        return format_money(raw)
    if unit == SHARE:
        return format_share(raw)
    if unit == DAY_OF_YEAR:  # "06-15" → "15 juin", "15 June"
        return long_date(datetime.date.fromisoformat(f"2000-{raw}"), year=False)
    if unit not in {BUSINESS_DAYS, DAYS, HOURS, YEARS, COUNT}:
        raise ValueError(f"no display for the unit {unit!r}")
    count = int(raw)
    if unit == BUSINESS_DAYS:
        return ngettext("%(count)s business day", "%(count)s business days", count) % {"count": format_count(count)}
    if unit == DAYS:
        return ngettext("%(count)s day", "%(count)s days", count) % {"count": format_count(count)}
    if unit == HOURS:
        return ngettext("%(count)s hour", "%(count)s hours", count) % {"count": format_count(count)}
    if unit == YEARS:
        return ngettext("%(count)s year", "%(count)s years", count) % {"count": format_count(count)}
    return format_count(count)


def legal_value(name: str, *, on: datetime.date | None = None) -> str:
    """The value of parameter `name` in force on `on` (today in Paris by default), formatted for people."""
    item = parameter(name)
    return format_unit(item.unit, item.value(on or timezone.localdate()))


def legal_values(*, on: datetime.date | None = None, **names: str) -> dict[str, str]:
    """{"days": "N business days", …} for `days="dossiers/free_cancellation_days"`: a message's placeholders."""
    return {key: legal_value(name, on=on) for key, name in names.items()}


def legal_text(message: str | Promise, *, on: datetime.date | None = None, **names: str) -> str:
    """The message in the active language, its `%(key)s` placeholders filled with the parameters `names`."""
    text = str(message) if isinstance(message, Promise) else gettext(message)
    return text % legal_values(on=on, **names)


# For help texts and labels built at import time: rendered in the language and with the values of each request.
legal_text_lazy = lazy(legal_text, str)
