import datetime

import factory
from django.utils import timezone

from opencpf.accounts.enums import HolderStatus, IdentityLevel, IdentitySource, Role
from opencpf.accounts.models import Holder, User
from opencpf.accounts.nir import nir_key

DEFAULT_PASSWORD = "Correct-Horse-42!"


def make_nir(birth_date: datetime.date, serial: int, sex: str = "2", place: str = "75056") -> str:
    body = f"{sex}{birth_date.year % 100:02d}{birth_date.month:02d}{place}{serial % 1000:03d}"
    return body + nir_key(body)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.fr")
    role = Role.HOLDER
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    class Params:
        unconfirmed = factory.Trait(email_verified_at=None)
        agent = factory.Trait(role=Role.AGENT, display_name="Agent")
        organisation_staff = factory.Trait(role=Role.ORGANISATION_STAFF, display_name="OF staff")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class HolderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Holder

    user = factory.SubFactory(UserFactory)
    birth_date = datetime.date(1990, 3, 15)
    nir = factory.LazyAttributeSequence(lambda o, n: make_nir(o.birth_date, n))
    last_name = "Durand"
    first_names = "Claire Marie"
    phone = "+33612345678"
    address_line1 = "1 place de la Mairie"
    postal_code = "69001"
    city = "Lyon"
    country = "FR"
    status = HolderStatus.EMPLOYEE
    # Most tests are about what a verified holder does; `basic_identity=True` for the other case.
    identity_level = IdentityLevel.VERIFIED
    identity_source = IdentitySource.IN_PERSON
    identity_verified_at = factory.LazyFunction(timezone.now)

    class Params:
        basic_identity = factory.Trait(
            identity_level=IdentityLevel.BASIC, identity_source="", identity_verified_at=None
        )
        self_employed = factory.Trait(status=HolderStatus.SELF_EMPLOYED)
        job_seeker = factory.Trait(status=HolderStatus.JOB_SEEKER)
        low_qualified_worker = factory.Trait(low_qualified=True)
        disabled = factory.Trait(disabled_worker=True)
        abroad = factory.Trait(country="CA", postal_code="H2X 1Y4", city="Montréal", phone="+15145550123")
