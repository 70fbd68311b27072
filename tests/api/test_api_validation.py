"""What the API keeps out: loose certification codes, invisible characters in names, look-alike emails; and what
an organisation may read of a holder's file."""

import json

import pytest

from opencpf.accounts.models import Holder
from opencpf.dossiers import services
from opencpf.rights.enums import FunderKind
from opencpf.rights.models import TopUp
from tests.accounts.factories import HolderFactory, UserFactory
from tests.api.test_dossiers_api import days, token
from tests.api.test_holders_api import registration
from tests.api.test_rights_api import top_up_payload
from tests.dossiers.factories import give_top_up, make_world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["RSRS99", "RNCP" + "9" * 5000, "RNCP", "RS-", "RNCP0", "RNCP12345678", "RNCP١٢٣"])
def test_earmark_certification_codes_are_validated_strictly(api_client, code):
    holder = HolderFactory()
    response = api_client.bearer(token(UserFactory(agent=True))).post(
        "/api/v1/topups", top_up_payload(holder, earmark_certifications=[code])
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["earmark_certifications"]
    assert not TopUp.objects.exists()


def test_good_codes_are_normalised(api_client):
    holder = HolderFactory()
    response = api_client.bearer(token(UserFactory(agent=True))).post(
        "/api/v1/topups", top_up_payload(holder, earmark_certifications=["rncp 037274", "RS5432"])
    )
    assert response.status_code == 201, response.json()
    assert response.json()["earmark_certifications"] == ["RNCP37274", "RS5432"]


@pytest.mark.parametrize("offer", [2**63, 10**30])
def test_earmarked_offer_ids_beyond_64_bits_are_refused(api_client, offer):
    holder = HolderFactory()
    response = api_client.bearer(token(UserFactory(agent=True))).post(
        "/api/v1/topups", top_up_payload(holder, earmark_offers=[offer])
    )
    assert response.status_code == 400 and list(response.json()["errors"]) == ["earmark_offers"]


@pytest.mark.parametrize(
    "disguised", ["Lef\u202eerv\u00e8", "Lef\u200bèvre", "Lef\u2066èvre\u2069", "\ufeffLefèvre", "Lef\u00adèvre"]
)
def test_invisible_and_direction_characters_are_removed_from_names(api_client, disguised):
    response = api_client.post("/api/v1/holders", registration(last_name=disguised, first_names="Jean\u200dPaul"))
    assert response.status_code == 201, response.json()
    holder = Holder.objects.get()
    assert holder.first_names == "JeanPaul"
    for char in ("\u202e", "\u200b", "\u2066", "\u2069", "\ufeff", "\u00ad"):
        assert char not in holder.last_name


def test_funder_name_is_cleaned(api_client):
    holder = HolderFactory()
    response = api_client.bearer(token(UserFactory(agent=True))).post(
        "/api/v1/topups", top_up_payload(holder, funder_name="ACME\u202e AS")
    )
    assert response.status_code == 201 and response.json()["funder_name"] == "ACME AS"


@pytest.mark.parametrize(
    "email",
    [
        "jean@p\u0430ypal.fr",  # Cyrillic "а" among Latin letters
        "jean@xn--pypal-4ve.fr",  # the same, as punycode
        "jean@\u0440\u0430\u0443\u0440\u0430l.com",  # Cyrillic look-alike label under a Latin top-level domain
        "j\u0435an@example.fr",  # Cyrillic "е" in the local part
    ],
)
def test_look_alike_emails_are_refused(api_client, email):
    response = api_client.post("/api/v1/holders", registration(email=email))
    assert response.status_code == 400 and "email" in response.json()["errors"], response.json()
    assert not Holder.objects.exists()


@pytest.mark.parametrize(
    "email", ["jose@exemple.fr", "jean@caf\u00e9.fr", "ivan@\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444"]
)
def test_single_script_international_emails_are_kept(api_client, email):
    response = api_client.post("/api/v1/holders", registration(email=email))
    assert response.status_code == 201, response.json()


def test_the_organisation_sees_the_amounts_but_not_why_the_holder_is_exempt(client):
    world = make_world(price="1200.00", start=days(60), end=days(64), acquired="300.00", job_seeker=True)
    give_top_up(world.holder, "2000.00", kind=FunderKind.FRANCE_TRAVAIL, name="France Travail Occitanie")
    dossier = services.dossier_register(user=world.user, session_id=world.session.pk)
    services.dossier_propose(dossier_id=dossier.pk, user=world.staff, price="1200.00")
    services.dossier_accept(dossier_id=dossier.pk, user=world.user, card=None, expected_card_amount="0.00")

    def read(user):
        response = client.get(f"/api/v1/dossiers/{dossier.pk}", headers={"Authorization": f"Bearer {token(user)}"})
        assert response.status_code == 200
        return response.json()

    mine = read(world.user)["funding"]
    assert mine["exemption"] == "job_seeker" and mine["buckets"]
    theirs = read(world.staff)
    funding = theirs["funding"]
    assert (funding["price"], funding["funded"], funding["card_amount"]) == ("1200.00", "1200.00", "0.00")
    assert funding["exemption"] is None and funding["exemption_label"] is None and funding["buckets"] == []
    text = json.dumps(theirs, ensure_ascii=False)
    assert "France Travail" not in text and "job_seeker" not in text
    listed = client.get("/api/v1/dossiers", headers={"Authorization": f"Bearer {token(world.staff)}"}).json()
    assert "France Travail" not in json.dumps(listed, ensure_ascii=False)
    assert read(world.agent)["funding"]["exemption"] == "job_seeker"
