"""File top-ups ("abondements", DESIGN §2.2): a holder whose rights fall short asks a funder from the acceptance
page; the funder grants at most what is left to cover, or refuses; the holder accepts afterwards and the plan uses
the file top-up last; an employer's or OPCO's waives the flat contribution; a cancelled file gives it back to the
funder."""

import datetime
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from opencpf.accounts.services import api_token_create
from opencpf.dossiers import services as dossier_services
from opencpf.dossiers.enums import ContributionExemption
from opencpf.funders import selectors, services
from opencpf.funders.enums import FileTopUpStatus
from opencpf.rights import services as rights_services
from opencpf.rights.enums import Bucket, FunderKind, MovementKind
from opencpf.rights.models import Engagement, LedgerEntry, TopUp
from opencpf.rights.reconciliation import ledger_reconciliation
from opencpf.rights.selectors import usable_top_ups
from tests.dossiers.factories import accept, day, give_top_up, make_world, paris, propose, register
from tests.funders.factories import FunderOrganisationFactory, funder_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
ASKED, ANSWERED = day("2026-02-03"), day("2026-02-04")


def proposal(**world_options):
    world = make_world(acquired="600.00", **world_options)  # price 1 200 €, contribution 103.20 € in 2026
    dossier = register(world)
    propose(world, dossier)
    return world, dossier


def proposal_today():
    """A proposal made today (web views answer on the real date)."""
    today = timezone.localdate()
    world = make_world(
        acquired="600.00",
        start=(today + datetime.timedelta(days=60)).isoformat(),
        end=(today + datetime.timedelta(days=64)).isoformat(),
    )
    dossier = dossier_services.dossier_register(user=world.user, session_id=world.session.pk)
    dossier_services.dossier_propose(dossier_id=dossier.pk, user=world.staff, price="1200.00")
    return world, dossier


def ask(world, dossier, organisation):
    return services.file_top_up_request(
        user=world.user, dossier_id=dossier.pk, organisation_id=organisation.pk, on_date=ASKED
    )


def grant(funder, request, amount):
    return services.file_top_up_grant(user=funder, request_id=request.pk, amount=amount, on_date=ANSWERED)


def rows(dossier):
    return [
        (row.bucket, row.top_up_id, row.amount)
        for row in Engagement.objects.filter(dossier_id=dossier.pk).order_by("id")
    ]


def test_a_region_covers_at_most_the_shortfall_and_is_used_last():
    world, dossier = proposal()
    region = FunderOrganisationFactory(region=True)
    funder = funder_user(region)
    request = ask(world, dossier, region)
    assert request.amount_asked == Decimal("496.80")  # 1 200 − 103.20 − 600
    with pytest.raises(services.CreditError) as too_much:
        grant(funder, request, "496.81")
    assert too_much.value.errors == {"amount": ["At most 496.80 € are left to cover on this file."]}
    assert not TopUp.objects.exists()
    granted = grant(funder, request, "496.80")
    assert granted.status == FileTopUpStatus.GRANTED and granted.top_up.for_dossier_id == dossier.pk
    accepted = accept(world, dossier, at="2026-02-05")
    assert rows(dossier) == [
        (Bucket.ACQUIRED, None, Decimal("600.00")),
        (Bucket.TOP_UP, granted.top_up.pk, Decimal("496.80")),
    ]
    assert accepted.contribution_exemption in ("", None)
    assert selectors.funder_report(region).total.used == Decimal("496.80")


def test_an_employer_top_up_comes_after_supplementary_credits_and_acquired_rights_and_waives_the_contribution():
    world, dossier = proposal()
    supplementary = give_top_up(world.holder, "200.00")
    employer = FunderOrganisationFactory()
    funder = funder_user(employer)
    request = ask(world, dossier, employer)
    assert request.amount_asked == Decimal("400.00")  # all the holder would pay: the contribution is waived
    granted = grant(funder, request, "400.00")
    accepted = accept(world, dossier, at="2026-02-05")
    assert rows(dossier) == [
        (Bucket.TOP_UP, supplementary.pk, Decimal("200.00")),
        (Bucket.ACQUIRED, None, Decimal("600.00")),
        (Bucket.TOP_UP, granted.top_up.pk, Decimal("400.00")),
    ]
    assert accepted.contribution_exemption == ContributionExemption.EMPLOYER_COFUNDED


