"""France's working days: weekends and public holidays (computed by the `holidays` package) excluded."""

import datetime
import functools

import holidays


@functools.cache
def _french_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("FR", years=year).keys())


def is_business_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _french_holidays(day.year)


def add_business_days(start: datetime.date, count: int) -> datetime.date:
    """The `count`-th business day after `start` (start itself not counted); count 0 returns start."""
    day = start
    remaining = count
    step = datetime.timedelta(days=1 if count >= 0 else -1)
    while remaining:
        day += step
        if is_business_day(day):
            remaining -= 1 if count > 0 else -1
    return day


def business_days_between(start: datetime.date, end: datetime.date) -> int:
    """How many business days fall after `start` up to and including `end` (negative if end < start)."""
    if end < start:
        return -business_days_between(end, start)
    return sum(1 for offset in range(1, (end - start).days + 1) if is_business_day(start + datetime.timedelta(offset)))
