"""Legal parameters as dated data, in the OpenFisca style. Pure Python: no Django here.

Every amount, cap, share and delay of the law lives in a YAML file under this directory, one file per rule;
the file's path without `.yaml` is the parameter's name (`rights/annual_amount`). A file looks like:

    description: Yearly credit of an employee who worked at least half the reference duration
    unit: currency-EUR
    values:
      2019-01-01:
        value: 500
        reference:
          - title: Code du travail, art. R6323-1 (décret n° 2018-1329 du 28 décembre 2018)
            href: https://www.legifrance.gouv.fr/...
      2031-01-01:
        value: null          # the rule ends on that date
        reference: [...]

Dates are the days each value takes effect, in increasing order; every date carries at least one legal
reference (a title and an https link). Numbers with a decimal point are read as `Decimal`, never as floats.

    >>> value("rights/annual_amount", on=date(2025, 6, 1))
    Decimal('500')

Units `currency-EUR` and `share` always give a Decimal; counts of hours or days stay integers when whole.

A rule announced by a law whose decree is not yet published has no start date: it is written in a `planned:`
block (a value and its references, no date) and is not in force on any date (`ParameterNotInForce`, like a date
before the first one). Adding a dated entry under `values:` switches it on from that date; the `planned:` block
then documents where it came from, or goes.

    planned:
      value: 900
      reference:
        - title: Loi de finances pour 2026, art. … — plafond fixé par décret (non publié)
          href: https://www.legifrance.gouv.fr/...

Files whose name starts with `_` are not parameters (`_references.yaml` holds citations for movements).
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

PARAMETERS_DIR = Path(__file__).resolve().parent
DECIMAL_UNITS = {"currency-EUR", "share"}  # always Decimal, even when written as a whole number (500)
DAY_OF_YEAR = "day-of-year"  # "MM-DD", quoted: a day that comes back every year (a calendar, not a delay)


class ParameterError(Exception):
    """Base of every error of this module; the message says which parameter or file and what is wrong."""


class UnknownParameter(ParameterError, KeyError):
    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


class ParameterNotInForce(ParameterError):
    """The parameter has no value on the date asked (before its first date, or after a `null` ended it)."""


class InvalidParameterFile(ParameterError):
    """A YAML file breaks the format: missing reference, dates out of order, duplicate date, bad value…"""


@dataclass(frozen=True)
class Reference:
    """A legal text and its link (Légifrance whenever the text is published there)."""

    title: str
    href: str

    def __str__(self) -> str:
        return self.title


@dataclass(frozen=True)
class Period:
    """One dated value: in force from `start` until the next period starts. `value` None means "rule ended"."""

    start: datetime.date
    value: Any
    references: tuple[Reference, ...]


@dataclass(frozen=True)
class Planned:
    """A value announced without a start date (its decree is not published): never in force."""

    value: Any
    references: tuple[Reference, ...]


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    periods: tuple[Period, ...]
    planned: Planned | None = None

    def at(self, on: datetime.date) -> Period:
        """The period in force on `on`; raises ParameterNotInForce if there is none."""
        if isinstance(on, datetime.datetime) or not isinstance(on, datetime.date):
            raise TypeError(f"parameter {self.name!r}: expected a date, got {on!r}")
        if not self.periods:
            raise ParameterNotInForce(
                f"parameter {self.name!r} has no value on {on.isoformat()}: it is planned, with no start date yet"
            )
        current = None
        for period in self.periods:
            if period.start <= on:
                current = period
            else:
                break
        if current is None:
            raise ParameterNotInForce(
                f"parameter {self.name!r} has no value on {on.isoformat()}: "
                f"it starts on {self.periods[0].start.isoformat()}"
            )
        if current.value is None:
            raise ParameterNotInForce(
                f"parameter {self.name!r} has no value on {on.isoformat()}: "
                f"the rule ended on {current.start.isoformat()}"
            )
        return current

    def value(self, on: datetime.date) -> Any:
        return self.at(on).value

    def references(self, on: datetime.date) -> tuple[Reference, ...]:
        return self.at(on).references


class _Loader(yaml.SafeLoader):
    """SafeLoader reading `0.05` as Decimal('0.05') and refusing duplicate keys (PyYAML keeps the last one)."""


def _construct_decimal(loader: _Loader, node: yaml.ScalarNode) -> Decimal:
    return Decimal(loader.construct_scalar(node).replace("_", ""))


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping: dict = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise InvalidParameterFile(f"duplicate key {key!r} (line {key_node.start_mark.line + 1})")
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_Loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _references(raw: Any, where: str) -> tuple[Reference, ...]:
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list) or not raw:
        raise InvalidParameterFile(f"{where}: every date needs a `reference` (a title and an https link)")
    references = []
    for item in raw:
        if not isinstance(item, dict):
            raise InvalidParameterFile(f"{where}: a reference is a mapping with `title` and `href`")
        title, href = item.get("title"), item.get("href")
        if not isinstance(title, str) or not title.strip():
            raise InvalidParameterFile(f"{where}: a reference has no `title`")
        if not isinstance(href, str) or not href.startswith("https://"):
            raise InvalidParameterFile(f"{where}: the reference {title!r} needs an `href` starting with https://")
        references.append(Reference(title=title.strip(), href=href))
    return tuple(references)


def parse_parameter(name: str, text: str) -> Parameter:
    """Parse and check one file's text (`name` is used in messages)."""
    try:
        data = yaml.load(text, Loader=_Loader)
    except InvalidParameterFile as error:
        raise InvalidParameterFile(f"{name}: {error}") from None
    except yaml.YAMLError as error:
        raise InvalidParameterFile(f"{name}: not valid YAML ({error})") from None
    if not isinstance(data, dict):
        raise InvalidParameterFile(f"{name}: the file must be a mapping with `description` and `values`")
    description = data.get("description")
    if not isinstance(description, str) or not description.strip():
        raise InvalidParameterFile(f"{name}: `description` is missing")
    unit = str(data.get("unit", ""))
    planned = _planned(name, data.get("planned"), unit) if "planned" in data else None
    values = data.get("values")
    if planned is not None and values is None:
        values = {}
    elif not isinstance(values, dict) or not values:
        raise InvalidParameterFile(f"{name}: `values` must map dates to values")
    periods: list[Period] = []
    for start, entry in values.items():
        if isinstance(start, datetime.datetime) or not isinstance(start, datetime.date):
            raise InvalidParameterFile(f"{name}: {start!r} is not a date (write YYYY-MM-DD)")
        where = f"{name} at {start.isoformat()}"
        if periods and start <= periods[-1].start:
            raise InvalidParameterFile(
                f"{where}: dates out of order (after {periods[-1].start.isoformat()}); list them in increasing order"
            )
        if not isinstance(entry, dict) or "value" not in entry:
            raise InvalidParameterFile(f"{where}: each date needs a `value` (null to end the rule)")
        if isinstance(entry["value"], float):  # pragma: no cover - floats are read as Decimal
            raise InvalidParameterFile(f"{where}: floats are not allowed")
        if not periods and entry["value"] is None:
            raise InvalidParameterFile(f"{where}: the first value cannot be null")
        item = _typed(entry["value"], unit, where)
        periods.append(Period(start=start, value=item, references=_references(entry.get("reference"), where)))
    return Parameter(name=name, description=description.strip(), unit=unit, periods=tuple(periods), planned=planned)


