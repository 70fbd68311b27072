"""The demo of `make run`: advisor sites in several regions, overseas and abroad included, all marked fictitious;
a demo advisor who signs in like everyone; loading twice adds nothing."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from opencpf.accounts.models import User
from opencpf.advisors.demo import DEMO_ADVISOR_EMAIL, DEMO_ADVISOR_PASSWORD
from opencpf.advisors.enums import Network
from opencpf.advisors.models import AdvisorSite, Appointment
from opencpf.advisors.selectors import appointments_for_advisor

pytestmark = pytest.mark.django_db


def test_demo_sites_and_advisor(client):
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert f"{DEMO_ADVISOR_EMAIL} / {DEMO_ADVISOR_PASSWORD}" in out.getvalue()
    counts = (AdvisorSite.objects.count(), Appointment.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (AdvisorSite.objects.count(), Appointment.objects.count()) == counts
    sites = AdvisorSite.objects.all()
    assert all("fictif" in site.name for site in sites)
    departments = {site.postal_code[:2] for site in sites}
    assert {"75", "69", "13", "59", "97"} <= departments
    assert {code[:3] for code in sites.values_list("postal_code", flat=True) if code.startswith("97")} >= {
        "974",
        "972",
    }
    served = set(sites.values_list("networks__network", flat=True))
    assert served == set(Network.values)
    response = client.post("/compte/connexion/", {"username": DEMO_ADVISOR_EMAIL, "password": DEMO_ADVISOR_PASSWORD})
    assert response.status_code == 302  # on to the emailed code of a new device, like every account
    advisor = User.objects.get(email=DEMO_ADVISOR_EMAIL)
    assert appointments_for_advisor(advisor).exists()


def test_agents_read_the_directory_and_requests_in_the_back_office(admin_client):
    call_command("load_demo", stdout=StringIO())
    site = AdvisorSite.objects.get(code="DEMO-REG-75010")
    for url in (
        "/gestion/admin/advisors/advisorsite/",
        f"/gestion/admin/advisors/advisorsite/{site.pk}/change/",
        "/gestion/admin/advisors/appointment/",
        f"/gestion/admin/advisors/appointment/{Appointment.objects.get().pk}/change/",
    ):
        assert admin_client.get(url).status_code == 200, url
    assert admin_client.post("/gestion/admin/advisors/advisorsite/add/", {"code": "X"}).status_code == 403


def test_create_advisor_is_dry_by_default(english):
    from tests.advisors.factories import make_site

    site = make_site("75010")
    out = StringIO()
    call_command("create_advisor", "New.Advisor@example.fr", "--site", site.code, "--name", "N. A.", stdout=out)
    assert "Dry run" in out.getvalue() and not User.objects.filter(email="new.advisor@example.fr").exists()
    call_command("create_advisor", "New.Advisor@example.fr", "--site", site.code, "--wet-run", stdout=StringIO())
    advisor = User.objects.get(email="new.advisor@example.fr")
    assert advisor.role == "advisor" and not advisor.has_usable_password()
    assert list(advisor.advisor_memberships.values_list("site__code", flat=True)) == [site.code]
    with pytest.raises(CommandError, match="NOPE"):
        call_command("create_advisor", "x@example.fr", "--site", "NOPE", "--wet-run", stdout=StringIO())
