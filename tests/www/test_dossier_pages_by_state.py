"""What the file pages say by the file's state, against what the services do. The organisation's page explains
"from the first day" / "from the last day" exactly when the state allows the declaration and the service still
refuses it for its date; the holder's pages word cancelling a proposal as declining it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from opencpf.catalogue.models import Session
from opencpf.dossiers import services
from opencpf.dossiers.enums import DossierState
from opencpf.dossiers.models import Dossier
from opencpf.dossiers.rules import PARIS
from tests.dossiers.factories import GOOD_CARD, make_world
from tests.probes import service_accepts

pytestmark = pytest.mark.django_db
S = DossierState

ENTRY_HINT = "The entry (or a no-show) can be declared from the first day"
EXIT_HINT = "The exit can be declared from the last day"


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def moment(n: int) -> datetime.datetime:
    return datetime.datetime.combine(days(n), datetime.time(10), tzinfo=PARIS)


def accepted(call) -> bool:
    return service_accepts(call, refusal=services.DossierError)


@pytest.fixture
def world():
    return make_world(price="1200.00", start=days(60).isoformat(), end=days(64).isoformat())


def confirmed(world, start: int, end: int) -> Dossier:
    Session.objects.filter(pk=world.session.pk).update(start_date=days(start), end_date=days(end))
    dossier = services.dossier_register(user=world.user, session_id=world.session.pk, now=moment(-40))
    services.dossier_propose(
        dossier_id=dossier.pk, user=world.staff, price="1200.00", start=days(start), end=days(end), now=moment(-39)
    )
    services.dossier_accept(dossier_id=dossier.pk, user=world.user, card=GOOD_CARD, now=moment(-38))
    return dossier


@pytest.mark.parametrize(
    ("state", "start", "end", "entry_now", "exit_now"),
    [
        (S.CONFIRMED, 5, 9, False, False),  # before the first day
        (S.CONFIRMED, -2, 3, True, False),
        (S.IN_TRAINING, -2, 3, False, False),  # before the last day
        (S.IN_TRAINING, -5, -1, False, True),
    ],
)
def test_the_organisation_page_says_from_when_exactly_when_the_service_refuses_for_the_date(
    client, english, world, state, start, end, entry_now, exit_now
):
    dossier = confirmed(world, start, end)
    if state == S.IN_TRAINING:
        services.dossier_declare_entry(dossier_id=dossier.pk, user=world.staff, now=moment(start))
    client.force_login(world.staff)
    page = client.get(reverse("dossiers:organisation_detail", args=[dossier.pk])).content.decode()
    entry = accepted(lambda: services.dossier_declare_entry(dossier_id=dossier.pk, user=world.staff))
    exit_ = accepted(
        lambda: services.dossier_declare_exit(dossier_id=dossier.pk, user=world.staff, completion_percent=100)
    )

    assert (entry, exit_) == (entry_now, exit_now)
    offered = {
        name: reverse("dossiers:organisation_action", args=[dossier.pk, name]) in page
        for name in ("declare-entry", "declare-exit")
    }
    assert offered == {"declare-entry": entry, "declare-exit": exit_}
    assert (ENTRY_HINT in page) == (state == S.CONFIRMED and not entry)
    assert (EXIT_HINT in page) == (state == S.IN_TRAINING and not exit_)


@pytest.mark.parametrize("accept", [False, True], ids=["proposed", "confirmed"])
def test_the_holders_pages_word_cancelling_a_proposal_as_declining_it(client, english, world, accept):
    dossier = services.dossier_register(user=world.user, session_id=world.session.pk)
    services.dossier_propose(dossier_id=dossier.pk, user=world.staff, price="1200.00")
    if accept:
        services.dossier_accept(dossier_id=dossier.pk, user=world.user, card=GOOD_CARD)
    client.force_login(world.user)
    detail = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    cancel = client.get(reverse("dossiers:cancel", args=[dossier.pk])).content.decode()
    assert reverse("dossiers:cancel", args=[dossier.pk]) in detail
    declines = Dossier.objects.get(pk=dossier.pk).state == S.PROPOSED
    assert declines == (not accept)
    for page in (detail, cancel):
        assert ("Decline the proposal" in page) == declines and ("Cancel the file" in page) == (not declines)
    assert ("Back to the proposal" in cancel) == declines and ("Keep the file" in cancel) == (not declines)
