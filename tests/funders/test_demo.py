"""The demo funder of `make run`: an employer with a SIRET whose member signs in like everyone, an earmarked and
expiring credit to the second demo holder (the demo holder's 3 000 € stay as DESIGN §4 says); loading twice adds
nothing."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from opencpf.accounts.models import User
from opencpf.funders.demo import DEMO_FUNDER_EMAIL, DEMO_FUNDER_PASSWORD
from opencpf.funders.models import FunderCredit
from opencpf.rights.enums import FunderKind
from opencpf.rights.selectors import rights_balance

pytestmark = pytest.mark.django_db


def test_demo_funder(client):
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert f"{DEMO_FUNDER_EMAIL} / {DEMO_FUNDER_PASSWORD}" in out.getvalue()
    call_command("load_demo", stdout=StringIO())
    credit = FunderCredit.objects.select_related("organisation", "top_up").get()
    assert credit.organisation.kind == FunderKind.EMPLOYER and len(credit.organisation.siret) == 14
    assert credit.top_up.earmark_certifications and credit.top_up.expires_on and credit.top_up.return_unused
    user = User.objects.get(email=DEMO_FUNDER_EMAIL)
    assert user.funder_member.organisation == credit.organisation
    demo = User.objects.get(email="demo@opencpf.test").holder
    assert rights_balance(demo).total == Decimal("3000.00")
    response = client.post("/compte/connexion/", {"username": DEMO_FUNDER_EMAIL, "password": DEMO_FUNDER_PASSWORD})
    assert response.status_code == 302  # on to the emailed code of a new device, like every account
