"""When the yearly credit reaches the accounts: the day of the parameter `rights/crediting_day` (the law sets no
date; the operator's published calendar), in the year after the work. Every text that gives that date asks here."""

import datetime

from opencpf.parameters import parameter

CREDITING_DAY = "rights/crediting_day"


def credited_by(worked_year: int) -> datetime.date:
    """The last day on which the credit for the work of `worked_year` arrives (the calendar in force that year)."""
    january_first = datetime.date(worked_year + 1, 1, 1)
    month, day = (int(part) for part in parameter(CREDITING_DAY).value(january_first).split("-"))
    return datetime.date(worked_year + 1, month, day)


def next_credited_year(*, today: datetime.date, last_year_credited: bool) -> int:
    """The year whose work is credited next: last year's, unless it is in or its day has passed (then no hours
    were declared for it and the next credit is for this year's work)."""
    last_year = today.year - 1
    if last_year_credited or today > credited_by(last_year):
        return today.year
    return last_year
