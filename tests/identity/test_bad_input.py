"""Issue 10's bad input, where it reaches the identity pages and endpoints: an executable renamed `.pdf` and a file
over 5 MB are refused on every upload (web and API) with a message on the field, and nothing is written or kept; a
grant on a closed account is refused in the back office too."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from opencpf.accounts.models import Holder
from opencpf.accounts.services import api_token_create
from opencpf.identity import access
from opencpf.identity.models import AccessRequest, IdentityCheck, StatusProof
from tests.accounts.factories import HolderFactory
from tests.identity.conftest import ELF, PDF, stored_files, upload
from tests.scams.helpers import agent_sign_in, make_agent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

BAD_FILES = {
    "executable renamed .pdf": (ELF, "is not a PDF, JPEG or PNG"),
    "over 5 MB": (PDF + b"0" * (5 * 1024 * 1024), "larger than 5 MB"),
}


def identity(holder) -> dict:
    return {"nir": holder.nir, "birth_date": holder.birth_date.isoformat(), "email": "moi@example.fr"}


# (where, signed in?, the fields besides the file, the file's field). The web pages answer 400 with the form.
UPLOADS = {
    "web identity check": ("/compte/identite/", True, lambda h: {"document_kind": "id_card"}, "document"),
    "web this is my number": (
        "/compte/identite/mon-numero/",
        False,
        lambda h: {**identity(h), "last_name": h.last_name, "document_kind": "passport"},
        "document",
    ),
    "web situation": ("/compte/identite/situation/", True, lambda h: {"situation": "job_seeker"}, "document"),
    "web access from abroad": (
        "/compte/identite/acces-etranger/",
        False,
        lambda h: {**identity(h), "country": "CA", "reason_kind": "moved_abroad", "details": "x"},
        "proof",
    ),
    "api identity check": (
        "/api/v1/identity-checks",
        False,
        lambda h: {**identity(h), "last_name": h.last_name, "document_kind": "id_card"},
        "document",
    ),
    "api status proof": ("/api/v1/status-proofs", True, lambda h: {"situation": "disabled_worker"}, "document"),
    "api access request": (
        "/api/v1/access-requests",
        False,
        lambda h: {**identity(h), "country": "CA", "reason": "Moved to Montréal"},
        "proof",
    ),
}


@pytest.mark.parametrize("bad", BAD_FILES)
@pytest.mark.parametrize("where", UPLOADS)
def test_a_bad_file_is_refused_on_its_field_and_nothing_is_kept(client, evidence_dir, where, bad):
    path, signed_in, fields, field = UPLOADS[where]
    content, message = BAD_FILES[bad]
    holder = HolderFactory(basic_identity=True)
    headers = {}
    if signed_in and path.startswith("/api/"):
        headers = {"Authorization": f"Bearer {api_token_create(user=holder.user)[0]}"}
    elif signed_in:
        client.force_login(holder.user)
    response = client.post(path, {**fields(holder), field: upload("contrat.pdf", content)}, headers=headers)
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert message in " ".join(response.json()["errors"][field])
    else:
        assert message in " ".join(response.context["form"].errors[field])
    assert not IdentityCheck.objects.exists() and not AccessRequest.objects.exists()
    assert not StatusProof.objects.exists() and stored_files(evidence_dir) == []


def test_a_grant_on_a_closed_account_is_refused_in_the_back_office(client):
    closed = HolderFactory(closed_on=datetime.date(2025, 1, 1), closure_reason="retirement")
    request = access.access_request_file(
        nir=closed.nir,
        birth_date=closed.birth_date,
        email=closed.user.email,
        country="US",
        reason="Retired in Florida",
        upload=upload("bail.pdf", PDF),
    )
    agent_client = Client()
    agent_sign_in(agent_client, make_agent())
    item = agent_client.get(reverse("gestion:access_request", args=[request.pk])).content.decode()
    assert "account closed" in item
    answer = agent_client.post(reverse("gestion:access_grant", args=[request.pk]), {"until": ""}, follow=True)
    assert "This account is closed: access cannot be granted." in answer.content.decode()
    assert AccessRequest.objects.get(pk=request.pk).status == "pending"
    assert Holder.objects.get(pk=closed.pk).abroad_access_granted_at is None
