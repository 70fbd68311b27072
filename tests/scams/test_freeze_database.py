"""The database itself keeps a frozen file still, whoever writes: only the cancellation for fraud moves it."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from opencpf.dossiers.enums import DossierState
from opencpf.dossiers.models import Dossier
from tests.dossiers.factories import make_world, register

pytestmark = pytest.mark.django_db
S = DossierState


def test_a_frozen_file_refuses_any_move_but_the_cancellation_for_fraud_in_the_database():
    dossier = register(make_world())
    Dossier.objects.filter(pk=dossier.pk).update(frozen_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Dossier.objects.filter(pk=dossier.pk).update(state=S.EXPIRED)  # a move of the table, but frozen
    assert Dossier.objects.get(pk=dossier.pk).state == S.SUBMITTED
    Dossier.objects.filter(pk=dossier.pk).update(state=S.CANCELLED_FRAUD, closed_at=timezone.now())
    assert Dossier.objects.get(pk=dossier.pk).state == S.CANCELLED_FRAUD
    with pytest.raises(IntegrityError), transaction.atomic():  # a dead end stays dead
        Dossier.objects.filter(pk=dossier.pk).update(state=S.SUBMITTED, frozen_at=None)
