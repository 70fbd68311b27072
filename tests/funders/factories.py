import factory

from opencpf.accounts.enums import Role
from opencpf.funders.models import FunderMember, FunderOrganisation
from opencpf.rights.enums import FunderKind
from tests.accounts.factories import UserFactory
from tests.rights.factories import make_siret


class FunderOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FunderOrganisation

    name = factory.Sequence(lambda n: f"Employeur {n}")
    kind = FunderKind.EMPLOYER
    siret = factory.Sequence(lambda n: make_siret(555_000 + n))

    class Params:
        opco = factory.Trait(kind=FunderKind.OPCO, siret="", name="OPCO Atlas")
        region = factory.Trait(kind=FunderKind.REGION, siret="", name="Région Bretagne")


def funder_user(organisation=None):
    organisation = organisation or FunderOrganisationFactory()
    user = UserFactory(role=Role.FUNDER, display_name="Funder")
    FunderMember.objects.create(user=user, organisation=organisation)
    return user
