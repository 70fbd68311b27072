"""The organisation space: requests to answer (propose or refuse), entries and exits to declare, payments due and
made — for the organisation's staff only; another organisation's file is not found."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from opencpf.catalogue.models import Session
from opencpf.dossiers import services
from opencpf.dossiers.enums import DossierState
from opencpf.dossiers.models import Dossier, OrganisationPayment
from opencpf.dossiers.rules import PARIS
from tests.dossiers.factories import GOOD_CARD, make_world, organisation_with_staff

pytestmark = pytest.mark.django_db
S = DossierState


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def moment(n: int) -> datetime.datetime:
    return datetime.datetime.combine(days(n), datetime.time(10), tzinfo=PARIS)


def french_date(day) -> str:
    """14 décembre 2026, as the pages write a date (never 14/12/2026)."""
    from django.utils import translation

    from opencpf.utils.formatting import long_date

    with translation.override("fr"):
        return long_date(day).replace("\xa0", " ")


def text(response) -> str:
    return response.content.decode().replace("\xa0", " ").replace("\u202f", " ")


@pytest.fixture
def world():
    return make_world(price="1200.00", start=days(60).isoformat(), end=days(64).isoformat())


@pytest.fixture
def request_(world):
    return services.dossier_register(user=world.user, session_id=world.session.pk)


def action_url(dossier, action):
    return reverse("dossiers:organisation_action", args=[dossier.pk, action])


def test_the_space_is_for_the_organisation_staff(client, world, request_):
    assert client.get("/dossiers/organisme/").status_code == 302
    client.force_login(world.user)
    assert client.get("/dossiers/organisme/").status_code == 403
    client.force_login(world.staff)
    page = text(client.get("/dossiers/organisme/"))
    assert world.holder.full_name in page and reverse("dossiers:organisation_detail", args=[request_.pk]) in page
    assert "/dossiers/organisme/" in text(client.get("/mon-compte/"))


def test_another_organisation_gets_not_found(client, world, request_):
    _other, stranger = organisation_with_staff()
    client.force_login(stranger)
    assert client.get(reverse("dossiers:organisation_detail", args=[request_.pk])).status_code == 404
    response = client.post(action_url(request_, "refuse"), {"refuse-reason": "No"})
    assert response.status_code == 404
    assert world.holder.full_name not in text(client.get("/dossiers/organisme/"))
    assert Dossier.objects.get(pk=request_.pk).state == S.SUBMITTED


def test_propose_with_checks(client, world, request_):
    client.force_login(world.staff)
    page = text(client.get(reverse("dossiers:organisation_detail", args=[request_.pk])))
    assert "propose-price" in page and "refuse-reason" in page
    too_soon = client.post(
        action_url(request_, "propose"),
        {
            "propose-session": "",
            "propose-start": days(3).isoformat(),
            "propose-end": days(5).isoformat(),
            "propose-price": "1000",
        },
    )
    assert too_soon.status_code == 400
    assert Dossier.objects.get(pk=request_.pk).state == S.SUBMITTED
    response = client.post(
        action_url(request_, "propose"),
        {"propose-session": str(world.session.pk), "propose-price": "1000.00", "propose-message": "Bienvenue"},
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get(pk=request_.pk)
    assert dossier.state == S.PROPOSED and dossier.proposal_price == 1000
    assert dossier.proposal_start == world.session.start_date and dossier.proposal_message == "Bienvenue"


def test_refuse_needs_a_reason(client, world, request_):
    client.force_login(world.staff)
    assert client.post(action_url(request_, "refuse"), {"refuse-reason": ""}).status_code == 400
    assert client.post(action_url(request_, "refuse"), {"refuse-reason": "Session full"}).status_code == 302
    dossier = Dossier.objects.get(pk=request_.pk)
    assert dossier.state == S.REFUSED_BY_OF and dossier.refusal_reason == "Session full"


def test_cancelling_a_holders_training_is_confirmed_with_its_consequences_shown(client, world, english):
    dossier = services.dossier_register(user=world.user, session_id=world.session.pk)
    services.dossier_propose(dossier_id=dossier.pk, user=world.staff, price="1200.00")
    services.dossier_accept(dossier_id=dossier.pk, user=world.user, card=GOOD_CARD)
    client.force_login(world.staff)
    page = client.get(reverse("dossiers:organisation_detail", args=[dossier.pk])).content.decode()
    consequences = page.split('id="cancel-consequences"')[1].split("</div>")[0]
    assert "will be cancelled" in consequences and "Everything will be given back to the holder" in consequences
    assert 'name="cancel-confirm"' in page
    unconfirmed = client.post(action_url(dossier, "cancel"), {"cancel-reason": "Trainer ill"})
    assert unconfirmed.status_code == 400 and "Tick the box to confirm" in unconfirmed.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).state == S.CONFIRMED  # nothing done
    confirmed = client.post(action_url(dossier, "cancel"), {"cancel-reason": "Trainer ill", "cancel-confirm": "on"})
    assert confirmed.status_code == 302 and Dossier.objects.get(pk=dossier.pk).state == S.CANCELLED_BY_OF


def test_an_action_not_possible_now_is_explained(client, world, request_):
    client.force_login(world.staff)
    response = client.post(action_url(request_, "declare-exit"), {"declare-exit-completion_percent": "100"})
    assert response.status_code == 302  # not offered on a request: back to the file with a message
    assert Dossier.objects.get(pk=request_.pk).state == S.SUBMITTED
    assert client.post(action_url(request_, "bogus")).status_code == 404


def test_declare_entry_and_exit_then_see_the_payment(client, world):
    Session.objects.filter(pk=world.session.pk).update(start_date=days(-10), end_date=days(-1))
    dossier = services.dossier_register(user=world.user, session_id=world.session.pk, now=moment(-40))
    services.dossier_propose(
        dossier_id=dossier.pk, user=world.staff, price="1200.00", start=days(-10), end=days(-1), now=moment(-39)
    )
    services.dossier_accept(dossier_id=dossier.pk, user=world.user, card=GOOD_CARD, now=moment(-38))
    client.force_login(world.staff)
    early_exit = client.post(action_url(dossier, "declare-exit"), {"declare_exit-completion_percent": "100"})
    assert early_exit.status_code == 302 and Dossier.objects.get(pk=dossier.pk).state == S.CONFIRMED
    assert client.post(action_url(dossier, "declare-entry")).status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).state == S.IN_TRAINING
    bad = client.post(action_url(dossier, "declare-exit"), {"declare_exit-completion_percent": "150"})
    assert bad.status_code == 400
    done = client.post(action_url(dossier, "declare-exit"), {"declare_exit-completion_percent": "100"})
    assert done.status_code == 302 and Dossier.objects.get(pk=dossier.pk).state == S.COMPLETED
    payments = text(client.get(reverse("dossiers:organisation_payments")))
    payment = OrganisationPayment.objects.get(dossier=dossier)
    assert "1 200,00 €" in payments and french_date(payment.due_on) in payments


def test_the_organisation_page_shows_the_amounts_not_why_the_holder_is_exempt(client):
    from opencpf.rights.enums import FunderKind
    from tests.dossiers.factories import give_top_up

    start = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    end = (timezone.localdate() + datetime.timedelta(days=64)).isoformat()
    world = make_world(price="1200.00", start=start, end=end, acquired="300.00", job_seeker=True)
    give_top_up(world.holder, "2000.00", kind=FunderKind.FRANCE_TRAVAIL, name="France Travail Occitanie")
    dossier = services.dossier_register(user=world.user, session_id=world.session.pk)
    services.dossier_propose(dossier_id=dossier.pk, user=world.staff, price="1200.00")
    services.dossier_accept(dossier_id=dossier.pk, user=world.user, card=None, expected_card_amount="0.00")
    client.force_login(world.user)
    mine = text(client.get(reverse("dossiers:detail", args=[dossier.pk])))
    assert "France Travail" in mine and "1 200,00 €" in mine
    client.force_login(world.staff)
    theirs = text(client.get(reverse("dossiers:organisation_detail", args=[dossier.pk])))
    assert "France Travail" not in theirs and "1 200,00 €" in theirs
    assert "exonér" not in theirs.lower() and "exempt" not in theirs.lower()
