import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from stdnum import luhn

from opencpf.catalogue.enums import CertificationKind, Modality, OrganisationStatus
from opencpf.catalogue.models import Certification, Offer, Organisation, Session
from opencpf.places.selectors import place_for


def make_siret(serial: int) -> str:
    siren_body = f"{40_000_000 + serial:08d}"
    siren = siren_body + luhn.calc_check_digit(siren_body)
    body = siren + "0001"
    return body + luhn.calc_check_digit(body)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisme de formation {n}")
    siret = factory.Sequence(make_siret)
    activity_declaration_number = "11755555575"
    qualiopi_certificate = "QUALIOPI-123456"
    qualiopi_expires_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))
    status = OrganisationStatus.APPROVED
    postal_code = "75011"
    city = "Paris 11e Arrondissement"

    class Params:
        pending = factory.Trait(status=OrganisationStatus.PENDING)
        delisted = factory.Trait(status=OrganisationStatus.DELISTED)
        qualiopi_expired = factory.Trait(
            qualiopi_expires_on=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
        )


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"RNCP{37000 + n}")
    kind = CertificationKind.RNCP
    title = factory.Sequence(lambda n: f"Titre professionnel {n}")
    level = 5

    class Params:
        rs = factory.Trait(code=factory.Sequence(lambda n: f"RS{5000 + n}"), kind=CertificationKind.RS, level=None)
        driving_licence = factory.Trait(
            code="PERMIS-B", kind=CertificationKind.DRIVING_LICENCE, title="Permis B", level=None
        )


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    organisation = factory.SubFactory(OrganisationFactory)
    certification = factory.SubFactory(CertificationFactory)
    title = factory.Sequence(lambda n: f"Formation générale {n}")
    summary = "Une formation certifiante."
    objectives = "Acquérir des compétences."
    prerequisites = "Aucun prérequis."
    programme = "Module 1\nModule 2"
    price = Decimal("1200.00")
    hours = Decimal("35.0")
    modality = Modality.ON_SITE

    class Params:
        remote = factory.Trait(modality=Modality.REMOTE)
        mixed = factory.Trait(modality=Modality.MIXED)


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


class SessionFactory(factory.django.DjangoModelFactory):
    """A session in a real commune (give `where=("69003", "Lyon")`), or remote (`is_remote=True`)."""

    class Meta:
        model = Session
        exclude = ("where", "days_from_now")

    offer = factory.SubFactory(OfferFactory)
    days_from_now = 30
    where = ("75011", "")
    start_date = factory.LazyAttribute(lambda o: in_days(o.days_from_now))
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=5))
    is_remote = False
    seats = 12

    @factory.lazy_attribute
    def postal_code(self):
        return "" if self.is_remote else place_for(*self.where).postal_code

    @factory.lazy_attribute
    def city(self):
        return "" if self.is_remote else place_for(*self.where).name

    @factory.lazy_attribute
    def insee_code(self):
        return "" if self.is_remote else place_for(*self.where).insee

    @factory.lazy_attribute
    def latitude(self):
        return None if self.is_remote else place_for(*self.where).latitude

    @factory.lazy_attribute
    def longitude(self):
        return None if self.is_remote else place_for(*self.where).longitude


def titles(result) -> list[str]:
    return [hit.title for hit in result.hits]
