"""The organisation's catalogue through the API (what /organisme/ does on the web): its offers and sessions, listed
with filters and a cursor, created, edited, published and closed; and the payments it receives. Roles are checked
by the services.

One router (tag and auth) made of one sub-router per group of endpoints, in the order the schema lists them."""

from ninja import Router

from opencpf.api.auth import bearer
from opencpf.api.organisation import offers, payments, sessions

router = Router(tags=["Organisation: catalogue"], auth=bearer)
router.add_router("", offers.router)
router.add_router("", sessions.router)
router.add_router("", payments.router)
