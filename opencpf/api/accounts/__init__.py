"""Accounts through the API: a holder registers, gets a bearer token, reads who they are, confirms their email
and signs out everywhere.

One router (tag) made of one sub-router per group of endpoints, in the order the schema lists them; the views keep
the operation ids they had when they all lived in `opencpf.api.accounts` (ninja derives them from the module, and
clients generate code from them), so each spells its id out."""

from ninja import Router

from opencpf.api.accounts import me, registration, token

router = Router(tags=["Accounts"])
router.add_router("", registration.router)
router.add_router("", token.router)
router.add_router("", me.router)
