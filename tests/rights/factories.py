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


def engage(*, holder, amount, dossier_id, on_date, certification_code="", offer_id=None):
    """Engage `amount` for a file with a split taken in the order the usable buckets are listed (tests of the
    ledger itself: in the application the split is the funding plan's, `dossiers.rules.funding_plan`). Asking for
    more than the buckets hold sends a split that does not fit, which the ledger refuses."""
    from opencpf.rights import services
    from opencpf.rights.selectors import rights_buckets

    left = Decimal(amount)
    split = []
    for bucket in rights_buckets(
        holder=holder, on_date=on_date, certification_code=certification_code, offer_id=offer_id
    ):
        take = min(bucket.amount, left)
        if take > 0:
            split.append((bucket.id, take))
            left -= take
    if left > 0:
        split.append(("acquired", left))
    return services.rights_engage(
        holder=holder,
        dossier_id=dossier_id,
        split=split,
        on_date=on_date,
        certification_code=certification_code,
        offer_id=offer_id,
    )
