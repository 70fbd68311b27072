"""OpenAPI links between operations: where the id an operation answers is used next. Clients read them as a map of
the journeys (find an offer → register → the organisation proposes → the holder accepts → entry…); the fuzzer's
stateful phase (`make fuzz`) follows them to chain real calls."""

BODY_ID = "$response.body#/id"
# Propose the file as asked: its session, at the published price (a proposal may not exceed it), same dates.
PROPOSE_AS_ASKED = {
    "price": "$response.body#/price",
    "session_id": "$response.body#/session_id",
    "start": None,
    "end": None,
    "message": "",
}

# (path, method, status) → [(link name, target path, target method, parameters, request body)]
LINKS: dict[tuple[str, str, str], list[tuple[str, str, str, dict, dict | None]]] = {
    ("/api/v1/offers", "get", "200"): [
        ("GetOffer", "/api/v1/offers/{offer_id}", "get", {"offer_id": "$response.body#/results/0/id"}, None),
    ],
    ("/api/v1/offers/{offer_id}", "get", "200"): [
        ("Register", "/api/v1/dossiers", "post", {}, {"session_id": "$response.body#/sessions/0/id"}),
    ],
    ("/api/v1/dossiers", "post", "201"): [
        ("GetDossier", "/api/v1/dossiers/{dossier_id}", "get", {"dossier_id": BODY_ID}, None),
        (
            "Propose",
            "/api/v1/dossiers/{dossier_id}/propose",
            "post",
            {"dossier_id": BODY_ID},
            PROPOSE_AS_ASKED,
        ),
        ("Refuse", "/api/v1/dossiers/{dossier_id}/refuse", "post", {"dossier_id": BODY_ID}, None),
        ("Cancel", "/api/v1/dossiers/{dossier_id}/cancel", "post", {"dossier_id": BODY_ID}, None),
    ],
    ("/api/v1/organisation/dossiers", "get", "200"): [
        (
            "Propose",
            "/api/v1/dossiers/{dossier_id}/propose",
            "post",
            {"dossier_id": "$response.body#/results/0/id"},
            {
                **PROPOSE_AS_ASKED,
                "price": "$response.body#/results/0/price",
                "session_id": "$response.body#/results/0/session_id",
            },
        ),
    ],
    ("/api/v1/dossiers/{dossier_id}/propose", "post", "200"): [
        ("Funding", "/api/v1/dossiers/{dossier_id}/funding", "get", {"dossier_id": BODY_ID}, None),
        ("Accept", "/api/v1/dossiers/{dossier_id}/accept", "post", {"dossier_id": BODY_ID}, None),
    ],
    ("/api/v1/dossiers/{dossier_id}/accept", "post", "200"): [
        ("Cancellation", "/api/v1/dossiers/{dossier_id}/cancellation", "get", {"dossier_id": BODY_ID}, None),
        ("DeclareEntry", "/api/v1/dossiers/{dossier_id}/declare-entry", "post", {"dossier_id": BODY_ID}, None),
        ("Cancel", "/api/v1/dossiers/{dossier_id}/cancel", "post", {"dossier_id": BODY_ID}, None),
    ],
    ("/api/v1/organisation/offers", "post", "201"): [
        ("GetOffer", "/api/v1/organisation/offers/{offer_id}", "get", {"offer_id": BODY_ID}, None),
        ("UpdateOffer", "/api/v1/organisation/offers/{offer_id}", "patch", {"offer_id": BODY_ID}, None),
        ("Publish", "/api/v1/organisation/offers/{offer_id}/publish", "post", {"offer_id": BODY_ID}, None),
        ("AddSession", "/api/v1/organisation/offers/{offer_id}/sessions", "post", {"offer_id": BODY_ID}, None),
    ],
    # The organisation's own sessions, as its software lists them: a holder may register on one.
    ("/api/v1/organisation/offers", "get", "200"): [
        (
            "Sessions",
            "/api/v1/organisation/offers/{offer_id}/sessions",
            "get",
            {"offer_id": "$response.body#/results/0/id"},
            None,
        ),
    ],
    ("/api/v1/organisation/offers/{offer_id}/sessions", "get", "200"): [
        ("Register", "/api/v1/dossiers", "post", {}, {"session_id": "$response.body#/results/0/id"}),
    ],
    ("/api/v1/organisation/offers/{offer_id}/sessions", "post", "201"): [
        ("UpdateSession", "/api/v1/organisation/sessions/{session_id}", "patch", {"session_id": BODY_ID}, None),
        ("CloseSession", "/api/v1/organisation/sessions/{session_id}/close", "post", {"session_id": BODY_ID}, None),
    ],
    ("/api/v1/me/security", "get", "200"): [
        (
            "CloseSession",
            "/api/v1/me/sessions/{session_id}",
            "delete",
            {"session_id": "$response.body#/sessions/0/id"},
            None,
        ),
        (
            "ForgetDevice",
            "/api/v1/me/devices/{device_id}",
            "delete",
            {"device_id": "$response.body#/devices/0/id"},
            None,
        ),
    ],
}


def document(schema: dict) -> dict:
    paths = schema.get("paths", {})
    for (path, method, status), links in LINKS.items():
        operation = paths.get(path, {}).get(method)
        if operation is None:
            continue
        response = operation["responses"].get(int(status)) or operation["responses"].get(status)
        if response is None:
            continue
        for name, target_path, target_method, parameters, body in links:
            target = paths.get(target_path, {}).get(target_method)
            if target is None:
                continue
            link: dict = {"operationId": target["operationId"]}
            if parameters:
                link["parameters"] = parameters
            if body:
                link["requestBody"] = body
            response.setdefault("links", {})[name] = link
    return schema
