"""Bank details through the API: a key with the `payments` scope reads them (masked) and asks for a new IBAN, checked
with its key; the change waits, changes nothing and is told to the managers, until a finance manager other than the
caller confirms it in the space with the password and a fresh code; then payments are held, as on the web."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from opencpf.accounts.models import AuditEvent
from opencpf.catalogue.enums import ApiKeyScope
from opencpf.catalogue.models import BankDetailsChange, Organisation
from opencpf.catalogue.selectors import bank_details_on_hold
from opencpf.catalogue.services import bank, bank_changes
from opencpf.catalogue.services.api_keys import api_key_create, api_key_revoke
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.api.test_dossiers_api import token
from tests.dossiers.factories import organisation_with_staff

pytestmark = pytest.mark.django_db
GOOD_IBAN = "FR76 3000 6000 0112 3456 7890 189"
BAD_KEY = "FR77 3000 6000 0112 3456 7890 189"
PATH = "/api/v1/organisation/bank-details"


def post(client, credential, body, **headers):
    return client.post(
        f"{PATH}/changes",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {credential}", **headers},
    )


def get(client, credential, path=PATH):
    return client.get(path, headers={"Authorization": f"Bearer {credential}"})


@pytest.fixture
def space():
    organisation, manager = organisation_with_staff()
    clear, key = api_key_create(organisation=organisation, name="Compta", scopes=[ApiKeyScope.PAYMENTS], actor=manager)
    return organisation, manager, clear, key


def email_code(client, capture) -> str:
    with capture(execute=True):
        client.post("/organisme/identite/code/")
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def test_a_bad_key_is_refused_and_nothing_is_written(client, space):
    organisation, _manager, clear, _key = space
    response = post(client, clear, {"iban": BAD_KEY})
    assert response.status_code == 400 and list(response.json()["errors"]) == ["iban"]
    assert post(client, clear, {"iban": "FR76\x00"}).status_code == 400
    assert post(client, clear, {"iban": GOOD_IBAN, "bic": "X"}).status_code == 400  # unknown field
    assert not BankDetailsChange.objects.exists()
    assert not AuditEvent.objects.filter(action="organisation_iban_change_requested").exists()


def test_a_key_asks_a_person_confirms_in_the_space_and_payments_wait(
    client, space, django_capture_on_commit_callbacks, english
):
    organisation, manager, clear, key = space
    with django_capture_on_commit_callbacks(execute=True):
        asked = post(client, clear, {"iban": GOOD_IBAN}, **{"Idempotency-Key": "iban-1"})
    assert asked.status_code == 201, asked.json()
    change = asked.json()
    assert change["state"] == "pending" and change["iban"] == "FR76 •••• 0189" and "Compta" in change["requested_by"]
    # Nothing changed yet; the managers were told (the key's account has no mailbox).
    assert Organisation.objects.get(pk=organisation.pk).iban == ""
    assert mail.outbox[-1].to == [manager.email] and "0112345678" not in mail.outbox[-1].body
    event = AuditEvent.objects.get(action="organisation_iban_change_requested")
    assert event.actor == key.user and event.details["iban"] == "FR76 •••• 0189"
    # The same key and body answer the first answer again; another change waits: 409.
    again = post(client, clear, {"iban": GOOD_IBAN}, **{"Idempotency-Key": "iban-1"})
    assert again.status_code == 201 and again.json()["id"] == change["id"] and again["Idempotent-Replayed"] == "true"
    other = post(client, clear, {"iban": "DE89 3704 0044 0532 0130 00"})
    assert other.status_code == 409 and other.json()["code"] == "bank_change_pending"
    assert BankDetailsChange.objects.count() == 1

    details = get(client, clear).json()
    assert details["iban"] == "" and details["pending_change"]["id"] == change["id"]

    # The key cannot complete it (its account has neither a password nor a second factor, and it asked).
    with pytest.raises(PermissionDenied):
        bank_changes.bank_change_confirm(
            change_id=change["id"], organisation=organisation, actor=key.user, password="", code=""
        )

    # A finance manager confirms in the space, with the password and a fresh code.
    client.force_login(manager)
    page = client.get("/organisme/identite/").content.decode()
    assert "waits for your confirmation" in page and "FR76 •••• 0189" in page
    code = email_code(client, django_capture_on_commit_callbacks)
    url = f"/organisme/identite/changements/{change['id']}/confirmer/"
    wrong = client.post(url, {"password": "wrong", "code": code})
    assert wrong.status_code == 400 and Organisation.objects.get(pk=organisation.pk).iban == ""
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(url, {"password": DEFAULT_PASSWORD, "code": code})
    assert confirmed.status_code == 302
    organisation.refresh_from_db()
    assert organisation.iban == "FR7630006000011234567890189" and bank_details_on_hold(organisation)
    changed = AuditEvent.objects.get(action="organisation_iban_changed")
    assert changed.actor == manager and changed.details["change"] == change["id"]

    state = get(client, clear, f"{PATH}/changes/{change['id']}").json()
    assert state["state"] == "confirmed" and state["decided_at"]
    details = get(client, clear).json()
    assert details["iban"] == "FR76 •••• 0189" and details["payments_held_until"] and details["pending_change"] is None
    assert AuditEvent.objects.filter(action="organisation_bank_details_read", actor=key.user).count() == 3


def test_a_person_who_asked_through_the_api_does_not_confirm_alone(client, space, django_capture_on_commit_callbacks):
    organisation, manager, _clear, _key = space
    asked = post(client, token(manager), {"iban": GOOD_IBAN})
    assert asked.status_code == 201
    with pytest.raises(PermissionDenied):
        bank_changes.bank_change_confirm(
            change_id=asked.json()["id"], organisation=organisation, actor=manager, password=DEFAULT_PASSWORD, code="1"
        )
    assert Organisation.objects.get(pk=organisation.pk).iban == ""


def test_a_manager_rejects_and_nothing_changes(client, space, english):
    organisation, manager, clear, _key = space
    change_id = post(client, clear, {"iban": GOOD_IBAN}).json()["id"]
    client.force_login(manager)
    assert client.post(f"/organisme/identite/changements/{change_id}/rejeter/").status_code == 302
    assert get(client, clear, f"{PATH}/changes/{change_id}").json()["state"] == "rejected"
    assert Organisation.objects.get(pk=organisation.pk).iban == ""
    assert AuditEvent.objects.get(action="organisation_iban_change_rejected").actor == manager
    # Decided: it can be neither confirmed nor rejected again; a new change may be asked.
    with pytest.raises(bank_changes.BankChangeConflict):
        bank_changes.bank_change_reject(change_id=change_id, organisation=organisation, actor=manager)
    assert post(client, clear, {"iban": GOOD_IBAN}).status_code == 201


def test_other_scopes_revoked_keys_and_other_organisations_are_refused(client, space):
    organisation, manager, clear, key = space
    catalogue, _ = api_key_create(
        organisation=organisation, name="Catalogue", scopes=[ApiKeyScope.CATALOGUE_WRITE], actor=manager
    )
    assert get(client, catalogue).status_code == 403
    assert post(client, catalogue, {"iban": GOOD_IBAN}).status_code == 403
    change_id = post(client, clear, {"iban": GOOD_IBAN}).json()["id"]
    _other, stranger = organisation_with_staff()
    assert get(client, token(stranger), f"{PATH}/changes/{change_id}").status_code == 404
    api_key_revoke(key_id=key.pk, organisation=organisation, actor=manager)
    assert get(client, clear).status_code == 401
    assert post(client, clear, {"iban": "DE89 3704 0044 0532 0130 00"}).status_code == 401
    assert BankDetailsChange.objects.count() == 1


def test_the_service_refuses_the_current_iban(space, django_capture_on_commit_callbacks):
    organisation, manager, _clear, _key = space
    Organisation.objects.filter(pk=organisation.pk).update(iban="FR7630006000011234567890189")
    with pytest.raises(ValidationError):
        bank_changes.bank_change_request(organisation=organisation, actor=manager, iban=GOOD_IBAN)
    assert bank.iban_clean(GOOD_IBAN) == "FR7630006000011234567890189"


def test_the_schema_documents_every_answer(client):
    schema = client.get("/api/v1/schema/").json()
    write = schema["paths"][f"{PATH}/changes"]["post"]
    assert {"201", "400", "401", "403", "409", "413", "422"} <= set(write["responses"])
    assert any(p["name"] == "Idempotency-Key" for p in write["parameters"])
    assert {"200", "400", "401", "403"} <= set(schema["paths"][PATH]["get"]["responses"])
    assert "404" in schema["paths"][f"{PATH}/changes/{{change_id}}"]["get"]["responses"]
