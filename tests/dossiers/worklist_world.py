"""A small organisation with files in several states, for the work list's tests (web and API)."""

import dataclasses
import datetime

from django.utils import timezone

from opencpf.catalogue.enums import OrganisationRole
from opencpf.catalogue.services.staff import member_add
from opencpf.dossiers import services
from opencpf.dossiers.models import Dossier
from tests.accounts.factories import HolderFactory, UserFactory
from tests.catalogue.factories import OfferFactory, SessionFactory
from tests.dossiers.factories import World, make_world


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@dataclasses.dataclass
class WorklistWorld:
    world: World
    martin: Dossier  # submitted, session 1: answer by D (2 business days)
    bernard: Dossier  # submitted, session 2: answer by D too, registered after Martin
    petit: Dossier  # proposed, other offer: the holder accepts by D + more (4 business days)
    durand: Dossier  # refused: closed, no deadline

    @property
    def staff(self):
        return self.world.staff


def worklist_world() -> WorklistWorld:
    world = make_world(start=days(60).isoformat(), end=days(64).isoformat())
    session_2 = SessionFactory(offer=world.offer, start_date=days(90), end_date=days(94))
    other_offer = OfferFactory(organisation=world.organisation, title="Comptabilité")
    other_session = SessionFactory(offer=other_offer, start_date=days(70), end_date=days(72))

    def register(last_name: str, session) -> Dossier:
        holder = HolderFactory(last_name=last_name, first_names="Alex")
        return services.dossier_register(user=holder.user, session_id=session.pk)

    martin = register("Martin", world.session)
    bernard = register("Bernard", session_2)
    petit = register("Petit", other_session)
    services.dossier_propose(dossier_id=petit.pk, user=world.staff, price="800.00", start=days(70), end=days(72))
    durand = services.dossier_register(user=world.user, session_id=world.session.pk)
    services.dossier_refuse(dossier_id=durand.pk, user=world.staff, reason="Complet")
    return WorklistWorld(
        world,
        *(Dossier.objects.get(pk=d.pk) for d in (martin, bernard, petit, durand)),
    )


def staff_with(world: World, *roles: OrganisationRole):
    user = UserFactory(organisation_staff=True)
    member_add(organisation=world.organisation, user=user, roles=list(roles))
    return user
