"""A holder's declarations made the rules' inputs, read in one place for the yearly credit (services) and for the
history that explains it again (selectors): both must see the same employments, absences and activity."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from opencpf.rights import rules
from opencpf.rights.models import EmploymentDeclaration, SelfEmployedDeclaration

YearDeclarations = tuple[list[rules.Employment], rules.SelfEmployment | None]


def declarations_by_year(holder_id: int, years: Iterable[int]) -> dict[int, YearDeclarations]:
    """For each year asked: the employments (in the order they were declared) and the self-employed activity, if
    any. A year with no declaration maps to `([], None)`. Two queries whatever the number of years."""
    years = set(years)
    if not years:
        return {}
    employments: dict[int, list[rules.Employment]] = defaultdict(list)
    for declaration in EmploymentDeclaration.objects.filter(holder_id=holder_id, year__in=years).order_by("id"):
        employments[declaration.year].append(
            rules.Employment(
                hours_worked=declaration.hours_worked,
                reference_hours=declaration.reference_hours,
                absences=declaration.absences(),
            )
        )
    activities = {
        d.year: rules.SelfEmployment(months=d.months, contribution_paid=d.contribution_paid)
        for d in SelfEmployedDeclaration.objects.filter(holder_id=holder_id, year__in=years)
    }
    return {year: (employments.get(year, []), activities.get(year)) for year in years}
