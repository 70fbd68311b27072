"""Training files API (DESIGN §4): POST /api/v1/dossiers, GET /api/v1/dossiers[/{id}], and the actions."""

import datetime
import json

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opencpf.accounts.services import api_token_create
from opencpf.dossiers import services
from opencpf.dossiers.enums import DossierState
from opencpf.dossiers.models import Dossier, OrganisationPayment
from opencpf.dossiers.rules import PARIS
from tests.accounts.factories import HolderFactory, UserFactory
from tests.catalogue.factories import SessionFactory
from tests.dossiers.factories import (
    GOOD_CARD,
    assert_ledger_consistent,
    balances,
    eur,
    make_world,
    organisation_with_staff,
)

pytestmark = pytest.mark.django_db
S = DossierState
CARD = {"number": "4242 4242 4242 4242", "expiry_month": 12, "expiry_year": 2099, "cvc": "123"}
DECLINED = {**CARD, "number": "4000 0000 0000 0002"}


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> str:
    return (today() + datetime.timedelta(days=n)).isoformat()


def moment(n: int) -> datetime.datetime:
    return datetime.datetime.combine(today() + datetime.timedelta(days=n), datetime.time(10), tzinfo=PARIS)


def token(user) -> str:
    return api_token_create(user=user)[0]


class As:
    """A JSON client signed in as one user (each with its own headers, unlike the shared `api_client`)."""

    def __init__(self, client, key: str):
        self.client, self.headers = client, {"Authorization": f"Bearer {key}"}

    def get(self, path, data=None):
        return self.client.get(path, data, headers=self.headers)

    def post(self, path, data=None):
        return self.client.post(path, data or {}, content_type="application/json", headers=self.headers)


@pytest.fixture
def api(client):
    def signed_in(user_or_key):
        return As(client, user_or_key if isinstance(user_or_key, str) else token(user_or_key))

    return signed_in


@pytest.fixture
def world():
    return make_world(price="1200.00", start=days(60), end=days(64), acquired="3000.00")


@pytest.fixture
def as_holder(api, world):
    return api(world.user)


def registered(world, at: int = 0) -> Dossier:
    return services.dossier_register(user=world.user, session_id=world.session.pk, now=moment(at))


def proposed(world, at: int = 0) -> Dossier:
    dossier = registered(world, at)
    services.dossier_propose(dossier_id=dossier.pk, user=world.staff, price="1200.00", now=moment(at))
    return dossier


