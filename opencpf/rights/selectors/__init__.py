"""Reading a holder's rights: balances split by bucket (`balances`), what is usable for a training (`usable`), the
history with its explanations (`history`, `explanations`), the declarations as the rules read them
(`declarations`, also for the yearly credit), the simulator and an empty account's outlook (`outlook`). The names
below are the ones imported from this package elsewhere."""

from opencpf.rights.selectors.balances import ledger_sums, rights_balance
from opencpf.rights.selectors.explanations import absences_counted_as_work, absences_rule_text, render_lines
from opencpf.rights.selectors.history import rights_history
from opencpf.rights.selectors.usable import rights_available, rights_buckets, usable_top_ups

__all__ = [
    "absences_counted_as_work",
    "absences_rule_text",
    "ledger_sums",
    "render_lines",
    "rights_available",
    "rights_balance",
    "rights_buckets",
    "rights_history",
    "usable_top_ups",
]
