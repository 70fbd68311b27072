"""Supplementary credits (DESIGN §2.2): who may be credited, with what, and what is refused with nothing written."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.utils import timezone

from opencpf.accounts.enums import ClosureReason
from opencpf.funders import services
from opencpf.funders.models import FunderCredit, FunderOrganisation
from opencpf.rights import services as rights_services
from opencpf.rights.enums import FunderKind, MovementKind
from opencpf.rights.models import LedgerEntry, RightsAccount, TopUp
from opencpf.rights.selectors import rights_balance
from tests.accounts.factories import HolderFactory
from tests.catalogue.factories import CertificationFactory, OfferFactory
from tests.funders.factories import FunderOrganisationFactory, funder_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
NO_MATCH = "No account holder matches this social security number and birth name."


def credit(organisation, holder, **kwargs):
    arguments = {"nir": holder.nir, "last_name": holder.last_name, "amount": "500.00"} | kwargs
    return services.credit_add(organisation=organisation, user=None, **arguments)


def nothing_written():
    return not TopUp.objects.exists() and not FunderCredit.objects.exists() and not LedgerEntry.objects.exists()


def test_an_earmarked_expiring_credit_lands_on_the_account_with_its_conditions():
    organisation = FunderOrganisationFactory()
    holder = HolderFactory()
    certification = CertificationFactory()
    expires = timezone.localdate() + datetime.timedelta(days=90)
    created = credit(
        organisation,
        holder,
        nir=" ".join(holder.nir[i : i + 3] for i in range(0, 15, 3)),  # typed with spaces
        last_name=holder.last_name.upper(),
        amount="1 200,50",
        earmark_certifications=[certification.code.lower()],
        expires_on=expires,
        return_unused=True,
    )
    top_up = created.top_up
    assert (top_up.amount, top_up.funder_kind, top_up.funder_name) == (
        Decimal("1200.50"),
        FunderKind.EMPLOYER,
        organisation.name,
    )
    assert top_up.earmark_certifications == [certification.code]
    assert (top_up.expires_on, top_up.return_unused) == (expires, True)
    assert RightsAccount.objects.get(pk=holder.pk).top_ups == Decimal("1200.50")
    (line,) = rights_balance(holder).top_up_list
    assert line.return_unused and line.earmark_certifications == (certification.code,)
    assert LedgerEntry.objects.get(holder=holder).kind == MovementKind.TOP_UP


def test_a_birth_name_that_does_not_match_is_refused_like_an_unknown_nir():
    organisation = FunderOrganisationFactory()
    holder = HolderFactory(last_name="Durand")
    with pytest.raises(services.CreditError) as wrong_name:
        credit(organisation, holder, last_name="Dupont")
    with pytest.raises(services.CreditError) as unknown:
        credit(organisation, holder, nir="299027505612345")
    assert wrong_name.value.errors == unknown.value.errors == {"nir": [NO_MATCH]}
    assert nothing_written()


def test_a_closed_account_is_refused():
    organisation = FunderOrganisationFactory()
    holder = HolderFactory()
    rights_services.account_close(holder=holder, reason=ClosureReason.RETIREMENT)
    with pytest.raises(services.CreditError) as error:
        credit(organisation, holder)
    assert "closed" in error.value.errors["nir"][0]
    assert not TopUp.objects.exists() and not FunderCredit.objects.exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-10", "A credit must be more than 0 €."),
        ("0", "A credit must be more than 0 €."),
        ("0.00", "A credit must be more than 0 €."),
        ("10.005", "An amount has at most two decimals."),
        ("1e40", "One credit is at most 100000.00 €."),
        ("NaN", "Enter an amount in euros, e.g. 500.00."),
        ("abc", "Enter an amount in euros, e.g. 500.00."),
        ("", "Enter an amount in euros, e.g. 500.00."),
        ("12\x00", "Enter an amount in euros, e.g. 500.00."),
    ],
)
def test_bad_amounts_are_refused_and_nothing_is_written(amount, message):
    with pytest.raises(services.CreditError) as error:
        credit(FunderOrganisationFactory(), HolderFactory(), amount=amount)
    assert error.value.errors == {"amount": [message]}
    assert nothing_written()


def test_an_earmark_on_an_unknown_or_malformed_certification_or_offer_is_refused():
    organisation, holder = FunderOrganisationFactory(), HolderFactory()
    with pytest.raises(services.CreditError) as unknown:
        credit(organisation, holder, earmark_certifications=["RNCP99999"])
    assert unknown.value.errors == {"earmark_certifications": ["Unknown certification: RNCP99999."]}
    with pytest.raises(services.CreditError) as malformed:
        credit(organisation, holder, earmark_certifications=["MBA"])
    assert list(malformed.value.errors) == ["earmark_certifications"]
    with pytest.raises(services.CreditError) as offer:
        credit(organisation, holder, earmark_offers=[987654])
    assert offer.value.errors == {"earmark_offers": ["Unknown offer: 987654."]}
    assert nothing_written()
    offer = OfferFactory()
    assert credit(organisation, holder, earmark_offers=[offer.pk]).top_up.earmark_offers == [offer.pk]


def test_return_to_the_funder_needs_an_expiry_date_and_a_past_date_is_refused():
    organisation, holder = FunderOrganisationFactory(), HolderFactory()
    with pytest.raises(services.CreditError) as no_date:
        credit(organisation, holder, return_unused=True)
    assert list(no_date.value.errors) == ["return_unused"]
    with pytest.raises(services.CreditError) as past:
        credit(organisation, holder, expires_on=timezone.localdate() - datetime.timedelta(days=1))
    assert list(past.value.errors) == ["expires_on"]
    assert nothing_written()


def test_an_employer_needs_a_valid_siret_and_the_database_says_so_too():
    with pytest.raises(services.CreditError) as error:
        services.funder_create(name="ACME", kind=FunderKind.EMPLOYER, siret="")
    assert list(error.value.errors) == ["siret"]
    with pytest.raises(services.CreditError):
        services.funder_create(name="ACME", kind=FunderKind.EMPLOYER, siret="12345678901234")
    with pytest.raises(services.CreditError):
        services.funder_create(name="State", kind=FunderKind.STATE)
    assert services.funder_create(name="OPCO EP", kind=FunderKind.OPCO).siret == ""
    with pytest.raises(IntegrityError):
        FunderOrganisation.objects.create(name="ACME", kind=FunderKind.EMPLOYER, siret="")


def test_funder_member_gets_the_funder_role():
    organisation = FunderOrganisationFactory()
    user = services.funder_member_add(organisation=organisation, email="Paie@Example.fr", display_name="Paie")
    assert (user.role, user.email, user.funder_member.organisation) == ("funder", "paie@example.fr", organisation)
    assert not user.has_usable_password()
    with pytest.raises(services.CreditError):
        services.funder_member_add(organisation=organisation, email="paie@example.fr", display_name="Again")
    assert funder_user(organisation).funder_member.organisation == organisation
