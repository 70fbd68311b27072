"""Starting points of the later journeys, made on the served database through `manage.py shell` (Site.query) with
the same services the demo uses: a holder who can sign in, with rights, and a file at a given step. A file whose
training is today was asked for weeks ago: the services are given that past date, as `load_demo` does."""

import datetime
from decimal import Decimal

from django.utils import timezone

from opencpf.accounts.demo import DEMO_AGENT_EMAIL, DEMO_ORG_EMAIL
from opencpf.accounts.enums import HolderStatus, IdentityLevel, IdentitySource, Role
from opencpf.accounts.models import Holder, User
from opencpf.accounts.nir import nir_key
from opencpf.catalogue.models import Offer, Session
from opencpf.dossiers import rules, services
from opencpf.dossiers.demo import SANDBOX_CARD
from opencpf.places.selectors import place_for
from opencpf.rights import services as rights
from opencpf.rights.models import RightsAccount

LYON = {"nir_prefix": "2880369123", "address_line1": "3 place Bellecour", "postal_code": "69002", "city": "Lyon"}
PARIS = {"nir_prefix": "2910375110", "address_line1": "12 rue de Lancry", "postal_code": "75010", "city": "Paris"}
MONTREAL = {
    "nir_prefix": "1850775056",
    "address_line1": "1 rue Sainte-Catherine",
    "postal_code": "H2X 1Y4",
    "city": "Montréal",
    "country": "CA",
    "phone": "+15145550123",
}


def _holder(email: str, password: str, order: str, *, rights_amount: str = "2000.00", lives=LYON) -> Holder:
    user = User.objects.create_user(email=email, password=password, role=Role.HOLDER, display_name="Inès Garcia")
    user.email_verified_at = timezone.now()
    user.save()
    body = lives["nir_prefix"] + order
    holder = Holder.objects.create(
        user=user,
        nir=body + nir_key(body),
        last_name="Garcia",
        first_names="Inès",
        birth_date=datetime.date(1988, 3, 9),
        phone=lives.get("phone", "+33611223344"),
        address_line1=lives["address_line1"],
        postal_code=lives["postal_code"],
        city=lives["city"],
        country=lives.get("country", "FR"),
        status=HolderStatus.EMPLOYEE,
        identity_level=IdentityLevel.VERIFIED,
        identity_source=IdentitySource.DEMO,
        identity_verified_at=timezone.now(),
    )
    if Decimal(rights_amount):
        agent = User.objects.get(email=DEMO_AGENT_EMAIL)
        rights.rights_correct(agent=agent, holder=holder, amount=Decimal(rights_amount), reason="Journey test: rights")
    return holder


def holder_abroad(*, email: str, password: str, order: str) -> dict:
    """A holder living in Montréal, with no rights engaged: what the access request asks for."""
    holder = _holder(email, password, order, rights_amount="0", lives=MONTREAL)
    return {"nir": holder.nir, "birth_date": holder.birth_date.isoformat()}


def holder_to_fund(*, email: str, password: str, order: str, offer_number: str) -> dict:
    """A holder in Paris (the demo advisor's area) with 400.00 € of rights, and a region's 200.00 € that expire in
    four months; the session of `offer_number` they will register for (in a month or more)."""
    from opencpf.funders.models import FunderOrganisation
    from opencpf.funders.services import credit_add, funder_create
    from opencpf.rights.enums import FunderKind

    holder = _holder(email, password, order, rights_amount="400.00", lives=PARIS)
    region = FunderOrganisation.objects.filter(name="Région Île-de-France (journeys)").first()
    region = region or funder_create(name="Région Île-de-France (journeys)", kind=FunderKind.REGION)
    today = rules.paris_date(timezone.now())
    credit_add(
        organisation=region,
        user=None,
        nir=holder.nir,
        last_name=holder.last_name,
        amount="200.00",
        expires_on=today + datetime.timedelta(days=120),
    )
    offer = Offer.objects.select_related("certification").get(external_number=offer_number)
    sessions = Session.objects.filter(offer=offer, is_active=True, start_date__gte=today + datetime.timedelta(days=30))
    return {
        "nir": holder.nir,
        "last_name": holder.last_name,
        "offer": offer.pk,
        "price": str(offer.price),
        "certification": offer.certification.code,
        "session": sessions.order_by("start_date").first().pk,
        "region": region.name,
    }


def holder_with_file(*, email: str, password: str, order: str, offer_number: str, today_training: bool) -> dict:
    """A holder with 2 000.00 € of rights and a confirmed (paid) file: for a session starting in a few weeks, or
    for a one-day session today (its entry and exit can be declared today)."""
    holder = _holder(email, password, order)
    staff = User.objects.get(email=DEMO_ORG_EMAIL)
    offer = Offer.objects.get(external_number=offer_number)
    now = timezone.now()
    today = rules.paris_date(now)
    if today_training:
        place = place_for("75011", "")
        session = Session.objects.create(
            offer=offer,
            start_date=today,
            end_date=today,
            postal_code=place.postal_code,
            city=place.name,
            insee_code=place.insee,
            latitude=place.latitude,
            longitude=place.longitude,
            seats=12,
        )
        asked = now - datetime.timedelta(days=30)
        start = end = today
    else:
        session = Session.objects.filter(
            offer=offer, is_active=True, start_date__gte=today + datetime.timedelta(days=30)
        )
        session = session.order_by("start_date").first()
        asked, start, end = now, session.start_date, session.end_date
    dossier = services.dossier_register(user=holder.user, session_id=session.pk, now=asked)
    services.dossier_propose(dossier_id=dossier.pk, user=staff, price=offer.price, start=start, end=end, now=asked)
    services.dossier_accept(dossier_id=dossier.pk, user=holder.user, card=SANDBOX_CARD, now=asked)
    return {"dossier": dossier.pk, "nir": holder.nir, "offer": offer.pk, "balance": balance(holder.pk)}


def balance(holder_id: int) -> str:
    account = RightsAccount.objects.get(pk=holder_id)
    return str(account.acquired)
