import pytest
from django.urls import reverse

from opencpf.catalogue.enums import OrganisationStatus
from opencpf.catalogue.search import parse_search_params, search_offers
from tests.catalogue.factories import OfferFactory

pytestmark = pytest.mark.django_db


def test_an_agent_delists_an_organisation_from_the_back_office(
    admin_client, reindex, django_capture_on_commit_callbacks
):
    offer = OfferFactory(title="Anglais")
    reindex()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:catalogue_organisation_changelist"),
            {"action": "set_delisted", "_selected_action": [offer.organisation.pk]},
        )
    assert response.status_code == 302
    offer.organisation.refresh_from_db()
    assert offer.organisation.status == OrganisationStatus.DELISTED
    assert search_offers(parse_search_params({"q": "anglais"})).count == 0


def test_back_office_lists_open(admin_client):
    OfferFactory()
    for name in ("organisation", "offer", "certification"):
        assert admin_client.get(reverse(f"admin:catalogue_{name}_changelist")).status_code == 200
