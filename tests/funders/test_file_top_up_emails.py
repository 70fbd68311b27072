"""Emails about file top-ups, read from a real SMTP server: a holder's request reaches every member of the funder
asked, each in their language; the funder's grant or refusal reaches the holder in theirs. Never the NIR."""

import pytest

from opencpf.accounts.enums import Role
from opencpf.funders import services
from opencpf.funders.models import FunderMember
from tests.accounts.factories import UserFactory
from tests.accounts.test_smtp import plain_text, smtp_server  # noqa: F401 - the real SMTP server fixture
from tests.dossiers.factories import day, make_world, propose, register
from tests.funders.factories import FunderOrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.smtp]


def member(organisation, language):
    user = UserFactory(role=Role.FUNDER, display_name="Paie", language=language)
    FunderMember.objects.create(user=user, organisation=organisation)
    return user


@pytest.fixture
def asked(smtp_server, django_capture_on_commit_callbacks):  # noqa: F811 - the server listens before anything is sent
    world = make_world(acquired="600.00", user__language="en")  # price 1 200 €, contribution 103.20 € in 2026
    dossier = register(world)
    propose(world, dossier)
    organisation = FunderOrganisationFactory(name="Boulangerie Dupain")
    english, french = member(organisation, "en"), member(organisation, "fr")
    with django_capture_on_commit_callbacks(execute=True):
        request = services.file_top_up_request(
            user=world.user, dossier_id=dossier.pk, organisation_id=organisation.pk, on_date=day("2026-02-03")
        )
    return world, dossier, request, english, french


def test_the_request_reaches_every_member_of_the_funder_in_their_language(asked, smtp_server):  # noqa: F811
    world, dossier, request, english, french = asked
    to_english = smtp_server.last_to(english.email)
    assert to_english["Subject"] == f"File top-up request from {world.holder.full_name}"
    body = plain_text(to_english)
    assert body.startswith("Hello,")
    assert f"{world.holder.full_name} asks Boulangerie Dupain to cover" in body
    assert dossier.offer_title in body and "Amount left to cover: 600.00 €" in body
    assert f"/financeur/abondements/{request.pk}/" in body
    assert plain_text(smtp_server.last_to(french.email)).startswith("Bonjour,")
    for message in smtp_server.messages:
        assert world.holder.nir not in plain_text(message)
    assert not any(world.user.email in message["X-Envelope-To"] for message in smtp_server.messages)


def test_a_grant_tells_the_holder_how_much_and_until_when(
    asked,
    smtp_server,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    world, dossier, request, english, _french = asked
    with django_capture_on_commit_callbacks(execute=True):
        services.file_top_up_grant(user=english, request_id=request.pk, amount="450,00", on_date=day("2026-02-04"))
    message = smtp_server.last_to(world.user.email)
    assert message["Subject"] == "Boulangerie Dupain covers part of your training"
    body = plain_text(message)
    assert f"Boulangerie Dupain covers 450.00 € of your training “{dossier.offer_title}”." in body
    assert "Accept the proposal by" in body and f"/dossiers/{dossier.pk}/" in body


def test_a_refusal_tells_the_holder_why(asked, smtp_server, django_capture_on_commit_callbacks):  # noqa: F811
    world, _dossier, request, _english, french = asked
    with django_capture_on_commit_callbacks(execute=True):
        services.file_top_up_refuse(user=french, request_id=request.pk, reason="Budget de l'année épuisé")
    message = smtp_server.last_to(world.user.email)
    assert message["Subject"] == "Boulangerie Dupain refused your file top-up request"
    body = plain_text(message)
    assert "Budget de l'année épuisé" in body and "You may ask another funder" in body


def test_a_refused_request_sends_nothing(asked, smtp_server, django_capture_on_commit_callbacks):  # noqa: F811
    world, dossier, request, english, _french = asked
    sent = len(smtp_server.messages)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.CreditError):
        services.file_top_up_request(
            user=world.user, dossier_id=dossier.pk, organisation_id=request.organisation_id, on_date=day("2026-02-03")
        )
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.CreditError):
        services.file_top_up_grant(user=english, request_id=request.pk, amount="0", on_date=day("2026-02-04"))
    assert len(smtp_server.messages) == sent
