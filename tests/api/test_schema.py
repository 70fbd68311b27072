"""DESIGN §4: every status an endpoint can answer is in the schema, with the shared error shapes."""

import pytest


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        return Client().get("/api/v1/schema/").json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_answer_an_endpoint_can_give_is_documented(schema):
    missing = []
    for path, method, operation in operations(schema):
        documented = set(operation["responses"])
        expected = set()
        if operation.get("parameters") or operation.get("requestBody"):
            expected.add("400")  # bad input, per field
        if operation.get("requestBody"):
            expected.add("413")  # a body over the upload limit
        if any(p["in"] == "path" for p in operation.get("parameters", [])):
            expected.add("404")
        if operation.get("security"):
            expected.add("401")
        if expected - documented:
            missing.append((method.upper(), path, sorted(expected - documented)))
    assert missing == []


def test_errors_and_money_have_one_schema_each(schema):
    components = schema["components"]["schemas"]
    assert components["Errors"]["properties"]["errors"]["type"] == "object"
    assert not [name for name in components if name.startswith("Errors") and name != "Errors"]
    simulate = schema["paths"]["/api/v1/rights/simulate"]["get"]["responses"]["200"]["content"]["application/json"]
    out = components[simulate["schema"]["$ref"].rsplit("/", 1)[1]]
    assert out["properties"]["credit"]["type"] == "string" and out["properties"]["credit"]["format"] == "decimal"


def test_links_chain_register_propose_accept_for_clients_and_the_fuzzer(schema):
    def links(path, method, status):
        return schema["paths"][path][method]["responses"][status]["links"]

    def operation_id(path, method):
        return schema["paths"][path][method]["operationId"]

    propose = links("/api/v1/dossiers", "post", "201")["Propose"]
    assert propose["operationId"] == operation_id("/api/v1/dossiers/{dossier_id}/propose", "post")
    assert propose["parameters"] == {"dossier_id": "$response.body#/id"}
    accept = links("/api/v1/dossiers/{dossier_id}/propose", "post", "200")["Accept"]
    assert accept["operationId"] == operation_id("/api/v1/dossiers/{dossier_id}/accept", "post")


def test_secured_endpoints_document_403_and_optional_auth_is_declared(schema):
    secured = [(path, method, op) for path, method, op in operations(schema) if op.get("security")]
    assert secured and all("403" in op["responses"] for _path, _method, op in secured)
    assert {} in schema["paths"]["/api/v1/identity-checks"]["post"]["security"]
    assert {} not in schema["paths"]["/api/v1/me"]["get"]["security"]
