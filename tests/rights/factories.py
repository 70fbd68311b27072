from decimal import Decimal

import factory
from stdnum import luhn

from opencpf.rights.models import EmploymentDeclaration, SelfEmployedDeclaration
from tests.accounts.factories import HolderFactory


def make_siret(serial: int) -> str:
    """A valid SIRET: a Luhn-valid SIREN and a Luhn-valid whole."""
    siren_body = f"{(serial // 1000) % 100_000_000:08d}"
    siren = siren_body + luhn.calc_check_digit(siren_body)
    nic_body = f"{serial % 10_000:04d}"
    return siren + nic_body + luhn.calc_check_digit(siren + nic_body)


class EmploymentDeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmploymentDeclaration

    holder = factory.SubFactory(HolderFactory)
    employer_siret = factory.Sequence(lambda n: make_siret(123_000 + n))
    year = 2025
    hours_worked = Decimal("1607")
    reference_hours = Decimal("1607")

    class Params:
        part_time = factory.Trait(hours_worked=Decimal("800"))


class SelfEmployedDeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelfEmployedDeclaration

    holder = factory.SubFactory(HolderFactory, self_employed=True)
    year = 2025
    months = 12
    contribution_paid = True
