"""The organisation's catalogue through the API: offers and sessions created, edited, published and closed, lists
with filters and a cursor; bad input, other organisations and missing roles answer 4xx and write nothing."""

import datetime

import pytest
from django.utils import timezone

from opencpf.accounts.services import api_token_create
from opencpf.catalogue.enums import OrganisationRole
from opencpf.catalogue.models import Offer, Session
from opencpf.catalogue.services.staff import member_add
from tests.accounts.factories import UserFactory
from tests.catalogue.factories import CertificationFactory
from tests.dossiers.factories import organisation_with_staff

pytestmark = pytest.mark.django_db


def days(n: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


class Caller:
    def __init__(self, client, user):
        self.client, self.headers = client, {"Authorization": f"Bearer {api_token_create(user=user)[0]}"}

    def get(self, path, data=None):
        return self.client.get(path, data, headers=self.headers)

    def post(self, path, data=None, **headers):
        return self.client.post(path, data or {}, content_type="application/json", headers=self.headers | headers)

    def patch(self, path, data):
        return self.client.patch(path, data, content_type="application/json", headers=self.headers)


@pytest.fixture
def manager(client):
    organisation, staff = organisation_with_staff()
    CertificationFactory(code="RNCP37274", title="Anglais")
    return Caller(client, staff)


OFFER = {
    "certification": "RNCP37274",
    "title": "Anglais des affaires",
    "price": "1200.00",
    "hours": "35",
    "modality": "mixed",
}


def test_offer_and_session_lifecycle(manager):
    created = manager.post("/api/v1/organisation/offers", OFFER)
    assert created.status_code == 201, created.json()
    offer = created.json()
    assert offer["price"] == "1200.00" and offer["published"] is False and offer["certification"] == "RNCP37274"
    url = f"/api/v1/organisation/offers/{offer['id']}"
    assert manager.patch(url, {"price": "990.50"}).json()["price"] == "990.50"
    assert manager.post(f"{url}/publish").json()["published"] is True
    session = manager.post(
        f"{url}/sessions", {"start_date": days(30), "end_date": days(35), "postal_code": "69001", "city": "Lyon"}
    )
    assert session.status_code == 201, session.json()
    session_id = session.json()["id"]
    assert manager.patch(f"/api/v1/organisation/sessions/{session_id}", {"seats": 10}).json()["seats"] == 10
    assert manager.post(f"/api/v1/organisation/sessions/{session_id}/close").json()["open"] is False
    assert manager.post(f"{url}/close").json()["published"] is False
    assert Offer.objects.get(pk=offer["id"]).price == 990.50


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**OFFER, "price": "0"}, "price"),
        ({**OFFER, "price": "10.999"}, "price"),
        ({**OFFER, "price": "abc"}, "price"),
        ({**OFFER, "certification": "RNCP1"}, "certification"),
        ({**OFFER, "modality": "teleport"}, "modality"),
        ({**OFFER, "colour": "blue"}, "colour"),
        ({k: v for k, v in OFFER.items() if k != "title"}, "title"),
    ],
)
def test_bad_offers_are_400_per_field_and_write_nothing(manager, body, field):
    response = manager.post("/api/v1/organisation/offers", body)
    assert response.status_code == 400 and field in response.json()["errors"], response.json()
    assert not Offer.objects.exists()


def test_sessions_in_the_past_or_before_the_certification_are_refused(manager):
    certification = CertificationFactory(code="RS5464", valid_from=timezone.localdate() + datetime.timedelta(days=60))
    offer = manager.post("/api/v1/organisation/offers", {**OFFER, "certification": certification.code}).json()
    url = f"/api/v1/organisation/offers/{offer['id']}/sessions"
    past = manager.post(url, {"start_date": days(-2), "end_date": days(3), "remote": True})
    early = manager.post(url, {"start_date": days(20), "end_date": days(70), "remote": True})
    backwards = manager.post(url, {"start_date": days(80), "end_date": days(70), "remote": True})
    assert [r.status_code for r in (past, early, backwards)] == [400, 400, 400]
    assert "start_date" in past.json()["errors"] and "start_date" in early.json()["errors"]
    assert "end_date" in backwards.json()["errors"]
    assert not Session.objects.exists()


def test_other_organisations_and_missing_roles(client, manager):
    offer = manager.post("/api/v1/organisation/offers", OFFER).json()
    _other_organisation, stranger = organisation_with_staff()
    other = Caller(client, stranger)
    assert other.get(f"/api/v1/organisation/offers/{offer['id']}").status_code == 404
    assert other.patch(f"/api/v1/organisation/offers/{offer['id']}", {"title": "Pris"}).status_code == 404
    reader = UserFactory(organisation_staff=True)
    member_add(
        organisation=Offer.objects.get(pk=offer["id"]).organisation, user=reader, roles=[OrganisationRole.READER]
    )
    as_reader = Caller(client, reader)
    assert as_reader.get(f"/api/v1/organisation/offers/{offer['id']}").status_code == 200
    assert as_reader.post(f"/api/v1/organisation/offers/{offer['id']}/publish").status_code == 403
    assert as_reader.post("/api/v1/organisation/offers", OFFER).status_code == 403
    holder = Caller(client, UserFactory())
    assert holder.get("/api/v1/organisation/offers").status_code == 403
    assert Offer.objects.get(pk=offer["id"]).is_active is False and Offer.objects.count() == 1


def test_lists_are_filtered_and_paginated_with_a_cursor(manager):
    ids = [
        manager.post("/api/v1/organisation/offers", {**OFFER, "title": f"Offre {n}"}).json()["id"] for n in range(5)
    ]
    manager.post(f"/api/v1/organisation/offers/{ids[0]}/publish")
    first = manager.get("/api/v1/organisation/offers", {"limit": 2}).json()
    assert first["count"] == 5 and [o["id"] for o in first["results"]] == ids[::-1][:2]
    second = manager.get("/api/v1/organisation/offers", {"limit": 2, "cursor": first["next_cursor"]}).json()
    third = manager.get("/api/v1/organisation/offers", {"limit": 2, "cursor": second["next_cursor"]}).json()
    assert [o["id"] for o in second["results"] + third["results"]] == ids[::-1][2:]
    assert third["next_cursor"] is None
    published = manager.get("/api/v1/organisation/offers", {"status": "published"}).json()
    assert [o["id"] for o in published["results"]] == [ids[0]]
    assert manager.get("/api/v1/organisation/offers", {"q": "Offre 3"}).json()["count"] == 1
    for bad in ("nope", "aWQ6LTE", "aWQ6OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5"):
        response = manager.get("/api/v1/organisation/offers", {"cursor": bad})
        assert response.status_code == 400 and list(response.json()["errors"]) == ["cursor"]
    assert manager.get("/api/v1/organisation/offers", {"limit": 0}).status_code == 400


def test_creating_twice_with_one_idempotency_key_creates_once(manager):
    first = manager.post("/api/v1/organisation/offers", OFFER, **{"Idempotency-Key": "offer-1"})
    again = manager.post("/api/v1/organisation/offers", OFFER, **{"Idempotency-Key": "offer-1"})
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert Offer.objects.count() == 1
    other = manager.post("/api/v1/organisation/offers", {**OFFER, "price": "5.00"}, **{"Idempotency-Key": "offer-1"})
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
