"""Demo rights: the demo holder (created by opencpf.accounts.demo) has exactly 3 000.00 € of acquired rights,
credited year by year for 2019-2024 from a full-time employer's declarations. Idempotent."""

import datetime

from opencpf.accounts.demo import DEMO_HOLDER_EMAIL
from opencpf.accounts.models import Holder
from opencpf.rights import rules
from opencpf.rights.models import EmploymentDeclaration
from opencpf.rights.selectors.balances import rights_balance
from opencpf.rights.services.yearly_credit import rights_credit_year

DEMO_EMPLOYER_SIRET = "73282932000074"  # a well-formed SIRET used only by the demo
DEMO_YEARS = range(2019, 2025)


def load(stdout) -> list[str]:
    holder = Holder.objects.filter(user__email=DEMO_HOLDER_EMAIL).first()
    if holder is None:
        return []
    for year in DEMO_YEARS:
        EmploymentDeclaration.objects.get_or_create(
            holder=holder,
            employer_siret=DEMO_EMPLOYER_SIRET,
            year=year,
            defaults={
                "hours_worked": rules.YearParameters.for_year(year).reference_hours,  # full time
                "reference_hours": rules.YearParameters.for_year(year).reference_hours,
                "source": "demo",
            },
        )
        rights_credit_year(holder=holder, year=year, on_date=datetime.date(year + 1, 4, 15))
    balance = rights_balance(holder)
    return [f"rights        {DEMO_HOLDER_EMAIL} has {balance.total} € of rights ({balance.acquired} € acquired)"]