def test_a_file_top_up_funds_no_other_file():
    world, dossier = proposal()
    employer = FunderOrganisationFactory()
    granted = grant(funder_user(employer), ask(world, dossier, employer), "100.00")
    assert [t.pk for t in usable_top_ups(world.holder.pk, ANSWERED, dossier_id=dossier.pk)] == [granted.top_up.pk]
    assert usable_top_ups(world.holder.pk, ANSWERED, dossier_id=dossier.pk + 1) == []
    assert usable_top_ups(world.holder.pk, ANSWERED) == []
    assert granted.top_up.funder_kind == FunderKind.EMPLOYER


def test_a_cancelled_file_gives_the_file_top_up_back_to_the_funder_once():
    world, dossier = proposal()
    employer = FunderOrganisationFactory()
    granted = grant(funder_user(employer), ask(world, dossier, employer), "600.00")
    accept(world, dossier, at="2026-02-05")
    dossier_services.dossier_cancel(dossier_id=dossier.pk, user=world.user, now=paris("2026-02-10"))
    returned = LedgerEntry.objects.filter(top_up=granted.top_up, kind=MovementKind.FUNDER_RETURN)
    assert list(returned.values_list("amount", flat=True)) == [Decimal("-600.00")]
    granted.top_up.refresh_from_db()
    assert granted.top_up.remaining == 0
    total = selectors.funder_report(employer).total
    assert (total.credited, total.used, total.returned, total.available) == (
        Decimal("600.00"),
        Decimal("0.00"),
        Decimal("600.00"),
        Decimal("0.00"),
    )
    assert ledger_reconciliation(start=day("2025-01-01"), end=day("2026-12-31")).balanced


def test_a_grant_never_used_goes_back_to_the_funder_after_the_acceptance_deadline():
    world, dossier = proposal()
    employer = FunderOrganisationFactory()
    granted = grant(funder_user(employer), ask(world, dossier, employer), "300.00")
    dossier.refresh_from_db()
    assert granted.top_up.expires_on == dossier.accept_before
    rights_services.topups_expire(on_date=dossier.accept_before + datetime.timedelta(days=1))
    assert list(LedgerEntry.objects.filter(top_up=granted.top_up).values_list("kind", "amount")) == [
        (MovementKind.TOP_UP, Decimal("300.00")),
        (MovementKind.FUNDER_RETURN, Decimal("-300.00")),
    ]
    assert selectors.funder_report(employer).total.returned == Decimal("300.00")


def test_what_cannot_be_asked_or_answered():
    world, dossier = proposal()
    employer, other = FunderOrganisationFactory(), FunderOrganisationFactory()
    stranger = make_world(acquired=None)
    with pytest.raises(Http404):
        ask(stranger, dossier, employer)  # not their file
    request = ask(world, dossier, employer)
    with pytest.raises(services.CreditError) as twice:
        ask(world, dossier, employer)
    assert list(twice.value.errors) == ["organisation"]
    with pytest.raises(Http404):
        grant(funder_user(other), request, "10.00")  # another funder's request
    funder = funder_user(employer)
    with pytest.raises(services.CreditError) as no_reason:
        services.file_top_up_refuse(user=funder, request_id=request.pk, reason="  ")
    assert list(no_reason.value.errors) == ["reason"]
    for amount in ("0", "-1", "1.001"):
        with pytest.raises(services.CreditError):
            grant(funder, request, amount)
    refused = services.file_top_up_refuse(user=funder, request_id=request.pk, reason="Budget closed")
    assert refused.status == FileTopUpStatus.REFUSED
    with pytest.raises(services.CreditError):
        grant(funder, request, "10.00")  # already answered
    assert not TopUp.objects.exists()
    covered_world = make_world(acquired="3000.00")
    covered = register(covered_world)
    propose(covered_world, covered)
    with pytest.raises(services.CreditError) as nothing:
        ask(covered_world, covered, employer)
    assert "nothing to ask" in nothing.value.errors["__all__"][0]


