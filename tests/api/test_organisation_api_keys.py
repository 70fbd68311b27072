"""Organisation API keys: created by the access manager, named, scoped, shown once, stored as a keyed digest,
revocable, last-used time; calls are attributed to the key; organisation endpoints only."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from opencpf.accounts.models import AuditEvent
from opencpf.catalogue.enums import ApiKeyScope, OrganisationRole
from opencpf.catalogue.models import Offer, OrganisationApiKey
from opencpf.catalogue.services.api_keys import api_key_create, api_key_revoke
from opencpf.catalogue.services.staff import member_add
from tests.accounts.factories import UserFactory
from tests.catalogue.factories import CertificationFactory
from tests.dossiers.factories import make_world, organisation_with_staff, register

pytestmark = pytest.mark.django_db
OFFER = {"certification": "RNCP37274", "title": "Anglais", "price": "900.00", "hours": "20", "modality": "remote"}


def call(client, key, method, path, data=None):
    headers = {"Authorization": f"Bearer {key}"}
    if method == "get":
        return client.get(path, data, headers=headers)
    return getattr(client, method)(path, data or {}, content_type="application/json", headers=headers)


@pytest.fixture
def space():
    organisation, manager = organisation_with_staff()
    CertificationFactory(code="RNCP37274")
    return organisation, manager


def test_a_catalogue_key_writes_the_catalogue_and_is_named_in_the_audit(client, space):
    organisation, manager = space
    clear, key = api_key_create(
        organisation=organisation, name="Notre ERP", scopes=[ApiKeyScope.CATALOGUE_WRITE], actor=manager
    )
    assert clear.startswith("ocpf_org_") and clear not in key.key_hash and key.prefix in clear
    created = call(client, clear, "post", "/api/v1/organisation/offers", OFFER)
    assert created.status_code == 201, created.json()
    event = AuditEvent.objects.get(action="offer_created")
    assert event.actor == key.user and "Notre ERP" in str(event.actor)
    key.refresh_from_db()
    assert key.last_used_at is not None and (timezone.now() - key.last_used_at).total_seconds() < 60
    assert call(client, clear, "get", "/api/v1/organisation/offers").json()["count"] == 1


def test_scopes_and_organisation_endpoints_only(client, space):
    organisation, manager = space
    read, _ = api_key_create(
        organisation=organisation, name="Lecture", scopes=[ApiKeyScope.CATALOGUE_READ], actor=manager
    )
    assert call(client, read, "get", "/api/v1/organisation/offers").status_code == 200
    assert call(client, read, "post", "/api/v1/organisation/offers", OFFER).status_code == 403
    assert call(client, read, "get", "/api/v1/dossiers").status_code == 403  # files need the files scope
    assert call(client, read, "get", "/api/v1/me").status_code in (401, 403)  # not an organisation endpoint
    assert not Offer.objects.exists()


def test_a_files_key_moves_files_of_its_organisation(client):
    world = make_world()
    dossier = register(world)
    clear, _key = api_key_create(
        organisation=world.organisation, name="CRM", scopes=[ApiKeyScope.FILES], actor=world.staff
    )
    listed = call(client, clear, "get", "/api/v1/dossiers")
    assert listed.status_code == 200 and listed.json()["count"] == 1
    assert call(client, clear, "post", "/api/v1/organisation/offers", OFFER).status_code == 403
    refused = call(client, clear, "post", f"/api/v1/dossiers/{dossier.pk}/refuse", {"reason": "Complet"})
    assert refused.status_code == 200, refused.json()


def test_revoked_keys_stop_at_once_and_only_access_managers_manage_keys(client, space):
    organisation, manager = space
    clear, key = api_key_create(
        organisation=organisation, name="Vieux", scopes=[ApiKeyScope.CATALOGUE_READ], actor=manager
    )
    api_key_revoke(key_id=key.pk, organisation=organisation, actor=manager)
    assert call(client, clear, "get", "/api/v1/organisation/offers").status_code == 401
    assert call(client, "ocpf_org_" + "x" * 43, "get", "/api/v1/organisation/offers").status_code == 401
    reader = UserFactory(organisation_staff=True)
    member_add(
        organisation=organisation, user=reader, roles=[OrganisationRole.READER, OrganisationRole.CATALOGUE_MANAGER]
    )

    with pytest.raises(PermissionDenied):
        api_key_create(organisation=organisation, name="X", scopes=[ApiKeyScope.FILES], actor=reader)
    assert AuditEvent.objects.filter(action="organisation_api_key_revoked", actor=manager).exists()


def test_the_key_is_shown_once_on_the_staff_page(client, space, english):
    organisation, manager = space
    client.force_login(manager)
    response = client.post(
        f"/organisme/cles-api/?organisation={organisation.pk}", {"name": "Site web", "scopes": ["catalogue:read"]}
    )
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    shown = re.search(r"(ocpf_org_[A-Za-z0-9_-]+)", response.content.decode()).group(1)
    assert call(client, shown, "get", "/api/v1/organisation/offers").status_code == 200
    page = client.get("/organisme/equipe/").content.decode()
    assert "Site web" in page and shown not in page
    assert OrganisationApiKey.objects.get().created_by == manager
