import pytest
from django.core import mail

from opencpf.accounts.models import Holder, User
from opencpf.accounts.nir import nir_key
from tests.accounts.factories import HolderFactory
from tests.accounts.helpers import api_sign_in

NIR = "1880699123045" + nir_key("1880699123045")
NIR_FRESH = "1880699123046" + nir_key("1880699123046")
NIR_OTHER = "1880699123047" + nir_key("1880699123047")
NIR_AFTER = "1880699123048" + nir_key("1880699123048")


def registration(**overrides):
    payload = {
        "nir": NIR,
        "last_name": "Lefèvre",
        "first_names": "Jean Paul",
        "birth_date": "1988-06-21",
        "email": "jean.lefevre@example.fr",
        "phone": "06 12 34 56 78",
        "address": {"line1": "3 rue des Lilas", "postal_code": "31000", "city": "Toulouse", "country": "FR"},
        "status": "employee",
        "low_qualified": True,
        "disabled_worker": False,
        "password": "Tres-Bon-Mot-2026!",
    }
    payload.update(overrides)
    return payload


@pytest.mark.django_db
def test_register_holder_creates_account_and_emails_code(api_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post("/api/v1/holders", registration())
    assert response.status_code == 201, response.json()
    holder = Holder.objects.get(pk=response.json()["id"])
    assert holder.nir == NIR
    assert holder.phone == "+33612345678"
    # Declared, not yet proven: pending, and without effect on rights (DESIGN §2.5).
    assert holder.low_qualified is False
    assert holder.status_proofs.get().situation == "low_qualified"
    assert holder.user.email_verified_at is None
    assert holder.user.check_password("Tres-Bon-Mot-2026!")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["jean.lefevre@example.fr"]


@pytest.mark.django_db
def test_register_holder_living_abroad(api_client):
    response = api_client.post(
        "/api/v1/holders",
        registration(
            phone="+1 514 555 0123",
            address={"line1": "100 rue Sherbrooke", "postal_code": "H2X 1Y4", "city": "Montréal", "country": "CA"},
        ),
    )
    assert response.status_code == 201, response.json()
    holder = Holder.objects.get()
    assert holder.country == "CA"
    assert holder.phone == "+15145550123"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"nir": NIR[:-2] + "00"}, "nir"),
        ({"birth_date": "1989-06-21"}, "nir"),
        ({"email": "not-an-email"}, "email"),
        ({"phone": "12"}, "phone"),
        ({"password": "short"}, "password"),
        ({"password": "alllowercaseletters"}, "password"),
        ({"status": "retired"}, "status"),
        ({"birth_date": "1988-13-45"}, "birth_date"),
        ({"address": {"line1": "x", "postal_code": "7500", "city": "Paris", "country": "FR"}}, "address.postal_code"),
        ({"address": {"line1": "x", "postal_code": "75001", "city": "Paris", "country": "ZZ"}}, "address.country"),
    ],
)
def test_register_holder_bad_input_is_400_per_field_and_writes_nothing(
    api_client, django_capture_on_commit_callbacks, overrides, field
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post("/api/v1/holders", registration(**overrides))
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert not User.objects.exists()
    assert not mail.outbox


@pytest.mark.django_db
def test_registration_never_tells_whether_an_email_has_an_account(api_client, django_capture_on_commit_callbacks):
    """The answer for a taken email is the one a new account gets (201, an id of the same sequence), and the
    existing account's owner hears about it by email."""
    owner = HolderFactory(nir=HolderFactory.build().nir, user__email="owner@example.fr")
    with django_capture_on_commit_callbacks(execute=True):
        first = api_client.post("/api/v1/holders", registration(email="first@example.fr", nir=NIR_FRESH))
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post("/api/v1/holders", registration(email="owner@example.fr", nir=NIR_OTHER))
    with django_capture_on_commit_callbacks(execute=True):
        after = api_client.post("/api/v1/holders", registration(email="after@example.fr", nir=NIR_AFTER))
    assert first.status_code == response.status_code == after.status_code == 201
    assert set(response.json()) == set(first.json())
    assert first.json()["id"] < response.json()["id"] < after.json()["id"]  # nothing stands out in the ids
    assert Holder.objects.count() == 3 and Holder.objects.filter(user__email="owner@example.fr").count() == 1
    notice = [m for m in mail.outbox if m.to == [owner.user.email]]
    assert len(notice) == 1 and "tenté de créer" in notice[0].body  # the holder's language: French


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["other@example.fr", "owner@example.fr"])
def test_a_taken_nir_answers_an_account_exists_with_the_recovery_url_and_nothing_else(
    api_client, django_capture_on_commit_callbacks, english, email
):
    """One NIR, one account: 400 on `nir` (DESIGN §4: errors per field) whatever the email, with `recovery_url`, the
    "this is my number" page; nothing about the account, and its owner is told by email."""
    owner = HolderFactory(nir=NIR, user__email="owner@example.fr", last_name="Squatteur")
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post("/api/v1/holders", registration(email=email, nir=NIR))
    assert response.status_code == 400
    body = response.json()
    assert body == {
        "errors": {"nir": ["An account already exists for this social security number."]},
        "recovery_url": "http://testserver/compte/identite/mon-numero/",
    }
    assert Holder.objects.count() == 1 and not User.objects.filter(email="other@example.fr").exists()
    assert [m.to for m in mail.outbox] == [[owner.user.email]] and "tenté de créer" in mail.outbox[0].body


@pytest.mark.django_db
def test_registration_is_rate_limited_per_address_and_per_identifier(api_client):
    answers = [
        api_client.post("/api/v1/holders", registration(email=f"try{i}@example.fr")).status_code for i in range(4)
    ]
    assert answers == [201, 400, 400, 429]  # the same NIR over and over: then "an account already exists"
    assert Holder.objects.count() == 1
    for i in range(8):  # other identities, same address: 10 an hour
        nir = f"1880699{123100 + i}"
        answer = api_client.post(
            "/api/v1/holders", registration(email=f"other{i}@example.fr", nir=nir + nir_key(nir))
        ).status_code
        assert answer == (201 if i < 7 else 429)
    assert api_client.post("/api/v1/holders", registration(), REMOTE_ADDR="192.0.2.99").status_code == 429


@pytest.mark.django_db
def test_errors_in_english_when_asked(api_client):
    response = api_client.post("/api/v1/holders", registration(nir="12"), headers={"Accept-Language": "en"})
    assert response.json()["errors"]["nir"] == ["A social security number has 15 characters (13 and a 2-digit key)."]


@pytest.mark.django_db
def test_token_then_me(api_client, django_capture_on_commit_callbacks):
    holder = HolderFactory(user__email="me@example.fr")
    token = api_sign_in(api_client, holder.user, django_capture_on_commit_callbacks, username=holder.nir)["token"]
    me = api_client.bearer(token).get("/api/v1/me").json()
    assert me["email"] == "me@example.fr"
    assert me["holder"]["nir"] == holder.nir


@pytest.mark.django_db
def test_me_requires_a_valid_token(api_client):
    assert api_client.get("/api/v1/me").status_code == 401
    assert api_client.bearer("nope").get("/api/v1/me").status_code == 401


@pytest.mark.django_db
def test_malformed_json_is_400(client):
    response = client.post("/api/v1/holders", "{not json", content_type="application/json")
    assert response.status_code == 400


def test_openapi_schema_lists_the_contract_paths(client):
    paths = client.get("/api/v1/schema/").json()["paths"]
    assert {"/api/v1/holders", "/api/v1/auth/token", "/api/v1/me"} <= set(paths)
