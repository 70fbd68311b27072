"""Bank details: IBAN checked with python-stdnum; a change needs the finance manager role, the password and a fresh
second factor; it is audited (masked), told to the managers, and holds payments for a few days."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from opencpf.accounts.models import AuditEvent
from opencpf.catalogue.enums import OrganisationRole
from opencpf.catalogue.models import Organisation
from opencpf.catalogue.services import bank
from opencpf.catalogue.services.staff import member_add
from opencpf.dossiers import services
from opencpf.dossiers.deadlines import dossiers_lapse
from opencpf.dossiers.models import OrganisationPayment
from opencpf.dossiers.rules import PARIS
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.dossiers.factories import in_training, make_world, organisation_with_staff, paris

pytestmark = pytest.mark.django_db
GOOD_IBAN = "FR76 3000 6000 0112 3456 7890 189"
BAD_KEY = "FR77 3000 6000 0112 3456 7890 189"


def email_code(organisation, user, capture) -> str:
    with capture(execute=True):
        bank.bank_details_code_send(organisation=organisation, actor=user)
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def test_an_iban_with_a_bad_key_is_refused_and_nothing_changes(django_capture_on_commit_callbacks):
    organisation, manager = organisation_with_staff()
    code = email_code(organisation, manager, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as error:
        bank.organisation_iban_set(
            organisation=organisation, actor=manager, iban=BAD_KEY, password=DEFAULT_PASSWORD, code=code
        )
    assert "iban" in error.value.message_dict
    assert Organisation.objects.get(pk=organisation.pk).iban == ""


def test_the_password_and_a_fresh_code_are_needed(django_capture_on_commit_callbacks):
    organisation, manager = organisation_with_staff()
    with pytest.raises(ValidationError) as error:
        bank.organisation_iban_set(organisation=organisation, actor=manager, iban=GOOD_IBAN, password="x", code="1")
    assert "password" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        bank.organisation_iban_set(
            organisation=organisation, actor=manager, iban=GOOD_IBAN, password=DEFAULT_PASSWORD, code="000000"
        )
    assert "code" in error.value.message_dict
    assert Organisation.objects.get(pk=organisation.pk).iban == ""


def test_only_the_finance_manager_changes_the_iban():
    organisation, _manager = organisation_with_staff()
    reader = UserFactory(organisation_staff=True)
    member_add(organisation=organisation, user=reader, roles=[OrganisationRole.READER, OrganisationRole.FILES_MANAGER])
    with pytest.raises(PermissionDenied):
        bank.bank_details_code_send(organisation=organisation, actor=reader)
    with pytest.raises(PermissionDenied):
        bank.organisation_iban_set(
            organisation=organisation, actor=reader, iban=GOOD_IBAN, password=DEFAULT_PASSWORD, code="123456"
        )


def test_a_change_is_audited_told_and_holds_payments(django_capture_on_commit_callbacks):
    world = make_world()
    dossier = in_training(world)
    services.dossier_declare_exit(
        dossier_id=dossier.pk, user=world.staff, completion_percent="100", now=paris("2026-03-20", 17)
    )
    payment = OrganisationPayment.objects.get(dossier=dossier)
    code = email_code(world.organisation, world.staff, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        organisation = bank.organisation_iban_set(
            organisation=world.organisation, actor=world.staff, iban=GOOD_IBAN, password=DEFAULT_PASSWORD, code=code
        )
    assert organisation.iban == "FR7630006000011234567890189"
    event = AuditEvent.objects.get(action="organisation_iban_changed")
    assert event.actor == world.staff and event.details["iban"] == "FR76 •••• 0189"
    assert "0112345678" not in str(event.details)
    assert mail.outbox[-1].to == [world.staff.email] and "0112345678" not in mail.outbox[-1].body

    # The task does not pay within the hold, and an agent cannot either.
    changed = datetime.datetime(2026, 4, 17, 9, tzinfo=PARIS)
    Organisation.objects.filter(pk=organisation.pk).update(iban_changed_at=changed)
    assert dossiers_lapse(now=paris("2026-04-19"), dry_run=False).paid == 0
    with pytest.raises(services.DossierError) as error:
        services.organisation_payment_pay(payment_id=payment.pk, user=world.agent, now=paris("2026-04-19"))
    assert error.value.code == "bank_details_changed"
    assert OrganisationPayment.objects.get(pk=payment.pk).status == "due"
    # Five days later, it is paid.
    assert dossiers_lapse(now=paris("2026-04-23"), dry_run=False).paid == 1


def test_identity_page_changes_the_iban_with_an_email_code(client, django_capture_on_commit_callbacks, english):
    organisation, manager = organisation_with_staff()
    client.force_login(manager)
    page = client.get("/organisme/identite/")
    assert page.status_code == 200 and organisation.siret.encode() in page.content
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/organisme/identite/code/")
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    bad = client.post("/organisme/identite/", {"iban": BAD_KEY, "password": DEFAULT_PASSWORD, "code": code})
    assert bad.status_code == 400 and b"IBAN is not valid" in bad.content
    response = client.post("/organisme/identite/", {"iban": GOOD_IBAN, "password": DEFAULT_PASSWORD, "code": code})
    assert response.status_code == 302
    assert Organisation.objects.get(pk=organisation.pk).iban == "FR7630006000011234567890189"
    assert "payments wait until" in client.get("/organisme/identite/").content.decode()
