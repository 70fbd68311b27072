"""A holder with rights, an organisation with a member, an offer and its session, and helpers that move a file
through the real services at pinned Paris dates."""

import dataclasses
import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from opencpf.accounts.models import Holder, User
from opencpf.catalogue.enums import OrganisationRole
from opencpf.catalogue.models import Offer, Organisation, OrganisationMember, OrganisationMemberRole, Session
from opencpf.dossiers import services
from opencpf.dossiers.models import Dossier
from opencpf.dossiers.payments import Card
from opencpf.rights import services as rights
from opencpf.rights.enums import FunderKind
from opencpf.rights.models import RightsAccount, TopUp
from opencpf.rights.selectors import ledger_sums
from tests.accounts.factories import HolderFactory, UserFactory
from tests.catalogue.factories import OfferFactory, OrganisationFactory, SessionFactory

PARIS = ZoneInfo("Europe/Paris")
GOOD_CARD = Card(number="4242424242424242", expiry_month=12, expiry_year=2099, cvc="123")
DECLINED_CARD = Card(number="4000000000000002", expiry_month=12, expiry_year=2099, cvc="123")


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def paris(text: str, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """An aware moment on that Paris calendar day."""
    return datetime.datetime.combine(day(text), datetime.time(hour, minute), tzinfo=PARIS)


def eur(text: str) -> Decimal:
    return Decimal(text)


@dataclasses.dataclass
class World:
    holder: Holder
    organisation: Organisation
    staff: User
    offer: Offer
    session: Session
    agent: User

    @property
    def user(self) -> User:
        return self.holder.user


def organisation_with_staff(**kwargs) -> tuple[Organisation, User]:
    organisation = OrganisationFactory(**kwargs)
    staff = UserFactory(organisation_staff=True)
    member = OrganisationMember.objects.create(organisation=organisation, user=staff)
    OrganisationMemberRole.objects.bulk_create(
        OrganisationMemberRole(member=member, role=role) for role in OrganisationRole.values
    )
    return organisation, staff


def make_world(
    *,
    price: str = "1200.00",
    start: str = "2026-03-16",
    end: str = "2026-03-20",
    acquired: str | None = "3000.00",
    holder: Holder | None = None,
    **holder_traits,
) -> World:
    organisation, staff = organisation_with_staff()
    offer = OfferFactory(organisation=organisation, price=Decimal(price))
    session = SessionFactory(offer=offer, start_date=day(start), end_date=day(end))
    agent = UserFactory(agent=True)
    holder = holder or HolderFactory(**holder_traits)
    if acquired:
        give_acquired(holder, Decimal(acquired), agent)
    return World(holder, organisation, staff, offer, session, agent)


def give_acquired(holder: Holder, amount: Decimal, agent: User | None = None) -> None:
    """Acquired rights through an agent's correction (a ledger entry, so the balance equals the ledger)."""
    rights.rights_correct(
        agent=agent or UserFactory(agent=True), holder=holder, amount=amount, reason="test", on_date=day("2025-01-02")
    )


def give_top_up(holder: Holder, amount: str, *, kind=FunderKind.REGION, name="Région", **kwargs) -> TopUp:
    return rights.topup_add(
        holder=holder,
        amount=Decimal(amount),
        funder_kind=kind,
        funder_name=name,
        on_date=day("2025-01-02"),
        **kwargs,
    )


def register(world: World, at: str = "2026-02-02", session: Session | None = None) -> Dossier:
    return services.dossier_register(
        user=world.user, session_id=(session or world.session).pk, ip="192.0.2.10", now=paris(at)
    )


def propose(world: World, dossier: Dossier, at: str = "2026-02-03", price: str | None = None, **kwargs) -> Dossier:
    return services.dossier_propose(
        dossier_id=dossier.pk,
        user=world.staff,
        price=price or str(world.offer.price),
        start=kwargs.pop("start", world.session.start_date),
        end=kwargs.pop("end", world.session.end_date),
        now=paris(at),
        **kwargs,
    )


def accept(world: World, dossier: Dossier, at: str = "2026-02-04", card: Card | None = GOOD_CARD, **kwargs):
    return services.dossier_accept(dossier_id=dossier.pk, user=world.user, card=card, now=paris(at), **kwargs)


def confirmed(world: World, **kwargs) -> Dossier:
    dossier = register(world)
    propose(world, dossier)
    return accept(world, dossier, **kwargs)


def in_training(world: World, **kwargs) -> Dossier:
    dossier = confirmed(world, **kwargs)
    return services.dossier_declare_entry(dossier_id=dossier.pk, user=world.staff, now=paris("2026-03-16"))


def balances(holder: Holder) -> tuple[Decimal, Decimal]:
    account = RightsAccount.objects.get(pk=holder.pk)
    return account.acquired, account.top_ups


def assert_ledger_consistent(holder: Holder) -> None:
    """Every balance equals the sum of its ledger entries; each top-up's remaining equals its own entries."""
    account = RightsAccount.objects.get(pk=holder.pk)
    sums = ledger_sums(holder.pk)
    assert account.acquired == sums["acquired"]
    assert account.top_ups == sums["top_up"]
    assert account.top_ups == sum((t.remaining for t in TopUp.objects.filter(holder=holder)), Decimal("0.00"))
    assert account.acquired >= 0 and account.top_ups >= 0