def test_the_web_journey_and_who_may_see_what(client):
    world, dossier = proposal_today()
    employer = FunderOrganisationFactory(name="Boulangerie Dupain")
    funder = funder_user(employer)
    ask_url = reverse("file_top_ups:ask", args=[dossier.pk])
    client.force_login(funder)
    assert client.get(ask_url).status_code == 403
    client.force_login(make_world(acquired=None).user)
    assert client.get(ask_url).status_code == 404
    client.force_login(world.user)
    assert client.get(ask_url).status_code == 200
    response = client.post(ask_url, {"organisation": employer.pk, "message": "Merci"})
    assert response.status_code == 302
    request = employer.file_requests.get()
    client.force_login(funder_user(FunderOrganisationFactory()))
    assert client.get(reverse("funders:file_request_detail", args=[request.pk])).status_code == 404
    client.force_login(funder)
    assert world.holder.last_name.upper() in client.get(reverse("funders:file_requests")).content.decode()
    detail = reverse("funders:file_request_detail", args=[request.pk])
    assert client.post(detail, {"action": "grant", "grant-amount": "900"}).status_code == 400
    assert client.post(detail, {"action": "grant", "grant-amount": "600,00"}).status_code == 302
    request.refresh_from_db()
    assert request.status == FileTopUpStatus.GRANTED and request.amount_granted == Decimal("600.00")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (Debian poppler-utils) is not installed")
def test_the_employer_letter_names_the_training_and_the_amount_missing(client, tmp_path):
    world, dossier = proposal()
    letter_url = reverse("file_top_ups:employer_letter", args=[dossier.pk])
    client.force_login(make_world(acquired=None).user)
    assert client.get(letter_url).status_code == 404  # another holder's file
    client.force_login(world.user)
    response = client.get(letter_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "letter.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    flat = " ".join(text.split())
    assert dossier.offer.title in flat
    assert world.holder.full_name in flat
    assert "The amount missing is 600.00 €." in flat.replace(",", "")  # 1 200 € − 600 € of rights (no contribution)
    assert "L6323-4" in flat


def test_no_letter_when_rights_cover_the_training(client):
    world = make_world(acquired="3000.00")
    dossier = register(world)
    propose(world, dossier)
    client.force_login(world.user)
    response = client.get(reverse("file_top_ups:employer_letter", args=[dossier.pk]))
    assert response.status_code == 302


def test_the_api_lists_grants_and_refuses(api_client):
    world, dossier = proposal_today()
    employer = FunderOrganisationFactory()
    funder = funder_user(employer)
    request = ask(world, dossier, employer)
    other = api_client.bearer(api_token_create(user=funder_user())[0])
    assert other.get("/api/v1/funder/file-requests").json() == []
    assert other.post(f"/api/v1/funder/file-requests/{request.pk}/grant", {"amount": "10.00"}).status_code == 404
    holder = api_client.bearer(api_token_create(user=world.user)[0])
    assert holder.get("/api/v1/funder/file-requests").status_code == 403
    signed = api_client.bearer(api_token_create(user=funder)[0])
    (listed,) = signed.get("/api/v1/funder/file-requests").json()
    assert (listed["id"], listed["status"], listed["amount_asked"]) == (request.pk, "requested", "600.00")
    too_much = signed.post(f"/api/v1/funder/file-requests/{request.pk}/grant", {"amount": "600.01"})
    assert too_much.status_code == 400 and list(too_much.json()["errors"]) == ["amount"]
    granted = signed.post(f"/api/v1/funder/file-requests/{request.pk}/grant", {"amount": "250.00"})
    assert granted.status_code == 200 and granted.json()["amount_granted"] == "250.00"
    again = signed.post(f"/api/v1/funder/file-requests/{request.pk}/refuse", {"reason": "No"})
    assert again.status_code == 400
