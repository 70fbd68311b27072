"""The law of rights accrual as pure functions (no Django): DESIGN §2.1.

Every function returns the amount AND the explanation lines that justify it, each line citing its legal
reference. Amounts, caps, shares and the list of counted absences come from `opencpf.parameters`, read for
the year being credited (the values in force on 31 December of that year).

Lines carry an English message (a gettext msgid with `%(name)s` placeholders) and its parameters; the
Django side renders them in the user's language with `Line.render(gettext, money=..., number=...)`.

Rounding: below half the reference duration, and for self-employed months, the law rounds UP to the cent
("arrondi à la deuxième décimale, au centime d'euro supérieur", R6323-1 II and R6323-22), computed exactly
with fractions: an annual amount A for 800 h over a reference of R h gives A × 800 / R (e.g. 248.9109… →
credited 248.92).
"""

from opencpf.rights.rules.accrual import Employment, SelfEmployment
from opencpf.rights.rules.cents import CentsRule
from opencpf.rights.rules.credit import YearlyCredit, yearly_credit
from opencpf.rights.rules.lines import Line, Money, format_number, round_up_to_cent
from opencpf.rights.rules.year import YearParameters, first_year_in_euros

__all__ = [
    "CentsRule",
    "Employment",
    "Line",
    "Money",
    "SelfEmployment",
    "YearParameters",
    "first_year_in_euros",
    "YearlyCredit",
    "format_number",
    "round_up_to_cent",
    "yearly_credit",
]