def test_register(as_holder, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_holder.post("/api/v1/dossiers", {"session_id": world.session.pk})
    assert response.status_code == 201, response.json()
    body = response.json()
    dossier = Dossier.objects.get(pk=body["id"])
    assert body["state"] == "submitted" and body["respond_before"] == dossier.respond_before.isoformat()
    assert body["price"] == "1200.00" and body["offer_price"] == "1200.00"
    assert body["accept_before"] is None and body["funding"] is None
    assert body["next_deadline"] == {"name": "respond_before", "date": dossier.respond_before.isoformat()}
    assert body["allowed_actions"] == ["cancel"]
    assert body["events"][0]["to_state"] == "submitted"
    assert {m.to[0] for m in mail.outbox} == {world.user.email, world.staff.email}


def test_register_twice_and_bad_input(as_holder, world):
    assert as_holder.post("/api/v1/dossiers", {"session_id": world.session.pk}).status_code == 201
    again = as_holder.post("/api/v1/dossiers", {"session_id": world.session.pk})
    assert again.status_code == 409 and again.json()["errors"]["__all__"]
    assert list(as_holder.post("/api/v1/dossiers", {}).json()["errors"]) == ["session_id"]
    assert as_holder.post("/api/v1/dossiers", {"session_id": "abc"}).status_code == 400
    unknown = as_holder.post("/api/v1/dossiers", {"session_id": 99999999})
    assert unknown.status_code == 400 and "session_id" in unknown.json()["errors"]
    assert Dossier.objects.count() == 1


def test_only_a_holder_registers(api, world):
    response = api(world.staff).post("/api/v1/dossiers", {"session_id": world.session.pk})
    assert response.status_code == 403
    assert api("nope").post("/api/v1/dossiers", {"session_id": world.session.pk}).status_code == 401


def test_who_sees_a_file(api, world):
    dossier = registered(world)
    url = f"/api/v1/dossiers/{dossier.pk}"
    assert api(world.user).get(url).json()["holder"] is None
    as_staff = api(world.staff).get(url)
    assert as_staff.status_code == 200 and as_staff.json()["holder"]["name"] == world.holder.full_name
    assert api(world.agent).get(url).status_code == 200
    assert api(HolderFactory().user).get(url).status_code == 404
    assert api(organisation_with_staff()[1]).get(url).status_code == 404
    assert api(UserFactory(role="funder")).get(url).status_code == 404
    assert api("").get(url).status_code == 401
    assert api(world.user).get("/api/v1/dossiers/999999").status_code == 404


def test_list_my_files(api, world):
    dossier = registered(world)
    other = make_world(start=days(60), end=days(64))
    registered(other)
    mine = api(world.user).get("/api/v1/dossiers").json()
    assert mine["count"] == 1 and [d["id"] for d in mine["results"]] == [dossier.pk]
    staff = api(world.staff).get("/api/v1/dossiers", {"state": "submitted"}).json()
    assert [d["id"] for d in staff["results"]] == [dossier.pk]
    assert api(world.staff).get("/api/v1/dossiers", {"state": "bogus"}).status_code == 400
    assert api(world.agent).get("/api/v1/dossiers").status_code == 403


def test_propose_then_see_the_funding_then_accept_and_pay(api, world):
    dossier = registered(world)
    as_staff = api(world.staff)
    bad = as_staff.post(f"/api/v1/dossiers/{dossier.pk}/propose", {"price": "abc"})
    assert bad.status_code == 400 and "price" in bad.json()["errors"]
    too_soon = as_staff.post(
        f"/api/v1/dossiers/{dossier.pk}/propose", {"price": "1000.00", "start": days(2), "end": days(4)}
    )
    assert too_soon.status_code == 400 and "start" in too_soon.json()["errors"]
    response = as_staff.post(f"/api/v1/dossiers/{dossier.pk}/propose", {"price": "1000.00", "message": "Bienvenue"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == "proposed" and body["proposal"]["price"] == "1000.00"
    assert body["accept_before"] and body["proposal"]["start"] == days(60)

    as_holder = api(world.user)
    funding = as_holder.get(f"/api/v1/dossiers/{dossier.pk}/funding").json()
    assert (funding["funded"], funding["card_amount"], funding["contribution_due"], funding["shortfall"]) == (
        "896.80",
        "103.20",
        "103.20",
        "0.00",
    )
    assert funding["buckets"] == [
        {
            "bucket": "acquired",
            "kind": "acquired",
            "label": funding["buckets"][0]["label"],
            "amount": "896.80",
            "earmarked": False,
            "expires_on": None,
        }
    ]
    assert as_staff.get(f"/api/v1/dossiers/{dossier.pk}/funding").status_code == 403

    accepted = as_holder.post(
        f"/api/v1/dossiers/{dossier.pk}/accept", {"card": CARD, "expected_card_amount": funding["card_amount"]}
    )
    assert accepted.status_code == 200, accepted.json()
    body = accepted.json()
    assert body["state"] == "confirmed"
    assert body["funding"]["funded"] == "896.80" and body["funding"]["card_amount"] == "103.20"
    for field in ("declare_entry_before", "declare_exit_before", "free_cancellation_until"):
        assert datetime.date.fromisoformat(body[field])
    assert balances(world.holder) == (eur("2103.20"), eur("0.00"))

    preview = as_holder.get(f"/api/v1/dossiers/{dossier.pk}/cancellation").json()
    assert (
        preview["ending"] == "holder_early" and preview["restored"] == "896.80" and preview["card_refund"] == "103.20"
    )
    cancelled = as_holder.post(f"/api/v1/dossiers/{dossier.pk}/cancel", {})
    assert cancelled.status_code == 200 and cancelled.json()["settlement"]["restored"] == "896.80"
    assert balances(world.holder) == (eur("3000.00"), eur("0.00"))
    assert_ledger_consistent(world.holder)


def test_a_declined_or_invalid_card(api, world):
    dossier = proposed(world)
    as_holder = api(world.user)
    declined = as_holder.post(f"/api/v1/dossiers/{dossier.pk}/accept", {"card": DECLINED})
    assert declined.status_code == 402 and declined.json()["errors"]["card"]
    invalid = as_holder.post(f"/api/v1/dossiers/{dossier.pk}/accept", {"card": {**CARD, "number": "4242424242424241"}})
    assert invalid.status_code == 400 and "card.number" in invalid.json()["errors"]
    expired = as_holder.post(f"/api/v1/dossiers/{dossier.pk}/accept", {"card": {**CARD, "expiry_year": 2020}})
    assert expired.status_code == 400 and "card.expiry" in expired.json()["errors"]
    missing = as_holder.post(f"/api/v1/dossiers/{dossier.pk}/accept", {})
    assert missing.status_code == 400 and "card" in missing.json()["errors"]
    assert Dossier.objects.get(pk=dossier.pk).state == S.PROPOSED
    assert balances(world.holder) == (eur("3000.00"), eur("0.00"))


def test_accepting_after_the_deadline(api, world):
    dossier = proposed(world, at=-20)
    response = api(world.user).post(f"/api/v1/dossiers/{dossier.pk}/accept", {"card": CARD})
    assert response.status_code == 409 and response.json()["errors"]["__all__"][0]
    assert Dossier.objects.get(pk=dossier.pk).state == S.PROPOSED


def test_wrong_side_and_wrong_organisation(api, world):
    dossier = registered(world)
    as_holder = api(world.user)
    assert as_holder.post(f"/api/v1/dossiers/{dossier.pk}/propose", {"price": "10.00"}).status_code == 403
    stranger = api(organisation_with_staff()[1])
    for action, body in [
        ("propose", {"price": "10.00"}),
        ("refuse", {"reason": "no"}),
        ("cancel", {"reason": "no"}),
        ("declare-entry", None),
    ]:
        assert stranger.post(f"/api/v1/dossiers/{dossier.pk}/{action}", body).status_code == 404
    assert api(world.staff).post(f"/api/v1/dossiers/{dossier.pk}/accept", {}).status_code == 403
    assert Dossier.objects.get(pk=dossier.pk).state == S.SUBMITTED


def _in_training(world) -> Dossier:
    """A file whose session ran from 10 days ago to yesterday, entry declared."""
    from opencpf.catalogue.models import Session

    Session.objects.filter(pk=world.session.pk).update(
        start_date=today() - datetime.timedelta(days=10), end_date=today() - datetime.timedelta(days=1)
    )
    dossier = services.dossier_register(user=world.user, session_id=world.session.pk, now=moment(-40))
    services.dossier_propose(
        dossier_id=dossier.pk,
        user=world.staff,
        price="1200.00",
        start=today() - datetime.timedelta(days=10),
        end=today() - datetime.timedelta(days=1),
        now=moment(-39),
    )
    services.dossier_accept(dossier_id=dossier.pk, user=world.user, card=GOOD_CARD, now=moment(-38))
    return dossier


def test_exit_before_entry_then_the_end_of_the_story(api, world):
    dossier = _in_training(world)
    as_staff = api(world.staff)
    early = as_staff.post(f"/api/v1/dossiers/{dossier.pk}/declare-exit", {"completion_percent": "100"})
    assert early.status_code == 409 and early.json()["errors"]["__all__"][0]
    assert as_staff.post(f"/api/v1/dossiers/{dossier.pk}/declare-entry").json()["state"] == "in_training"
    bad = as_staff.post(f"/api/v1/dossiers/{dossier.pk}/declare-exit", {"completion_percent": "120"})
    assert bad.status_code == 400 and "completion_percent" in bad.json()["errors"]
    done = as_staff.post(f"/api/v1/dossiers/{dossier.pk}/declare-exit", {"completion_percent": "100"})
    assert done.status_code == 200 and done.json()["state"] == "completed"
    assert done.json()["settlement"]["organisation_payment"] == "1200.00" and done.json()["pay_before"]

    as_holder = api(world.user)
    assert "evaluate" in as_holder.get(f"/api/v1/dossiers/{dossier.pk}").json()["allowed_actions"]
    wrong = as_holder.post(
        f"/api/v1/dossiers/{dossier.pk}/evaluate",
        {"took_place": True, "ratings": {"welcome": 6, "content": 4, "trainers": 4, "resources": 4, "support": 4}},
    )
    assert wrong.status_code == 400
    assert as_holder.post(f"/api/v1/dossiers/{dossier.pk}/evaluate", {"took_place": True}).status_code == 400
    rated = as_holder.post(
        f"/api/v1/dossiers/{dossier.pk}/evaluate",
        {
            "took_place": True,
            "ratings": {"welcome": 5, "content": 4, "trainers": 4, "resources": 4, "support": 3},
            "comment": "Bien",
        },
    )
    assert rated.status_code == 200 and rated.json()["took_place"] is True
    again = as_holder.post(f"/api/v1/dossiers/{dossier.pk}/evaluate", {"took_place": False})
    assert again.status_code == 409

    assert as_staff.post(f"/api/v1/dossiers/{dossier.pk}/pay").status_code == 403
    paid = api(world.agent).post(f"/api/v1/dossiers/{dossier.pk}/pay")
    assert paid.status_code == 200 and paid.json()["state"] == "paid"
    assert OrganisationPayment.objects.get(dossier=dossier).status == "paid"


def test_an_abandonment_by_api(api, world):
    dossier = _in_training(world)
    as_staff = api(world.staff)
    as_staff.post(f"/api/v1/dossiers/{dossier.pk}/declare-entry")
    missing = as_staff.post(f"/api/v1/dossiers/{dossier.pk}/declare-abandonment", {"attendance_percent": "40"})
    assert missing.status_code == 400 and "reason" in missing.json()["errors"]
    done = as_staff.post(
        f"/api/v1/dossiers/{dossier.pk}/declare-abandonment",
        {"attendance_percent": "40", "force_majeure": True, "reason": "Hospitalisation"},
    )
    assert done.status_code == 200
    assert done.json()["settlement"]["ending"] == "force_majeure"
    assert done.json()["settlement"]["attendance_share"] == "40.00"
    assert_ledger_consistent(world.holder)


JUNK = [None, "", "x", 0, -1, 10**30, [], {}, {"price": None}, {"price": "1e999"}, {"price": "NaN"}, {"card": "x"}]


@pytest.mark.parametrize(
    "action",
    [
        "accept",
        "cancel",
        "evaluate",
        "propose",
        "refuse",
        "declare-entry",
        "declare-exit",
        "declare-no-show",
        "declare-abandonment",
        "pay",
    ],
)
def test_junk_never_gives_a_500_nor_a_write(client, world, action):
    dossier = registered(world)
    users = [world.user, world.staff, world.agent]
    for user in users:
        headers = {"Authorization": f"Bearer {token(user)}"}
        for body in JUNK:
            response = client.post(
                f"/api/v1/dossiers/{dossier.pk}/{action}",
                json.dumps(body),
                content_type="application/json",
                headers=headers,
            )
            assert response.status_code < 500, (action, body, response.content)
        broken = client.post(
            f"/api/v1/dossiers/{dossier.pk}/{action}", "{not json", content_type="application/json", headers=headers
        )
        assert broken.status_code < 500
    if action != "cancel":  # `{}` is a valid cancellation by the holder
        assert Dossier.objects.get(pk=dossier.pk).state == S.SUBMITTED


def test_the_schema_documents_the_actions(client):
    schema = client.get("/api/v1/schema/").json()
    for path in ("/api/v1/dossiers", "/api/v1/dossiers/{dossier_id}", "/api/v1/dossiers/{dossier_id}/accept"):
        assert path in schema["paths"]


def test_listing_files_costs_the_same_queries_for_one_file_or_five(as_holder, world, django_assert_max_num_queries):
    services.dossier_register(user=world.user, session_id=world.session.pk)
    with CaptureQueriesContext(connection) as one:
        assert as_holder.get("/api/v1/dossiers").status_code == 200
    for _ in range(4):
        session = SessionFactory(offer=world.offer, days_from_now=60)
        services.dossier_register(user=world.user, session_id=session.pk)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(as_holder.get("/api/v1/dossiers").json()["results"]) == 5


def test_each_move_answers_the_file_as_a_fresh_read_shows_it(api, world):
    """A move answers the file it wrote without reading it again: that answer is what a GET right after shows, for
    every move of a file's life (and the payment's, whose file is read)."""
    dossier_ids = []

    def moved(caller, path, body=None):
        response = caller.post(path, body)
        assert response.status_code in (200, 201), response.json()
        answer = response.json()
        assert answer == caller.get(f"/api/v1/dossiers/{answer['id']}").json()
        dossier_ids.append(answer["id"])
        return answer

    as_holder, as_staff = api(world.user), api(world.staff)
    # Registered, proposed, accepted (the holder pays a part by card), cancelled by the holder: money restored.
    first = moved(as_holder, "/api/v1/dossiers", {"session_id": world.session.pk})
    moved(as_staff, f"/api/v1/dossiers/{first['id']}/propose", {"price": "1000.00", "message": "Bienvenue"})
    moved(as_holder, f"/api/v1/dossiers/{first['id']}/accept", {"card": CARD})
    assert moved(as_holder, f"/api/v1/dossiers/{first['id']}/cancel", {})["settlement"]["restored"] == "896.80"
    # Refused by the organisation; proposed, then cancelled by it (reason required).
    second = moved(as_holder, "/api/v1/dossiers", {"session_id": world.session.pk})
    moved(as_staff, f"/api/v1/dossiers/{second['id']}/refuse", {"reason": "Complet"})
    third = moved(as_holder, "/api/v1/dossiers", {"session_id": world.session.pk})
    moved(as_staff, f"/api/v1/dossiers/{third['id']}/propose", {"price": "1200.00"})
    moved(as_staff, f"/api/v1/dossiers/{third['id']}/cancel", {"reason": "Formateur absent"})
    # The end of the story: entry, exit, evaluation, payment.
    dossier = _in_training(world)
    moved(as_staff, f"/api/v1/dossiers/{dossier.pk}/declare-entry")
    moved(as_staff, f"/api/v1/dossiers/{dossier.pk}/declare-exit", {"completion_percent": "100"})
    ratings = {"welcome": 5, "content": 4, "trainers": 4, "resources": 4, "support": 3}
    moved(as_holder, f"/api/v1/dossiers/{dossier.pk}/evaluate", {"took_place": True, "ratings": ratings})
    assert moved(api(world.agent), f"/api/v1/dossiers/{dossier.pk}/pay")["state"] == "paid"
    assert len(set(dossier_ids)) == 4


def test_registering_and_cancelling_cost_a_fixed_number_of_queries(
    as_holder, world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """The busiest day's writes (bench-peak): what each asks of the database, emails to both sides enqueued
    included (16 and 12 queries before the moved file was answered as written and the emails were made from it)."""
    assert as_holder.get("/api/v1/dossiers").status_code == 200  # the token's first use is not what is counted
    with django_assert_num_queries(12), django_capture_on_commit_callbacks(execute=True):
        created = as_holder.post("/api/v1/dossiers", {"session_id": world.session.pk})
    assert created.status_code == 201
    with django_assert_num_queries(9), django_capture_on_commit_callbacks(execute=True):
        cancelled = as_holder.post(f"/api/v1/dossiers/{created.json()['id']}/cancel", {})
    assert cancelled.json()["state"] == "cancelled_by_holder"
    assert len(mail.outbox) == 4  # holder and organisation, twice


def test_the_count_of_files_on_every_page(as_holder, world, monkeypatch, django_assert_num_queries):
    """`count` is every file of the holder (of the state asked), whichever page is read; a page that is not full
    says it without counting: the token and the page are then the only queries."""
    from opencpf.api.dossiers import files

    monkeypatch.setattr(files, "PAGE_SIZE", 2)
    services.dossier_register(user=world.user, session_id=world.session.pk)
    with django_assert_num_queries(2):  # was 3: the token, the count, the page
        alone = as_holder.get("/api/v1/dossiers").json()
    assert alone["count"] == 1 and len(alone["results"]) == 1
    for _ in range(4):
        session = SessionFactory(offer=world.offer, days_from_now=60)
        services.dossier_register(user=world.user, session_id=session.pk)
    pages = {page: as_holder.get("/api/v1/dossiers", {"page": page}).json() for page in (1, 2, 3, 4)}
    assert [pages[page]["count"] for page in pages] == [5, 5, 5, 5]
    assert [len(pages[page]["results"]) for page in pages] == [2, 2, 1, 0]
    assert len({d["id"] for page in pages.values() for d in page["results"]}) == 5
    submitted = as_holder.get("/api/v1/dossiers", {"state": "submitted", "page": 3}).json()
    assert submitted["count"] == 5 and len(submitted["results"]) == 1
    assert as_holder.get("/api/v1/dossiers", {"state": "proposed"}).json() == {"count": 0, "page": 1, "results": []}
