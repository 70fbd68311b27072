import pytest

from opencpf.accounts import demo as accounts_demo
from opencpf.accounts.demo import DEMO_HOLDER_EMAIL
from opencpf.accounts.models import User
from opencpf.rights import demo as rights_demo
from tests.accounts.factories import UserFactory


@pytest.mark.django_db
def test_demo_holder_dashboard_shows_3000_euros_of_rights(client):
    accounts_demo.load(None)
    rights_demo.load(None)
    client.force_login(User.objects.get(email=DEMO_HOLDER_EMAIL))
    page = client.get("/mon-compte/").content.decode()
    assert "3\xa0000,00&nbsp;€" in page
    assert 'href="/droits/"' in page
    assert 'href="/catalogue/"' in page


@pytest.mark.django_db
def test_organisation_staff_dashboard_has_no_holder_tiles(client):
    client.force_login(UserFactory(organisation_staff=True))
    page = client.get("/mon-compte/").content.decode()
    assert 'href="/droits/"' not in page
    assert 'href="/catalogue/"' in page


def test_dashboard_requires_sign_in(client):
    response = client.get("/mon-compte/")
    assert response.status_code == 302
    assert "/compte/connexion/" in response["Location"]
