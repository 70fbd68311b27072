"""Training files API (DESIGN §4): the holder registers, accepts and pays, cancels, evaluates; the organisation
proposes, refuses, declares entry, exit, no-show or abandonment, cancels. Every file's JSON shows its state and
its deadlines as ISO dates; money is a decimal string ("123.45").

A file is visible to its holder, to the members of its organisation and to agents; anyone else gets 404.
A side that may see the file but not take that action gets 403; an action not possible in the file's state (or
after its deadline) gets 409 with a message; bad input gets 400 with messages per field; a declined card 402.

Acceptance pays by card in the same request: `POST /dossiers/{id}/accept` with `card` (the built-in provider
is a SANDBOX: 4242 4242 4242 4242 is accepted, 4000 0000 0000 0002 declined; no money moves). Read the split first
with `GET /dossiers/{id}/funding` and send back its `card_amount` as `expected_card_amount`: if the split changed
meanwhile the acceptance is refused (409) instead of charging another amount. No card is needed when nothing is
to be paid (exempt holder whose rights cover the price).
"""

from ninja import Router

from opencpf.api.dossiers import files, holder, organisation

router = Router(tags=["Training files"])
router.add_router("", files.router)
router.add_router("", holder.router)
router.add_router("", organisation.router)
