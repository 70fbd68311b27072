"""POST /api/v1/reports and GET /api/v1/reports/{id} (DESIGN §4.2, holder side)."""

import pytest

from opencpf.accounts.services import api_token_create
from opencpf.dossiers.models import Dossier
from opencpf.scams.models import Freeze, Report
from tests.accounts.factories import HolderFactory
from tests.dossiers.factories import make_world, register

pytestmark = pytest.mark.django_db


def token(user) -> str:
    return api_token_create(user=user)[0]


@pytest.fixture
def world():
    return make_world()


def body(**overrides):
    return {"situation": "registered_without_consent", "description": "Je n'ai rien demandé.", **overrides}


def test_a_signed_in_holder_reports_and_the_named_file_shows_frozen(api_client, world):
    dossier = register(world)
    api = api_client.bearer(token(world.user))
    response = api.post("/api/v1/reports", body(dossier_ids=[dossier.pk], lock_account=False))
    assert response.status_code == 201, response.content
    created = response.json()
    assert set(created) == {"id", "reference", "status"} and created["status"] == "new"
    mine = api.get(f"/api/v1/reports/{created['id']}").json()
    assert mine["reference"] == created["reference"]
    assert mine["dossiers"] == [{"id": dossier.pk, "frozen": True, "outcome": "active"}]
    seen = api.get(f"/api/v1/dossiers/{dossier.pk}").json()
    assert seen["frozen"] is True and seen["allowed_actions"] == []


def test_naming_another_holders_file_answers_404_and_freezes_nothing(api_client, world):
    theirs = register(make_world())
    api = api_client.bearer(token(world.user))
    response = api.post("/api/v1/reports", body(dossier_ids=[theirs.pk]))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not Report.objects.exists() and not Freeze.objects.exists()
    assert Dossier.objects.get(pk=theirs.pk).frozen_at is None


def test_a_report_is_readable_only_by_its_author(api_client, world):
    created = api_client.bearer(token(world.user)).post("/api/v1/reports", body()).json()
    other = HolderFactory()
    assert api_client.bearer(token(other.user)).get(f"/api/v1/reports/{created['id']}").status_code == 404
    assert api_client.bearer("").get(f"/api/v1/reports/{created['id']}").status_code == 401


def test_anonymous_reports_answer_alike_whether_or_not_the_identity_matches(api_client, world):
    holder = world.holder
    matched = api_client.post(
        "/api/v1/reports",
        body(nir=holder.nir, birth_date=holder.birth_date.isoformat(), email=holder.user.email),
    )
    unmatched = api_client.post(
        "/api/v1/reports",
        body(nir=holder.nir, birth_date="1990-03-16", email=holder.user.email, situation="account_hacked"),
    )
    assert matched.status_code == unmatched.status_code == 201
    assert set(matched.json()) == set(unmatched.json())
    assert matched.json()["status"] == unmatched.json()["status"]
    assert [r.holder_id for r in Report.objects.order_by("pk")] == [holder.pk, None]


@pytest.mark.parametrize(
    "payload, field",
    [
        (body(nir="123", birth_date="1990-03-15", email="a@example.fr"), "nir"),
        (body(nir="", birth_date="", email=""), "email"),
        (body(situation="other", nir="", birth_date="", email=""), "nir"),
    ],
)
def test_anonymous_bad_input_is_400_per_field(api_client, payload, field):
    response = api_client.post("/api/v1/reports", payload)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_an_unparsable_or_hostile_body_is_a_400(api_client, world):
    api = api_client.bearer(token(world.user))
    assert api.post("/api/v1/reports", body(description="\x00")).status_code == 400
    assert api.post("/api/v1/reports", body(situation="hacked")).status_code == 400
    assert api.post("/api/v1/reports", body(dossier_ids=[10**30])).status_code == 400
    assert api.post("/api/v1/reports", body(description="x" * 100_000)).status_code == 400
    assert not Report.objects.exists()
