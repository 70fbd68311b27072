"""The holder's pages: register from the offer page, "My files", a file with its history, accept and pay (sandbox
card), cancel with the consequences shown first, confirm and rate after the end."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from opencpf.catalogue.models import Offer, Session
from opencpf.dossiers import services
from opencpf.dossiers.enums import DossierState
from opencpf.dossiers.models import Dossier, Payment
from opencpf.dossiers.params import flat_contribution
from opencpf.dossiers.rules import PARIS
from opencpf.utils.legal import format_money
from tests.accounts.factories import HolderFactory
from tests.dossiers.factories import GOOD_CARD, balances, eur, make_world

pytestmark = pytest.mark.django_db
S = DossierState
CARD = {"number": "4242 4242 4242 4242", "expiry_month": "12", "expiry_year": "2099", "cvc": "123"}


def days(n: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


def moment(n: int) -> datetime.datetime:
    return datetime.datetime.combine(
        timezone.localdate() + datetime.timedelta(days=n), datetime.time(10), tzinfo=PARIS
    )


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
    return make_world(price="1200.00", start=days(60), end=days(64), acquired="3000.00")


def proposed(world) -> Dossier:
    dossier = services.dossier_register(user=world.user, session_id=world.session.pk)
    services.dossier_propose(dossier_id=dossier.pk, user=world.staff, price="1200.00")
    return dossier


def test_urls_and_dashboard_tile(client, world):
    assert reverse("dossiers:list") == "/dossiers/"
    assert reverse("dossiers:organisation_requests") == "/dossiers/organisme/"
    client.force_login(world.user)
    assert "/dossiers/" in text(client.get("/mon-compte/"))


def test_my_files_needs_a_holder(client, world):
    assert client.get("/dossiers/").status_code == 302
    client.force_login(world.staff)
    assert client.get("/dossiers/").status_code == 403


def test_register_from_the_offer_page(client, world):
    client.force_login(world.user)
    offer_page = text(client.get(reverse("catalogue:offer", args=[world.offer.pk])))
    register_url = reverse("dossiers:register", args=[world.session.pk])
    assert register_url in offer_page
    page = client.get(register_url)
    assert page.status_code == 200 and world.offer.title in text(page)
    response = client.post(register_url)
    dossier = Dossier.objects.get(holder=world.holder)
    assert response.status_code == 302 and response["Location"] == reverse("dossiers:detail", args=[dossier.pk])
    # A second time: refused, explained, nothing created.
    again = client.post(register_url)
    assert again.status_code == 409 and "fr-alert--error" in text(again)
    assert Dossier.objects.filter(holder=world.holder).count() == 1
    listing = text(client.get("/dossiers/"))
    assert world.offer.title in listing and french_date(dossier.respond_before) in listing
    # Back on the offer: this session says "registered" and leads to the file instead of a button that would fail.
    offer_page = text(client.get(reverse("catalogue:offer", args=[world.offer.pk])))
    assert register_url not in offer_page
    assert reverse("dossiers:detail", args=[dossier.pk]) in offer_page


def test_the_offer_page_estimates_what_the_rights_cover_before_any_request(client, world):
    client.force_login(world.user)
    page = client.get(reverse("catalogue:offer", args=[world.offer.pk])).content.decode()
    # 1 200 € with 3 000 € of rights: the rights pay all but the flat contribution in force, paid by card.
    contribution = flat_contribution(timezone.localdate())
    funded = re.search(r'data-testid="estimate-funded">([^<]+)<', page).group(1)
    card = re.search(r'data-testid="estimate-card">([^<]+)<', page).group(1)
    assert funded == format_money(eur("1200.00") - contribution) and card == format_money(contribution)
    assert not Dossier.objects.exists()  # estimating creates nothing
    client.logout()
    anonymous = client.get(reverse("catalogue:offer", args=[world.offer.pk])).content.decode()
    assert 'id="funding-estimate"' in anonymous and "estimate-funded" not in anonymous


def test_a_file_of_someone_else_is_not_found(client, world):
    dossier = services.dossier_register(user=world.user, session_id=world.session.pk)
    client.force_login(HolderFactory().user)
    for name in ("detail", "accept", "cancel", "evaluate"):
        assert client.get(reverse(f"dossiers:{name}", args=[dossier.pk])).status_code == 404


def test_accept_shows_the_split_then_pays_by_sandbox_card(client, world):
    dossier = proposed(world)
    client.force_login(world.user)
    url = reverse("dossiers:accept", args=[dossier.pk])
    page = text(client.get(url))
    assert "1 096,80 €" in page  # acquired rights
    assert "103,20 €" in page  # the flat contribution, by card
    assert "BAC À SABLE" in page and 'name="number"' in page  # the sandbox card form says what it is

    declined = client.post(url, {**CARD, "number": "4000 0000 0000 0002", "expected_card_amount": "103.20"})
    assert declined.status_code == 402 and "fr-error-text" in text(declined)
    assert Dossier.objects.get(pk=dossier.pk).state == S.PROPOSED
    invalid = client.post(url, {**CARD, "number": "1234 5678 9012 3456", "expected_card_amount": "103.20"})
    assert invalid.status_code == 400
    assert balances(world.holder) == (eur("3000.00"), eur("0.00"))

    response = client.post(url, {**CARD, "expected_card_amount": "103.20"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == S.CONFIRMED and balances(world.holder) == (eur("1903.20"), eur("0.00"))
    detail = text(client.get(reverse("dossiers:detail", args=[dossier.pk])))
    assert "1 096,80 €" in detail and "103,20 €" in detail
    assert Payment.objects.filter(dossier=dossier, status="succeeded").count() == 1


def test_cancel_shows_the_consequences_before_confirming(client, world):
    dossier = proposed(world)
    services.dossier_accept(dossier_id=dossier.pk, user=world.user, card=GOOD_CARD)
    client.force_login(world.user)
    url = reverse("dossiers:cancel", args=[dossier.pk])
    page = text(client.get(url))
    assert "1 096,80 €" in page and "103,20 €" in page  # restored rights, card refunded
    assert "sans frais est possible" in page and "sans frais était possible" not in page  # in time: free
    assert Dossier.objects.get(pk=dossier.pk).state == S.CONFIRMED
    response = client.post(url, {"reason": "Changed my plans"})
    assert response.status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).state == S.CANCELLED_BY_HOLDER
    assert balances(world.holder) == (eur("3000.00"), eur("0.00"))


def test_confirm_and_rate_after_the_end_shown_anonymously(client, world):
    Session.objects.filter(pk=world.session.pk).update(
        start_date=timezone.localdate() - datetime.timedelta(days=10),
        end_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    world.session.refresh_from_db()
    dossier = services.dossier_register(user=world.user, session_id=world.session.pk, now=moment(-40))
    services.dossier_propose(
        dossier_id=dossier.pk,
        user=world.staff,
        price="1200.00",
        start=world.session.start_date,
        end=world.session.end_date,
        now=moment(-39),
    )
    services.dossier_accept(dossier_id=dossier.pk, user=world.user, card=GOOD_CARD, now=moment(-38))
    services.dossier_declare_entry(dossier_id=dossier.pk, user=world.staff, now=moment(-10))
    services.dossier_declare_exit(dossier_id=dossier.pk, user=world.staff, completion_percent="100", now=moment(-1))
    client.force_login(world.user)
    url = reverse("dossiers:evaluate", args=[dossier.pk])
    assert url in text(client.get(reverse("dossiers:detail", args=[dossier.pk])))
    incomplete = client.post(url, {"took_place": "yes", "welcome": "5"})
    assert incomplete.status_code == 400
    response = client.post(
        url,
        {
            "took_place": "yes",
            "welcome": "5",
            "content": "4",
            "trainers": "5",
            "resources": "4",
            "support": "4",
            "comment": "Formateurs passionnés",
        },
    )
    assert response.status_code == 302
    offer = Offer.objects.get(pk=world.offer.pk)
    assert offer.rating_count == 1 and offer.rating_average == eur("4.40")
    client.logout()
    public = text(client.get(reverse("catalogue:offer", args=[world.offer.pk])))
    assert "Formateurs passionnés" in public
    assert world.holder.last_name not in public and world.holder.first_names not in public


@pytest.mark.parametrize("number", ["4000000000000002", "4000-0000-0000-0002", "1234 5678 9012 3456"])
def test_card_data_is_never_sent_back_into_the_page(client, world, caplog, number):
    dossier = proposed(world)
    client.force_login(world.user)
    url = reverse("dossiers:accept", args=[dossier.pk])
    caplog.set_level("DEBUG")
    response = client.post(url, {**CARD, "number": number, "cvc": "987", "expected_card_amount": "103.20"})
    assert response.status_code in (400, 402)  # declined, or not a card number
    page = response.content.decode()
    inputs = re.findall(r'<input[^>]*name="(?:number|cvc)"[^>]*>', page)
    assert len(inputs) == 2 and not any("value=" in tag for tag in inputs)  # the form is there, empty
    assert number not in page and "987" not in page
    assert number not in caplog.text and "987" not in caplog.text


def test_a_file_accepted_in_french_reads_in_english(client, world):
    from django.utils import translation

    dossier = proposed(world)
    with translation.override("fr"):
        services.dossier_accept(dossier_id=dossier.pk, user=world.user, card=GOOD_CARD)
    assert Dossier.objects.get(pk=dossier.pk).funding[0]["label"] == "Droits acquis"  # stored in French
    client.force_login(world.user)
    client.cookies["opencpf_language"] = "en"
    page = text(client.get(reverse("dossiers:detail", args=[dossier.pk])))
    assert "Acquired rights" in page and "Droits acquis" not in page
