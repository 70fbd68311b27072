"""Schemathesis hooks for `make fuzz`'s chained run (scripts/fuzz.py): two credentials in one stateful run, so that
the links chain register (holder) → propose (organisation) → accept (holder).

- The organisation's operations get an organisation's API key: the organisation's moves on a file, the key of the
  file's organisation (FUZZ_FILES_KEYS, read from the file as its holder sees it), so that a file registered on any
  offer of the catalogue can be proposed; the other organisation paths, the demo organisation's key
  (FUZZ_ORGANISATION_KEY). Every other operation gets the demo holder's token (FUZZ_HOLDER_TOKEN).
- An accept pays with the sandbox's test card (see SANDBOX_CARD).
- A generated Idempotency-Key is replaced by a fresh one (see before_call).
- Every answer is counted per operation in FUZZ_CALLS_FILE (one JSON line per call), so that fuzz.py can assert
  that an accept succeeded.
`ignored_auth` still applies: it sends each secured call again without, then with a wrong, credential."""

import json
import os
import re
import uuid

import requests
import schemathesis

ORGANISATION_PATHS = r"^/api/v1/(organisation/.*|dossiers/\{dossier_id\}/(propose|refuse|declare-entry|declare-exit))$"
_ORGANISATION = re.compile(ORGANISATION_PATHS)


_organisation_of_file: dict[str, int | None] = {}


def _files_key(dossier_id) -> str | None:
    """The files key of the file's organisation, from the file as its holder sees it (None: not the holder's)."""
    if str(dossier_id) not in _organisation_of_file:
        answer = requests.get(
            f"{os.environ['FUZZ_BASE_URL']}/api/v1/dossiers/{dossier_id}",
            headers={"Authorization": f"Bearer {os.environ['FUZZ_HOLDER_TOKEN']}"},
            timeout=30,
        )
        found = answer.json()["organisation"]["id"] if answer.status_code == 200 else None
        _organisation_of_file[str(dossier_id)] = found
    organisation = _organisation_of_file[str(dossier_id)]
    if organisation is None:
        return None
    with open(os.environ["FUZZ_FILES_KEYS"]) as keys:
        return json.load(keys).get(str(organisation))


@schemathesis.auth().apply_to(path_regex=ORGANISATION_PATHS)
class OrganisationKey:
    def get(self, case, context):
        return os.environ["FUZZ_ORGANISATION_KEY"]

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@schemathesis.auth().skip_for(path_regex=ORGANISATION_PATHS)
class HolderToken:
    def get(self, case, context):
        return os.environ["FUZZ_HOLDER_TOKEN"]

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


ACCEPT = "/api/v1/dossiers/{dossier_id}/accept"
STEPS = {
    ("POST", "/api/v1/dossiers"): "register",
    ("POST", "/api/v1/dossiers/{dossier_id}/propose"): "propose",
    ("POST", ACCEPT): "accept",
}
# The holder's own share (the flat participation, and what the rights do not cover) is paid by card on accept: the
# card network cannot exist here, so the payment provider is the project's SANDBOX, whose documented test card is
# accepted. Random card data would only ever get 400.
SANDBOX_CARD = {"number": "4242 4242 4242 4242", "expiry_month": 12, "expiry_year": 2099, "cvc": "123"}


@schemathesis.hook
def before_call(context, case, kwargs):
    # A link sets the file's id after the auth provider ran: the file's organisation is known only now.
    dossier_id = (case.path_parameters or {}).get("dossier_id")
    authorization = next((name for name in case.headers or {} if name.lower() == "authorization"), None)
    if (
        _ORGANISATION.match(case.operation.path)
        and authorization
        and case.headers[authorization] == f"Bearer {os.environ['FUZZ_ORGANISATION_KEY']}"
        and isinstance(dossier_id, int)
        and 0 < dossier_id < 2**31
        and (key := _files_key(dossier_id))
    ):
        case.headers[authorization] = f"Bearer {key}"
    if case.operation.path == ACCEPT and case.method.upper() == "POST":
        case.body = {"card": SANDBOX_CARD}
    # A generated Idempotency-Key ("0", "a"…) comes back on the next write with another body: 422, and the chain
    # stops there. The other runs fuzz the header; here each write gets a key of its own.
    for name in list(case.headers or {}):
        if name.lower() == "idempotency-key":
            case.headers[name] = str(uuid.uuid4())
    headers = kwargs.get("headers") or {}
    for name in list(headers):
        if name.lower() == "idempotency-key":
            headers[name] = str(uuid.uuid4())


@schemathesis.hook
def after_call(context, case, response):
    path = case.operation.path
    line = {"method": case.method.upper(), "path": path, "status": response.status_code}
    line["credential"] = "organisation" if _ORGANISATION.match(path) else "holder"
    step = STEPS.get((line["method"], path))
    if step and 200 <= response.status_code < 300:
        line["step"], line["dossier_id"] = step, response.json()["id"]
    if os.environ.get("FUZZ_DEBUG") and path.endswith(("propose", "accept")):
        line["body"], line["answer"] = str(case.body)[:300], response.text[:300]
    with open(os.environ["FUZZ_CALLS_FILE"], "a") as calls:
        calls.write(json.dumps(line) + "\n")
