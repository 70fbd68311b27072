"""The organisation's work list through the API: files by nearest deadline with filters, search and a cursor; only
for the files-manager and reader roles, and for keys with the `files` scope."""

import pytest

from opencpf.accounts.services import api_token_create
from opencpf.catalogue.enums import ApiKeyScope, OrganisationRole
from opencpf.catalogue.services.api_keys import api_key_create
from tests.dossiers.factories import organisation_with_staff
from tests.dossiers.worklist_world import days, staff_with, worklist_world

pytestmark = pytest.mark.django_db
URL = "/api/v1/organisation/dossiers"


@pytest.fixture
def ww():
    return worklist_world()


def get(client, user_or_key, **params):
    token = user_or_key if isinstance(user_or_key, str) else api_token_create(user=user_or_key)[0]
    return client.get(URL, params, headers={"Authorization": f"Bearer {token}"})


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_nearest_deadline_first_closed_last_with_the_deadline_named(client, ww):
    response = get(client, ww.staff)
    assert ids(response) == [ww.bernard.pk, ww.martin.pk, ww.petit.pk, ww.durand.pk]
    rows = {row["id"]: row for row in response.json()["results"]}
    assert rows[ww.martin.pk]["next_deadline"] == {"name": "respond_before", "date": str(ww.martin.respond_before)}
    assert rows[ww.petit.pk]["next_deadline"]["name"] == "accept_before"
    assert rows[ww.durand.pk]["next_deadline"] is None
    assert rows[ww.martin.pk]["holder"]["name"] == "Alex MARTIN"
    assert "propose" in rows[ww.martin.pk]["allowed_actions"]


def test_filters_and_search(client, ww):
    assert ids(get(client, ww.staff, state="submitted")) == [ww.bernard.pk, ww.martin.pk]
    assert ids(get(client, ww.staff, offer_id=ww.petit.offer_id)) == [ww.petit.pk]
    assert ids(get(client, ww.staff, session_id=ww.bernard.session_id)) == [ww.bernard.pk]
    assert ids(get(client, ww.staff, start_after=days(80).isoformat())) == [ww.bernard.pk]
    assert ids(get(client, ww.staff, start_before=days(65).isoformat())) == [ww.martin.pk, ww.durand.pk]
    assert ids(get(client, ww.staff, deadline_before=str(ww.martin.respond_before))) == [ww.bernard.pk, ww.martin.pk]
    assert ids(get(client, ww.staff, q="martin")) == [ww.martin.pk]
    assert ids(get(client, ww.staff, q="alex pet")) == [ww.petit.pk]
    assert ids(get(client, ww.staff, q=str(ww.durand.pk))) == [ww.durand.pk]
    assert ids(get(client, ww.staff, q="99999999999999999999999")) == []


def test_the_cursor_walks_the_whole_list_once(client, ww):
    seen, cursor = [], None
    while True:
        page = get(client, ww.staff, limit=1, **({"cursor": cursor} if cursor else {})).json()
        assert page["count"] == 4
        seen += [row["id"] for row in page["results"]]
        if not (cursor := page["next_cursor"]):
            break
    assert seen == [ww.bernard.pk, ww.martin.pk, ww.petit.pk, ww.durand.pk]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"cursor": "nope"}, "cursor"),
        ({"cursor": "ZGF0ZWQ6MjAyNi0xMy0wMTox"}, "cursor"),  # "dated:2026-13-01:1"
        ({"cursor": "aWQ6MQ"}, "cursor"),  # another list's cursor
        ({"limit": 0}, "limit"),
        ({"state": "lost"}, "state"),
        ({"start_after": "01/02/2026"}, "start_after"),
        ({"deadline_before": "9999-12-31"}, "deadline_before"),
        ({"offer_id": "2" * 30}, "offer_id"),
        ({"q": "x" * 101}, "q"),
    ],
)
def test_bad_filters_are_400_on_their_field(client, ww, params, field):
    response = get(client, ww.staff, **params)
    assert response.status_code == 400 and list(response.json()["errors"]) == [field]


def test_least_privilege_roles_and_scopes(client, ww):
    reader = staff_with(ww.world, OrganisationRole.READER)
    assert len(ids(get(client, reader))) == 4
    for role in (
        OrganisationRole.CATALOGUE_MANAGER,
        OrganisationRole.FINANCE_MANAGER,
        OrganisationRole.ACCESS_MANAGER,
    ):
        response = get(client, staff_with(ww.world, role))
        assert response.status_code == 403 and "detail" in response.json()
    assert get(client, ww.world.user).status_code == 403  # a holder
    other, stranger = organisation_with_staff()
    assert ids(get(client, stranger)) == []
    assert get(client, ww.staff, organisation_id=other.pk).status_code == 403
    files_key, _ = api_key_create(
        organisation=ww.world.organisation, name="ERP", scopes=[ApiKeyScope.FILES], actor=ww.staff
    )
    assert len(ids(get(client, files_key))) == 4
    catalogue_key, _ = api_key_create(
        organisation=ww.world.organisation, name="Site", scopes=[ApiKeyScope.CATALOGUE_WRITE], actor=ww.staff
    )
    assert get(client, catalogue_key).status_code == 403
    assert client.get(URL).status_code == 401
