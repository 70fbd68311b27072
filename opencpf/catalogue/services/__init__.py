"""Everything that writes the catalogue. Each write that changes what search shows marks the offers
(`search_changed_at`) and, once the transaction commits, enqueues the task that updates the search index
(`search_follow`).

- `organisations`: an organisation's status and an agent's approval;
- `offer_writes`, `session_writes`: the plain writes of offers and sessions, under
- `offers`: the organisation's own catalogue actions (roles, rules, audit);
- `catalogue_csv`, `staff`, `api_keys`, `bank`, `bank_changes`: the rest of the organisation's space.

Re-exported here: the names imported through the package elsewhere."""

from opencpf.catalogue.services.offer_writes import offer_create, offer_rating_update, offer_update
from opencpf.catalogue.services.organisations import organisation_approve, organisation_status_set
from opencpf.catalogue.services.search_follow import search_index_follow
from opencpf.catalogue.services.session_writes import session_create, session_update

__all__ = [
    "offer_create",
    "offer_rating_update",
    "offer_update",
    "organisation_approve",
    "organisation_status_set",
    "search_index_follow",
    "session_create",
    "session_update",
]
