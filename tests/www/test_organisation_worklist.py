"""The organisation's work list on the web (/dossiers/organisme/): nearest deadline first, filters, search, pages;
for the files-manager and reader roles only."""

import re

import pytest

from opencpf.catalogue.enums import OrganisationRole
from opencpf.www.dossiers_views import worklist as worklist_view
from tests.dossiers.worklist_world import days, staff_with, worklist_world

pytestmark = pytest.mark.django_db
URL = "/dossiers/organisme/"


@pytest.fixture
def ww():
    return worklist_world()


def file_numbers(response) -> list[int]:
    html = response.content.decode()
    return [int(n) for n in re.findall(r'href="/dossiers/organisme/(\d+)/"', html)]


def test_files_by_nearest_deadline_with_the_deadline_named(client, ww, english):
    client.force_login(ww.staff)
    response = client.get(URL)
    assert file_numbers(response) == [ww.bernard.pk, ww.martin.pk, ww.petit.pk, ww.durand.pk]
    html = response.content.decode()
    assert "Organisation&#x27;s answer by" in html and "Acceptance by" in html and "4 files" in html


def test_filters_and_search(client, ww, english):
    client.force_login(ww.staff)
    assert file_numbers(client.get(URL, {"state": "submitted"})) == [ww.bernard.pk, ww.martin.pk]
    assert file_numbers(client.get(URL, {"offer": ww.petit.offer_id})) == [ww.petit.pk]
    assert file_numbers(client.get(URL, {"offer": ww.world.offer.pk, "session": ww.bernard.session_id})) == [
        ww.bernard.pk
    ]
    assert file_numbers(client.get(URL, {"start_after": days(80).isoformat()})) == [ww.bernard.pk]
    assert file_numbers(client.get(URL, {"q": "Martin"})) == [ww.martin.pk]
    assert file_numbers(client.get(URL, {"q": str(ww.petit.pk)})) == [ww.petit.pk]
    nothing = client.get(URL, {"q": "Nobody"})
    assert file_numbers(nothing) == [] and "No file matches these filters." in nothing.content.decode()


@pytest.mark.parametrize(
    "params",
    [{"state": "lost"}, {"start_after": "9999-12-31"}, {"offer": "abc"}, {"q": "x" * 101}, {"session": "1" * 25}],
)
def test_bad_filters_are_said_and_never_a_500(client, ww, params):
    client.force_login(ww.staff)
    response = client.get(URL, params)
    assert response.status_code == 400 and 'class="fr-error-text"' in response.content.decode()


def test_pages_of_files(client, ww, monkeypatch):
    monkeypatch.setattr(worklist_view, "PAGE_SIZE", 3)
    client.force_login(ww.staff)
    first = client.get(URL)
    assert file_numbers(first) == [ww.bernard.pk, ww.martin.pk, ww.petit.pk]
    assert 'class="fr-pagination"' in first.content.decode()
    assert file_numbers(client.get(URL, {"page": 2})) == [ww.durand.pk]
    assert file_numbers(client.get(URL, {"page": "999"})) == [ww.durand.pk]  # past the end: the last page


def test_least_privilege(client, ww):
    client.force_login(staff_with(ww.world, OrganisationRole.READER))
    assert len(file_numbers(client.get(URL))) == 4
    for role in (
        OrganisationRole.CATALOGUE_MANAGER,
        OrganisationRole.FINANCE_MANAGER,
        OrganisationRole.ACCESS_MANAGER,
    ):
        user = staff_with(ww.world, role)
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.get(f"/dossiers/organisme/{ww.martin.pk}/").status_code == 404
