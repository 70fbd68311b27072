"""The demo files of `make run`: the demo holder has a request and a proposal, nothing engaged, so their
3 000.00 € of rights are untouched (DESIGN §4); the organisation space has work to show; loading twice adds nothing."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from opencpf.accounts.demo import DEMO_HOLDER_EMAIL
from opencpf.accounts.models import Holder
from opencpf.dossiers.models import Dossier
from opencpf.rights.models import Engagement
from opencpf.rights.selectors import rights_balance
from tests.dossiers.factories import assert_ledger_consistent

pytestmark = pytest.mark.django_db


def test_demo_files_leave_the_demo_holders_rights_untouched():
    call_command("load_demo", stdout=StringIO())
    counts = Dossier.objects.count()
    call_command("load_demo", stdout=StringIO())
    assert Dossier.objects.count() == counts
    holder = Holder.objects.get(user__email=DEMO_HOLDER_EMAIL)
    mine = sorted(Dossier.objects.filter(holder=holder).values_list("state", flat=True))
    assert mine == ["proposed", "submitted"]
    assert rights_balance(holder).total == Decimal("3000.00")
    assert not Engagement.objects.filter(holder=holder).exists()
    others = sorted(Dossier.objects.exclude(holder=holder).values_list("state", flat=True))
    assert others == ["completed", "confirmed"]
    for other in Holder.objects.exclude(pk=holder.pk).filter(dossiers__isnull=False).distinct():
        assert_ledger_consistent(other)


def test_the_demo_learner_signs_in_rates_a_completed_file_and_the_organisation_declares_an_entry_today(client):
    from django.contrib.auth import authenticate

    from opencpf.accounts.demo import DEMO_ORG_EMAIL
    from opencpf.accounts.models import User
    from opencpf.dossiers.demo import LEARNER_EMAIL, LEARNER_PASSWORD
    from opencpf.dossiers.services import dossier_declare_entry, dossier_evaluate

    out = StringIO()
    call_command("load_demo", stdout=out)
    assert f"{LEARNER_EMAIL} / {LEARNER_PASSWORD}" in out.getvalue()
    learner = authenticate(username=LEARNER_EMAIL, password=LEARNER_PASSWORD)
    assert learner is not None
    completed = Dossier.objects.get(holder__user=learner, state="completed")
    ratings = dict.fromkeys(("welcome", "content", "trainers", "resources", "support"), 4)
    dossier_evaluate(dossier_id=completed.pk, user=learner, took_place=True, ratings=ratings)
    confirmed = Dossier.objects.get(holder__user=learner, state="confirmed")
    staff = User.objects.get(email=DEMO_ORG_EMAIL)
    assert dossier_declare_entry(dossier_id=confirmed.pk, user=staff).state == "in_training"