def _typed(item: Any, unit: str, where: str) -> Any:
    if unit in DECIMAL_UNITS and item is not None:
        if isinstance(item, bool) or not isinstance(item, int | Decimal):
            raise InvalidParameterFile(f"{where}: a {unit} value must be a number")
        item = Decimal(item)
    if unit == DAY_OF_YEAR and item is not None:
        try:
            datetime.date.fromisoformat(f"2000-{item}")  # a leap year: 02-29 is a day of some years
        except (TypeError, ValueError):
            raise InvalidParameterFile(f'{where}: a {unit} value is a quoted "MM-DD"') from None
    return item


def _planned(name: str, entry: Any, unit: str) -> Planned:
    where = f"{name} (planned)"
    if not isinstance(entry, dict) or entry.get("value") is None:
        raise InvalidParameterFile(f"{where}: `planned` needs a `value` and a `reference`, and no date")
    return Planned(value=_typed(entry["value"], unit, where), references=_references(entry.get("reference"), where))


def load_parameters(root: Path = PARAMETERS_DIR) -> dict[str, Parameter]:
    """Read and check every parameter file under `root`; raises InvalidParameterFile on the first bad one."""
    parameters = {}
    for path in sorted(root.rglob("*.yaml")):
        relative = path.relative_to(root)
        if any(part.startswith("_") for part in relative.parts):
            continue
        name = relative.with_suffix("").as_posix()
        parameters[name] = parse_parameter(name, path.read_text(encoding="utf-8"))
    return parameters


@functools.cache
def _all() -> dict[str, Parameter]:
    return load_parameters()


def parameter(name: str) -> Parameter:
    try:
        return _all()[name]
    except KeyError:
        raise UnknownParameter(f"unknown parameter {name!r} (no file {name}.yaml under {PARAMETERS_DIR})") from None


def value(name: str, on: datetime.date) -> Any:
    """The value of parameter `name` in force on date `on`."""
    return parameter(name).value(on)


def references(name: str, on: datetime.date) -> tuple[Reference, ...]:
    """The legal references of the value of `name` in force on `on`."""
    return parameter(name).references(on)


def all_parameters() -> dict[str, Parameter]:
    return dict(_all())


@functools.cache
def _citations() -> dict[str, Reference]:
    path = PARAMETERS_DIR / "_references.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    if not isinstance(data, dict):
        raise InvalidParameterFile("_references.yaml: expected a mapping of names to references")
    return {key: _references(item, f"_references.yaml {key}")[0] for key, item in data.items()}


def citation(name: str) -> Reference:
    """A named legal citation that is not a dated value (used to explain ledger movements)."""
    try:
        return _citations()[name]
    except KeyError:
        raise UnknownParameter(f"unknown citation {name!r} in _references.yaml") from None


def all_citations() -> dict[str, Reference]:
    return dict(_citations())
