"""An agent confirms, in the back office, the situations that exempt a holder from the flat contribution."""

from decimal import Decimal

import pytest
from django.urls import reverse

from opencpf.accounts.models import Holder
from tests.accounts.factories import HolderFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_agent_confirms_c2p_and_a_work_accident_rate(client):
    holder = HolderFactory()
    agent = UserFactory(agent=True, is_staff=True, is_superuser=True)
    client.force_login(agent)
    url = reverse("admin:accounts_holder_change", args=[holder.pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, {"c2p_confirmed": "on", "work_accident_rate": "0.12"})
    assert response.status_code == 302
    holder.refresh_from_db()
    assert holder.c2p_confirmed and holder.work_accident_rate == Decimal("0.12")
    refused = client.post(url, {"work_accident_rate": "1.5"})  # not a share
    assert refused.status_code == 200
    assert Holder.objects.get(pk=holder.pk).work_accident_rate == Decimal("0.12")
