"""Demo training files of `make run`, made through the real services. Idempotent; never run on a real instance.

- The demo holder (demo@opencpf.test) has a request waiting for the demo organisation's answer and a proposal
  waiting for their acceptance: nothing is engaged, so their 3 000.00 € of rights stay untouched (DESIGN §4).
- A second demo holder (demo-learner@opencpf.test) fills the organisation space and the rest of a file's life: a
  confirmed file whose session starts today (the organisation can declare the entry today) and a completed one
  (payment due; the learner can rate it), funded from rights given by the demo agent's correction.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from opencpf.accounts.demo import DEMO_AGENT_EMAIL, DEMO_HOLDER_EMAIL, DEMO_ORG_EMAIL
from opencpf.accounts.enums import HolderStatus, IdentityLevel, IdentitySource, Role
from opencpf.accounts.models import Holder, User
from opencpf.accounts.nir import nir_key
from opencpf.catalogue.demo import DEMO_SIRET
from opencpf.catalogue.models import Offer, Organisation, Session
from opencpf.dossiers import rules, services
from opencpf.dossiers.models import Dossier
from opencpf.dossiers.params import dossier_parameters
from opencpf.dossiers.payments import Card
from opencpf.places.selectors import place_for
from opencpf.rights.models import RightsAccount
from opencpf.rights.services.account import rights_correct
from opencpf.rights.services.core import current_cap

LEARNER_EMAIL = "demo-learner@opencpf.test"
LEARNER_PASSWORD = "Demo-Learner-2026!"
SANDBOX_CARD = Card(number="4242424242424242", expiry_month=12, expiry_year=2099, cvc="123")


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=rules.PARIS)


def _session(offer: Offer, *, after: datetime.date, remote: bool | None = None) -> Session | None:
    sessions = Session.objects.filter(offer=offer, is_active=True, start_date__gte=after).order_by("start_date", "id")
    if remote is not None:
        sessions = sessions.filter(is_remote=remote)
    return sessions.first()


def _propose(dossier: Dossier, staff: User, now: datetime.datetime) -> None:
    session = dossier.session
    earliest = rules.earliest_start(rules.paris_date(now), dossier_parameters(rules.paris_date(now)))
    start = max(session.start_date, earliest)
    end = max(session.end_date, start)
    services.dossier_propose(
        dossier_id=dossier.pk,
        user=staff,
        price=dossier.offer_price,
        start=start,
        end=end,
        message="Bonjour, nous avons bien reçu votre demande : voici notre proposition.",
        now=now,
    )


def _learner(agent: User | None) -> Holder:
    user = User.objects.filter(email=LEARNER_EMAIL).first()
    if user is None:
        user = User.objects.create_user(email=LEARNER_EMAIL, password=LEARNER_PASSWORD, role=Role.HOLDER)
        user.display_name = "Sam Bernard"
        user.email_verified_at = timezone.now()
        user.save()
    elif not user.has_usable_password():  # a demo loaded before the learner could sign in
        user.set_password(LEARNER_PASSWORD)
        user.save(update_fields=["password"])
    body = "2920369123456"
    holder, _created = Holder.objects.get_or_create(
        user=user,
        defaults={
            "nir": body + nir_key(body),
            "last_name": "Bernard",
            "first_names": "Sam",
            "birth_date": datetime.date(1992, 3, 9),
            "phone": "+33611223344",
            "address_line1": "3 place Bellecour",
            "postal_code": "69002",
            "city": "Lyon",
            "country": "FR",
            "status": HolderStatus.EMPLOYEE,
            # Accepting a proposal needs a verified identity (DESIGN §2.5).
            "identity_level": IdentityLevel.VERIFIED,
            "identity_source": IdentitySource.DEMO,
            "identity_verified_at": timezone.now(),
        },
    )
    account = RightsAccount.objects.filter(pk=holder.pk).first()
    cap = current_cap(holder)  # the demo learner starts with acquired rights at the cap
    if agent is not None and (account is None or account.acquired < cap):
        missing = cap - (account.acquired if account else Decimal("0.00"))
        rights_correct(agent=agent, holder=holder, amount=missing, reason="Demo rights")
    return holder


def _past_file(learner: Holder, staff: User, offer: Offer, *, start, end, price: Decimal | None) -> Dossier:
    """A file asked, proposed and accepted three weeks before `start`, on a session of its own (in Paris)."""
    place = place_for("75011", "")
    past = Session.objects.create(
        offer=offer,
        start_date=start,
        end_date=end,
        postal_code=place.postal_code,
        city=place.name,
        insee_code=place.insee,
        latitude=place.latitude,
        longitude=place.longitude,
        seats=12,
        is_active=True,
    )
    asked = _at(start - datetime.timedelta(days=21))
    dossier = services.dossier_register(user=learner.user, session_id=past.pk, now=asked)
    Session.objects.filter(pk=past.pk).update(is_active=False)  # over or full: not offered any more
    services.dossier_propose(
        dossier_id=dossier.pk, user=staff, price=price or dossier.offer_price, start=start, end=end, now=asked
    )
    services.dossier_accept(dossier_id=dossier.pk, user=learner.user, card=SANDBOX_CARD, now=asked)
    return dossier


def load(stdout) -> list[str]:
    holder = Holder.objects.filter(user__email=DEMO_HOLDER_EMAIL).first()
    staff = User.objects.filter(email=DEMO_ORG_EMAIL).first()
    organisation = Organisation.objects.filter(siret=DEMO_SIRET).first()
    if holder is None or staff is None or organisation is None:
        return []
    now = timezone.now()
    today = rules.paris_date(now)
    offers = {offer.external_number: offer for offer in Offer.objects.filter(organisation=organisation)}
    lines = []

    # The demo holder: one request waiting for an answer, one proposal waiting for acceptance; no money engaged.
    mine = Dossier.objects.filter(holder=holder, state__in=["submitted", "proposed"])
    if not mine.filter(state="submitted").exists() and (offer := offers.get("DEMO-ANGLAIS")):
        session = _session(offer, after=today + datetime.timedelta(days=30)) or _session(offer, after=today)
        if session is not None:
            services.dossier_register(user=holder.user, session_id=session.pk, now=now)
    if not mine.filter(state="proposed").exists() and (offer := offers.get("DEMO-EXCEL")):
        session = _session(offer, after=today + datetime.timedelta(days=20)) or _session(offer, after=today)
        if session is not None and not Dossier.objects.filter(holder=holder, session=session).exists():
            dossier = services.dossier_register(user=holder.user, session_id=session.pk, now=now)
            _propose(dossier, staff, now)
    lines.append(
        f"files         {DEMO_HOLDER_EMAIL}: {mine.count()} open file(s), nothing engaged; "
        f"{DEMO_ORG_EMAIL} answers them in the organisation space"
    )

    # Another holder fills the organisation space and shows the end of a file: entry to declare, a file to rate.
    agent = User.objects.filter(email=DEMO_AGENT_EMAIL).first()
    learner = _learner(agent)
    if not Dossier.objects.filter(holder=learner).exists():
        if offer := offers.get("DEMO-BILAN"):
            # Registered, proposed and accepted weeks ago; the session starts today: entry to declare.
            _past_file(learner, staff, offer, start=today, end=today + datetime.timedelta(days=14), price=None)
        if offer := offers.get("DEMO-DEVWEB"):
            start, end = today - datetime.timedelta(days=30), today - datetime.timedelta(days=5)
            dossier = _past_file(learner, staff, offer, start=start, end=end, price=Decimal("2990.00"))
            services.dossier_declare_entry(dossier_id=dossier.pk, user=staff, now=_at(start))
            services.dossier_declare_exit(
                dossier_id=dossier.pk, user=staff, completion_percent="100", now=_at(end, 17)
            )
    lines.append(
        f"learner       {LEARNER_EMAIL} / {LEARNER_PASSWORD}  (a completed file to rate; "
        f"{DEMO_ORG_EMAIL} can declare the entry of the other today)"
    )
    return lines
