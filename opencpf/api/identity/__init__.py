"""Identity checks (DESIGN §4.1): an ID document sent by a signed-in holder, or anonymously to recover an account
whose NIR someone else took; agents approve or reject. The same for the proof of a situation that moves money, and
for personal access asked from abroad (DESIGN §4.3). Multipart bodies, read from the request's form and files.

One router (tag) made of one sub-router per group of endpoints, in the order the schema lists them."""

from ninja import Router

from opencpf.api.identity import abroad, checks, proofs

router = Router(tags=["Identity"])
router.add_router("", checks.router)
router.add_router("", proofs.router)
router.add_router("", abroad.router)
